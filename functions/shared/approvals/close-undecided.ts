import { executionEnded, type ExecutionStatusChangeEvent } from '../execution-status-change.js';

export type UndecidedOutcome = 'CANCELLED' | 'FAILED';

export interface UndecidedApprovals {
  /**
   * Closes a request still PENDING (and removes its task token) in one conditional write; false
   * when it was decided, expired or closed already, or never recorded. Safe to repeat.
   */
  closeUndecided(approvalId: string, status: UndecidedOutcome, closedAt: string): Promise<boolean>;
}

/**
 * An approval execution that ended without running its own ending leaves its request PENDING,
 * and the approver's links open: a stopped execution (an operator, or Step Functions stopping a
 * `.sync` child with its stopped parent) runs no Catch. ABORTED closes the request CANCELLED;
 * FAILED or TIMED_OUT (MarkRequestFailed could not write) closes it FAILED, "withdrawn". A
 * request decided just before the stop keeps its decision: nobody will act on it, but it is
 * what the approver did.
 */
export const closeUndecidedApproval = (approvals: UndecidedApprovals) =>
  async (event: ExecutionStatusChangeEvent): Promise<{ approvalId: string; closed: UndecidedOutcome | null }> => {
    const ended = executionEnded(event);
    const status: UndecidedOutcome = ended.status === 'ABORTED' ? 'CANCELLED' : 'FAILED';
    const closed = await approvals.closeUndecided(ended.name, status, ended.stoppedAt);
    return { approvalId: ended.name, closed: closed ? status : null };
  };
