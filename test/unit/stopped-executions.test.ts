import { closeUndecidedApproval, type UndecidedOutcome } from '../../functions/shared/approvals/close-undecided.js';
import type { ExecutionStatusChangeEvent } from '../../functions/shared/execution-status-change.js';
import { closeStoppedDocument } from '../../functions/shared/documents/close-stopped-document.js';
import { closeStoppedOrder } from '../../functions/shared/orders/close-stopped-order.js';
import { toOrderView } from '../../functions/shared/orders/order-view.js';

const APPROVAL_EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:sfn-orders-dev-approval:approve-ord_1';
const FULFILMENT_EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:sfn-orders-dev-order-fulfilment:7f3c';
const STOPPED_AT = Date.parse('2026-11-24T10:05:00.000Z');

const statusChange = (detail: ExecutionStatusChangeEvent['detail']): ExecutionStatusChangeEvent => ({
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { stopDate: STOPPED_AT, ...detail },
});

const approvals = (pending: boolean) => {
  const closed: [string, UndecidedOutcome, string][] = [];
  return { closed, store: { closeUndecided: async (approvalId: string, status: UndecidedOutcome, closedAt: string) => { closed.push([approvalId, status, closedAt]); return pending; } } };
};

describe('close-undecided-approval', () => {
  it('cancels the request of an approval execution that was stopped', async () => {
    // Prepare
    const { closed, store } = approvals(true);

    // Act
    const result = await closeUndecidedApproval(store)(statusChange({ executionArn: APPROVAL_EXECUTION, name: 'approve-ord_1', status: 'ABORTED' }));

    // Assess
    expect(result).toEqual({ approvalId: 'approve-ord_1', closed: 'CANCELLED' });
    expect(closed).toEqual([['approve-ord_1', 'CANCELLED', '2026-11-24T10:05:00.000Z']]);
  });

  it.each(['FAILED', 'TIMED_OUT'])('withdraws (FAILED) the request of an approval execution that ended %s before it could say so', async (status) => {
    const { closed, store } = approvals(true);

    await closeUndecidedApproval(store)(statusChange({ executionArn: APPROVAL_EXECUTION, name: 'approve-ord_1', status }));

    expect(closed.map(([, outcome]) => outcome)).toEqual(['FAILED']);
  });

  it('reports a request already decided or closed as unchanged (a repeated event changes nothing)', async () => {
    const { store } = approvals(false);

    const result = await closeUndecidedApproval(store)(statusChange({ executionArn: APPROVAL_EXECUTION, name: 'approve-ord_1', status: 'ABORTED' }));

    expect(result).toEqual({ approvalId: 'approve-ord_1', closed: null });
  });

  it('refuses an event that is not an unsuccessful ending, by its error name, touching nothing', async () => {
    const { closed, store } = approvals(true);

    await expect(closeUndecidedApproval(store)(statusChange({ executionArn: APPROVAL_EXECUTION, name: 'approve-ord_1', status: 'SUCCEEDED' })))
      .rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
    await expect(closeUndecidedApproval(store)({ source: 'com.example.orders', 'detail-type': 'OrderPlaced', detail: {} }))
      .rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
    expect(closed).toEqual([]);
  });
});

