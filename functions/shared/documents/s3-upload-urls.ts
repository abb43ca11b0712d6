import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadUrls } from './create-document.js';

/**
 * The S3 presigner leaves `content-type` unsigned unless told otherwise, and a header that is not
 * signed is not enforced: signing both makes S3 refuse a PUT of another type or another length,
 * which is what holds an upload to the size POST /documents accepted (10 MB at most).
 */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);

/** Presigned PUTs into the documents bucket. Give it {@link s3PresigningClient}: see there why. */
export const s3UploadUrls = (s3: S3Client, bucket: string): UploadUrls => ({
  presignPut: ({ objectKey, contentType, size, signedAt, expiresInSeconds }) =>
    getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucket, Key: objectKey, ContentType: contentType, ContentLength: size }),
      { signingDate: signedAt, expiresIn: expiresInSeconds, signableHeaders: SIGNED_UPLOAD_HEADERS },
    ),
});
