import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ARTEFACT_KEYS, type DocumentArtefacts } from './document-artefacts.js';
import type { ArrivedObject, StoredObject, UploadReader } from './file-signature.js';

/** The artefacts as JSON objects in the documents bucket, outside the uploads/ prefix (which starts the workflow). */
export const s3DocumentArtefacts = (s3: S3Client, bucket: string): DocumentArtefacts => {
  const put = async (key: string, value: unknown) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
    return key;
  };
  const get = async <T>(key: string): Promise<T> => {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await answer.Body!.transformToString('utf8')) as T;
  };
  return {
    putPageBlocks: (documentId, page, blocks) => put(ARTEFACT_KEYS.pageBlocks(documentId, page), blocks),
    getPageBlocks: (documentId, page) => get(ARTEFACT_KEYS.pageBlocks(documentId, page)),
    putPageText: (documentId, page, lines) => put(ARTEFACT_KEYS.pageText(documentId, page), lines),
    getPageText: (documentId, page) => get(ARTEFACT_KEYS.pageText(documentId, page)),
    putResult: (documentId, result) => put(ARTEFACT_KEYS.result(documentId), result),
  };
};

/** `bytes 0-7/48213` → 48213: a ranged GET names the object's whole size. */
export const totalSizeOfContentRange = (contentRange: string | undefined): number | undefined => {
  const total = /^bytes \d+-\d+\/(\d+)$/.exec(contentRange ?? '')?.[1];
  return total === undefined ? undefined : Number(total);
};

/**
 * The first bytes of an upload, for its signature, and its size: one ranged GET, so a 10 MB file
 * costs a few bytes. An empty object has no byte 0: S3 answers InvalidRange (416).
 */
export const s3ObjectHeadAndSize = (s3: S3Client, length: number) => async ({ bucket, key, versionId }: StoredObject): Promise<ArrivedObject> => {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, Range: `bytes=0-${length - 1}` }));
    const head = await answer.Body!.transformToByteArray();
    // A server that ignores the range answers 200 with the whole object and no Content-Range.
    const size = totalSizeOfContentRange(answer.ContentRange) ?? answer.ContentLength;
    if (size === undefined) throw new Error(`S3 answered no size for s3://${bucket}/${key}`);
    return { head: head.subarray(0, length), size };
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidRange') return { head: new Uint8Array(0), size: 0 };
    throw error;
  }
};

/** An upload's whole content (a PDF whose pages are to be counted; the size limit was checked first). */
export const s3ObjectBytes = (s3: S3Client) => async ({ bucket, key, versionId }: StoredObject): Promise<Uint8Array> => {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return answer.Body!.transformToByteArray();
};

export const s3UploadReader = (s3: S3Client, headLength: number): UploadReader => ({
  head: s3ObjectHeadAndSize(s3, headLength),
  bytes: s3ObjectBytes(s3),
});
