import { randomBytes } from 'node:crypto';
import { objectKeyOf, type DocumentRow } from './document.js';
import type { UploadRequest } from './upload-request.js';

export interface DocumentStore {
  /** Writes a new row; false when the id is taken (never overwrite). */
  create(row: DocumentRow): Promise<boolean>;
}

export interface PutToSign {
  objectKey: string;
  contentType: string;
  /** Bytes: the URL takes a body of exactly this length. */
  size: number;
  /** The URL is valid from here for `expiresInSeconds`: the ticket's `expiresAt` is the URL's real end. */
  signedAt: Date;
  expiresInSeconds: number;
}

export interface UploadUrls {
  /** A URL the client PUTs the object to, with exactly this content type and length, valid for `expiresInSeconds` from `signedAt`. */
  presignPut(put: PutToSign): Promise<string>;
}

export interface UploadTicket {
  documentId: string;
  uploadUrl: string;
  expiresAt: string;
}

/** Long enough to pick a file and send 10 MB over a slow line; short enough that a leaked link dies soon. */
export const UPLOAD_URL_LIFETIME_SECONDS = 15 * 60;

export const newDocumentId = (): string => `doc_${randomBytes(16).toString('hex')}`;

/**
 * POST /documents: a row owned by the caller in UPLOAD_PENDING, and a presigned PUT for the file.
 * The URL is signed before the row is written, so a signing failure leaves nothing behind.
 */
export const createDocument = (store: DocumentStore, urls: UploadUrls, now: () => Date = () => new Date(), newId: () => string = newDocumentId) =>
  async (customerId: string, request: UploadRequest): Promise<UploadTicket> => {
    const documentId = newId();
    const objectKey = objectKeyOf(documentId);
    const createdAt = now();
    const uploadUrl = await urls.presignPut({ objectKey, contentType: request.contentType, size: request.size, signedAt: createdAt, expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS });
    const created = await store.create({
      documentId,
      customerId,
      status: 'UPLOAD_PENDING',
      filename: request.filename,
      contentType: request.contentType,
      size: request.size,
      objectKey,
      createdAt: createdAt.toISOString(),
      updatedAt: createdAt.toISOString(),
    });
    // 128 random bits: a collision means the random source is broken, not bad luck.
    if (!created) throw new Error(`document id ${documentId} already exists`);
    return { documentId, uploadUrl, expiresAt: new Date(createdAt.getTime() + UPLOAD_URL_LIFETIME_SECONDS * 1000).toISOString() };
  };
