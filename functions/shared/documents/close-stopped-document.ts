import { executionEnded, UnexpectedExecutionEventError, type ExecutionStatusChangeEvent } from '../execution-status-change.js';
import { isDocumentId, UPLOAD_PREFIX } from './document.js';

export const STOPPED_WHILE_AWAITING_APPROVAL = 'Processing was stopped while it waited for its approval; a person must look at it.';

export interface StoppedDocuments {
  /**
   * Moves the document to NEEDS_REVIEW (its approval CANCELLED) only if it still waits for its
   * approver and the stopped execution is the one that claimed it; false otherwise. Safe to repeat.
   */
  closeStoppedWhileAwaitingApproval(stop: { documentId: string; executionArn: string; stoppedAt: string }): Promise<boolean>;
}

/**
 * A document-processing execution an operator stopped runs no Catch. One stopped while its
 * approver decides would show AWAITING_APPROVAL for ever; like one whose approval expired, it
 * goes to NEEDS_REVIEW: neither filing nor rejecting is safe without a person. A duplicate
 * execution (which claimed nothing) changes nothing; a document stopped at another step keeps
 * its status, for the operator who stopped it.
 */
export const closeStoppedDocument = (documents: StoppedDocuments) =>
  async (event: ExecutionStatusChangeEvent): Promise<{ documentId: string; closed: boolean }> => {
    const ended = executionEnded(event);
    if (ended.status !== 'ABORTED') throw new UnexpectedExecutionEventError(`document-processing ${ended.executionArn} ended ${ended.status}, not stopped`);
    const key = (ended.input as { detail?: { object?: { key?: unknown } } } | null)?.detail?.object?.key;
    const documentId = typeof key === 'string' && key.startsWith(UPLOAD_PREFIX) ? key.slice(UPLOAD_PREFIX.length) : undefined;
    if (!isDocumentId(documentId)) throw new UnexpectedExecutionEventError(`stopped execution ${ended.executionArn} carries no document upload in its input`);
    const closed = await documents.closeStoppedWhileAwaitingApproval({ documentId, executionArn: ended.executionArn, stoppedAt: ended.stoppedAt });
    return { documentId, closed };
  };
