import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadUrls } from './create-document.js';

/** Presigned PUTs into the documents bucket; the content type is signed, so S3 refuses another one. */
export const s3UploadUrls = (s3: S3Client, bucket: string): UploadUrls => ({
  presignPut: (objectKey, contentType, expiresInSeconds) =>
    getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: objectKey, ContentType: contentType }), { expiresIn: expiresInSeconds }),
});
