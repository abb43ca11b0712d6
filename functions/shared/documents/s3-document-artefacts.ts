import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ARTEFACT_KEYS, type DocumentArtefacts } from './document-artefacts.js';

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

/** The first bytes of an upload, for its signature: a ranged GET, so a 10 MB file costs a few bytes. */
export const s3ObjectHead = (s3: S3Client, length: number) => async ({ bucket, key }: { bucket: string; key: string }): Promise<Uint8Array> => {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${length - 1}` }));
  return answer.Body!.transformToByteArray();
};
