import { BadRequestError, DocumentNotFoundError } from '../errors.js';

/** The public contract (DESIGN §2): where a document is on its way, and what it was found to be. */
export type DocumentStatus = 'UPLOAD_PENDING' | 'PROCESSING' | 'AWAITING_APPROVAL' | 'FILED' | 'REJECTED' | 'NEEDS_REVIEW' | 'FAILED';
export type DocumentClass = 'INVOICE' | 'RECEIPT' | 'CONTRACT' | 'OTHER';
/** A contract's type, as a legal pipeline files it: what it must carry depends on it. */
export type ContractType = 'NDA' | 'SERVICE_AGREEMENT' | 'OTHER';

export interface CheckResult {
  name: string;
  passed: boolean;
  detail: string;
}

/** A documents-table row: who uploaded what, and what the pipeline has found so far. */
export interface DocumentRow {
  documentId: string;
  customerId: string;
  status: DocumentStatus;
  filename: string;
  contentType: string;
  size: number;
  /** Where the upload lands in the documents bucket. */
  objectKey: string;
  createdAt: string;
  updatedAt: string;
  class?: DocumentClass;
  /** A CONTRACT's type; absent for any other class. */
  contractType?: ContractType;
  confidence?: number;
  fields?: Record<string, string>;
  checks?: CheckResult[];
  approval?: Record<string, unknown>;
  failureReason?: string;
  /** Where filing kept the result in the documents bucket. */
  resultKey?: string;
  executionArn?: string;
  /** The version of the upload the workflow claimed, inspected, read and filed (the bucket is versioned). */
  uploadVersionId?: string;
}

export interface DocumentView {
  documentId: string;
  status: DocumentStatus;
  filename: string;
  contentType: string;
  size: number;
  class: DocumentClass | null;
  /** Only for a CONTRACT. */
  contractType?: ContractType;
  confidence: number | null;
  fields: Record<string, string>;
  checks: CheckResult[];
  approval: Record<string, unknown> | null;
  failure: { reason: string } | null;
  createdAt: string;
  updatedAt: string;
}

const DOCUMENT_ID_PATTERN = /^doc_[a-f0-9]{32}$/;

export const isDocumentId = (value: unknown): value is string => typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);

/** Uploads land under one prefix, named by document id only: a customer's file name never shapes a key. */
export const UPLOAD_PREFIX = 'uploads/';
export const objectKeyOf = (documentId: string): string => `${UPLOAD_PREFIX}${documentId}`;

export const toDocumentView = (row: DocumentRow): DocumentView => ({
  documentId: row.documentId,
  status: row.status,
  filename: row.filename,
  contentType: row.contentType,
  size: row.size,
  class: row.class ?? null,
  // A contract whose type was never told apart (filed before types existed) is, by definition, another contract.
  ...(row.class === 'CONTRACT' ? { contractType: row.contractType ?? 'OTHER' } : {}),
  confidence: row.confidence ?? null,
  fields: row.fields ?? {},
  checks: row.checks ?? [],
  approval: row.approval ?? null,
  failure: row.failureReason ? { reason: row.failureReason } : null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export interface DocumentReader {
  find(documentId: string): Promise<DocumentRow | undefined>;
}

/** GET /documents/{id}: the caller's own document; anyone else's answers as unknown. */
export const getDocument = (reader: DocumentReader) => async (documentId: string | undefined, customerId: string): Promise<DocumentView> => {
  if (!isDocumentId(documentId)) throw new BadRequestError('InvalidDocumentId', 'documentId must look like "doc_" followed by 32 hex digits');
  const row = await reader.find(documentId);
  if (!row || row.customerId !== customerId) throw new DocumentNotFoundError(`no document ${documentId}`);
  return toDocumentView(row);
};

/** Log keys of a document workflow step: every line names the document. */
export const byDocumentId = (input: object): Record<string, unknown> => ({ documentId: (input as { documentId?: unknown }).documentId });
