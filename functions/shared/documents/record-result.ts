import type { CheckResult, ContractType, DocumentStatus } from './document.js';
import type { DocumentArtefacts } from './document-artefacts.js';
import type { DocumentClassification } from './processing-steps.js';

/** The statuses the workflow writes once the document is classified; FILED also keeps the result in S3. */
export type ResultStatus = Extract<DocumentStatus, 'AWAITING_APPROVAL' | 'FILED' | 'REJECTED' | 'NEEDS_REVIEW'>;
const RESULT_STATUSES: ResultStatus[] = ['AWAITING_APPROVAL', 'FILED', 'REJECTED', 'NEEDS_REVIEW'];
const PENDING_APPROVAL = { status: 'PENDING', decidedBy: null, decidedAt: null, comment: null };

export interface DocumentResult {
  documentId: string;
  status: ResultStatus;
  classification: DocumentClassification;
  checks: CheckResult[];
  approval: Record<string, unknown> | null;
  pageCount: number;
  /** Why a person must look (NEEDS_REVIEW only). */
  reason?: string;
}

export interface DocumentResultStore {
  /**
   * Writes the status and what was found, only while the document is still being processed
   * (PROCESSING or AWAITING_APPROVAL); false when it is not (a finished document never changes).
   */
  recordResult(documentId: string, update: {
    status: ResultStatus; class: DocumentClassification['class']; contractType?: ContractType; confidence: number; fields: Record<string, string>;
    checks: CheckResult[]; approval?: Record<string, unknown>; failureReason?: string; resultKey?: string; updatedAt: string;
  }): Promise<boolean>;
}

/**
 * Writes where the document is and what it was found to be, so GET /documents/{id} shows it.
 * Filing keeps the result as JSON in S3 first: a row that says FILED always has its result.
 * Repeating a step is harmless: the S3 object is overwritten with the same reading, and a
 * document already in a final status is left as it is.
 */
export const recordDocumentResult = (store: DocumentResultStore, artefacts: DocumentArtefacts, now: () => Date = () => new Date()) =>
  async (input: DocumentResult): Promise<{ status: ResultStatus; recorded: boolean; resultKey?: string }> => {
    if (!RESULT_STATUSES.includes(input.status)) throw new Error(`cannot record status ${String(input.status)}`);
    const at = now().toISOString();
    const { classification, checks } = input;
    // Only a contract has a type; a row or a filed result of any other class has no such key.
    const contractType = classification.class === 'CONTRACT' && classification.contractType ? { contractType: classification.contractType } : {};
    // While the approver decides, GET /documents/{id} shows a pending approval, as an order does.
    const approval = input.approval ?? (input.status === 'AWAITING_APPROVAL' ? PENDING_APPROVAL : undefined);
    const resultKey = input.status === 'FILED'
      ? await artefacts.putResult(input.documentId, {
        documentId: input.documentId, class: classification.class, ...contractType, confidence: classification.confidence, fields: classification.fields,
        checks, approval: approval ?? null, pages: input.pageCount, filedAt: at,
      })
      : undefined;
    const recorded = await store.recordResult(input.documentId, {
      status: input.status, class: classification.class, ...contractType, confidence: classification.confidence, fields: classification.fields, checks,
      ...(approval ? { approval } : {}),
      ...(input.reason ? { failureReason: input.reason } : {}),
      ...(resultKey ? { resultKey } : {}),
      updatedAt: at,
    });
    return { status: input.status, recorded, ...(resultKey ? { resultKey } : {}) };
  };
