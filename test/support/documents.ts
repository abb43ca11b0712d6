import { bearer, call, type ApiResponse, type Customer } from './api.js';
import { pollUntil } from './poll.js';

/** Documents through the HTTP API as a client sends them: a ticket, a PUT of the file, GET until it ends. */
export interface UploadTicket { documentId: string; uploadUrl: string; expiresAt: string }

export interface DocumentView {
  documentId: string;
  status: string;
  filename: string;
  contentType: string;
  size: number;
  class: string | null;
  confidence: number | null;
  fields: Record<string, string>;
  checks: { name: string; passed: boolean; detail: string }[];
  approval: { approvalId?: string; status: string; decidedBy: string | null; decidedAt: string | null; comment: string | null } | null;
  failure: { reason: string } | null;
  createdAt: string;
  updatedAt: string;
}

export const TERMINAL_DOCUMENT_STATUSES = ['FILED', 'REJECTED', 'NEEDS_REVIEW', 'FAILED'];

export const requestUpload = (customer: Customer, request: { filename: string; contentType: string; size: number }) =>
  call<UploadTicket & { error?: string }>('/documents', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(customer) },
    body: JSON.stringify(request),
  });

export const getDocument = (customer: Customer, documentId: string): Promise<ApiResponse<DocumentView & { error?: string }>> =>
  call<DocumentView & { error?: string }>(`/documents/${documentId}`, { headers: bearer(customer) });

/**
 * POST /documents, then PUT the bytes to the presigned URL with the declared content type and,
 * as fetch sends for a Buffer, their length as Content-Length: both are signed into the URL (as
 * curl or a browser would). The content type is declared, not sniffed: a test may lie about it.
 */
export const uploadDocument = async (customer: Customer, file: { filename: string; contentType: string; bytes: Buffer }): Promise<UploadTicket> => {
  const { status, body } = await requestUpload(customer, { filename: file.filename, contentType: file.contentType, size: file.bytes.length });
  if (status !== 201) throw new Error(`POST /documents answered ${status}: ${JSON.stringify(body)}`);
  const put = await fetch(body.uploadUrl, { method: 'PUT', headers: { 'content-type': file.contentType }, body: file.bytes });
  if (put.status !== 200) throw new Error(`PUT to the upload URL answered ${put.status}: ${await put.text()}`);
  return body;
};

/** Polls GET /documents/{id} until the document has one of `statuses` (by default: any terminal one). */
export const waitForDocumentStatus = async (customer: Customer, documentId: string, statuses: string[] = TERMINAL_DOCUMENT_STATUSES, timeoutMs = 120_000): Promise<DocumentView> => {
  const { body } = await pollUntil(
    `document ${documentId} reaching ${statuses.join(' or ')}`,
    () => getDocument(customer, documentId),
    ({ status, body: document }) => status === 200 && statuses.includes(document.status),
    timeoutMs,
    250,
  );
  return body;
};