describe('close-stopped-order', () => {
  const input = JSON.stringify({ id: 'evt-1', detail: { order: { orderId: 'ord_1' } } });

  it('closes the order its stopped execution claimed, naming the stop for operators', async () => {
    // Prepare
    const stops: unknown[] = [];
    const close = closeStoppedOrder({ closeStoppedWhileAwaitingApproval: async (stop) => { stops.push(stop); return true; } });

    // Act
    const result = await close(statusChange({ executionArn: FULFILMENT_EXECUTION, name: '7f3c', status: 'ABORTED', input, error: 'OperatorStopped', cause: 'wrong price' }));

    // Assess
    expect(result).toEqual({ orderId: 'ord_1', closed: true });
    expect(stops).toEqual([{ orderId: 'ord_1', executionArn: FULFILMENT_EXECUTION, stoppedAt: '2026-11-24T10:05:00.000Z', cause: 'Stopped: OperatorStopped: wrong price' }]);
  });

  it('leaves an order that was not waiting for its approver, or that another execution owns, as it is', async () => {
    const close = closeStoppedOrder({ closeStoppedWhileAwaitingApproval: async () => false });

    expect(await close(statusChange({ executionArn: FULFILMENT_EXECUTION, name: '7f3c', status: 'ABORTED', input }))).toEqual({ orderId: 'ord_1', closed: false });
  });

  it('refuses an execution that was not stopped, or whose input names no order', async () => {
    const close = closeStoppedOrder({ closeStoppedWhileAwaitingApproval: async () => true });

    await expect(close(statusChange({ executionArn: FULFILMENT_EXECUTION, name: '7f3c', status: 'FAILED', input }))).rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
    await expect(close(statusChange({ executionArn: FULFILMENT_EXECUTION, name: '7f3c', status: 'ABORTED', input: '{"detail":{}}' }))).rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
  });

  it('tells the customer in our words that nothing was charged, and shows the approval cancelled', () => {
    const view = toOrderView({
      orderId: 'ord_1',
      status: 'FAILED',
      document: JSON.stringify({ orderId: 'ord_1', customerId: 'c1', items: [], total: { amount: 60000, currency: 'EUR' } }),
      placedAt: '2026-11-24T10:00:00.000Z',
      failureError: 'OrderStopped',
      failureCause: 'Stopped: OperatorStopped: wrong price',
      approval: JSON.stringify({ status: 'CANCELLED', decidedBy: null, decidedAt: '2026-11-24T10:05:00.000Z', comment: null }),
    });

    expect(view.failure).toEqual({ error: 'OrderStopped', reason: expect.stringContaining('Nothing was charged') });
    expect(JSON.stringify(view)).not.toContain('wrong price');
    expect(view.approval).toEqual({ status: 'CANCELLED', decidedBy: null, decidedAt: '2026-11-24T10:05:00.000Z', comment: null });
  });
});

describe('close-stopped-document', () => {
  const DOCUMENT_EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:sfn-orders-dev-document-processing:9a1b';
  const documentId = `doc_${'a'.repeat(32)}`;
  const input = (key: string) => JSON.stringify({ source: 'aws.s3', detail: { bucket: { name: 'documents' }, object: { key } } });

  it('sends the document its stopped execution claimed to review', async () => {
    const stops: unknown[] = [];
    const close = closeStoppedDocument({ closeStoppedWhileAwaitingApproval: async (stop) => { stops.push(stop); return true; } });

    const result = await close(statusChange({ executionArn: DOCUMENT_EXECUTION, name: '9a1b', status: 'ABORTED', input: input(`uploads/${documentId}`) }));

    expect(result).toEqual({ documentId, closed: true });
    expect(stops).toEqual([{ documentId, executionArn: DOCUMENT_EXECUTION, stoppedAt: '2026-11-24T10:05:00.000Z' }]);
  });

  it('refuses an execution whose input is not an upload of ours, touching nothing', async () => {
    const stops: unknown[] = [];
    const close = closeStoppedDocument({ closeStoppedWhileAwaitingApproval: async (stop) => { stops.push(stop); return true; } });

    await expect(close(statusChange({ executionArn: DOCUMENT_EXECUTION, name: '9a1b', status: 'ABORTED', input: input('filed/whatever') }))).rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
    await expect(close(statusChange({ executionArn: DOCUMENT_EXECUTION, name: '9a1b', status: 'TIMED_OUT', input: input(`uploads/${documentId}`) }))).rejects.toMatchObject({ name: 'UnexpectedExecutionEvent' });
    expect(stops).toEqual([]);
  });
});
