import { executionEnded, UnexpectedExecutionEventError, type ExecutionStatusChangeEvent } from '../execution-status-change.js';

export interface StoppedOrders {
  /**
   * Closes the order FAILED (`OrderStopped`, its approval CANCELLED) only if it still waits for
   * its approver and the stopped execution is the one that claimed it; false otherwise. Safe to repeat.
   */
  closeStoppedWhileAwaitingApproval(stop: { orderId: string; executionArn: string; stoppedAt: string; cause: string }): Promise<boolean>;
}

/**
 * An order-fulfilment execution an operator stopped runs no Catch, so its order would keep the
 * status it had. One stopped while it waits for its approver has charged and reserved nothing
 * (approval comes first), so it closes honestly: FAILED with `OrderStopped`, nothing to
 * compensate. A duplicate execution (which claimed nothing) changes nothing. An order stopped
 * later keeps its status, for the operator who stopped it (see docs/workflows/order-fulfilment.md).
 */
export const closeStoppedOrder = (orders: StoppedOrders) =>
  async (event: ExecutionStatusChangeEvent): Promise<{ orderId: string; closed: boolean }> => {
    const ended = executionEnded(event);
    if (ended.status !== 'ABORTED') throw new UnexpectedExecutionEventError(`order-fulfilment ${ended.executionArn} ended ${ended.status}, not stopped`);
    const orderId = (ended.input as { detail?: { order?: { orderId?: unknown } } } | null)?.detail?.order?.orderId;
    if (typeof orderId !== 'string') throw new UnexpectedExecutionEventError(`stopped execution ${ended.executionArn} carries no order id in its input`);
    const cause = ['Stopped', ended.error, ended.cause].filter(Boolean).join(': ');
    const closed = await orders.closeStoppedWhileAwaitingApproval({ orderId, executionArn: ended.executionArn, stoppedAt: ended.stoppedAt, cause });
    return { orderId, closed };
  };
