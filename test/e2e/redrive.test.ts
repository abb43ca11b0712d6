import { DescribeExecutionCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { setRefundsDown } from '../../functions/shared/payments/dynamodb-gateway-outages.js';
import { call, getOrder, orderRequest, outbox, postOrder, waitForTerminalStatus } from '../support/api.js';
import { createProduct, db, executionHistory, fulfilmentExecutionOf, getRow, stockOf, TABLES, waitForExecutionEnd } from '../support/local-aws.js';
import { sfn } from '../support/workflow-harness.js';

/**
 * A payment gateway outage outlasting a refund's retries, and the redrive after it (docs/runbook.md):
 * through the real HTTP API, the real refund handler behind the demo switch, and the engine's
 * RedriveExecution (launcher patch 42).
 */
interface PaymentRow { status: string; chargeId?: string; refundId?: string }
interface ReservationRow { status: string }
interface ConsoleView {
  status: string;
  states: { name: string; status: string; attempts: number }[];
  edges: { from: string; to: string; kind: string; error?: string }[];
}

const entries = (events: Awaited<ReturnType<typeof executionHistory>>, state: string) =>
  events.filter((event) => event.stateEnteredEventDetails?.name === state).length;
const consoleView = async (executionArn: string): Promise<ConsoleView> => {
  const { status, body } = await call<ConsoleView>(`/_local/console/api/executions/${encodeURIComponent(executionArn)}`);
  expect(status).toBe(200);
  return body;
};
const stateIn = (view: ConsoleView, name: string) => view.states.find((state) => state.name === name);

describe('redrive after a payment gateway outage', () => {
  afterEach(() => setRefundsDown(db, TABLES.payments, false));

  it('leaves an order whose refund outlasts its retries FAILED at the refund; redriven after the outage, it is refunded once', async () => {
    const sku = await createProduct(5);
    await setRefundsDown(db, TABLES.payments, true);

    // The carrier is unreachable at 99999: the order was charged and must be refunded.
    const placed = await postOrder(orderRequest({
      items: [{ sku, quantity: 2 }],
      shippingAddress: { name: 'Ada', line1: '1 Nowhere Lane', city: 'Void', postalCode: '99999', country: 'DE' },
    }));
    expect(placed.status).toBe(201);
    const orderId = String(placed.body.orderId);

    // The customer reads why the order closed while the refund waits for the gateway.
    const closed = await waitForTerminalStatus(orderId);
    expect(closed.status).toBe('FAILED');
    expect(closed.failure).toMatchObject({ error: 'CarrierUnavailable', reason: expect.stringContaining('refunded') });
    const executionArn = await fulfilmentExecutionOf(orderId);
    const stuck = await waitForExecutionEnd(executionArn);
    expect(stuck).toMatchObject({ status: 'FAILED', error: 'PaymentGatewayUnavailable', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId })).toMatchObject({ status: 'REFUNDING' });
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId })).toMatchObject({ status: 'RELEASED' });
    expect(await stockOf(sku)).toBe(5);
    const atTheRefund = await consoleView(executionArn);
    expect(stateIn(atTheRefund, 'RefundPayment')).toEqual({ name: 'RefundPayment', status: 'FAILED', attempts: 10 });
    expect(stateIn(atTheRefund, 'ReleaseInventory')?.status).toBe('SUCCEEDED');
    expect(stateIn(atTheRefund, 'NotifyCustomerOfOutcome')?.status).toBe('NOT_RUN');
    // The customer is emailed once the compensation is done, not before.
    expect((await outbox()).filter((email) => email.subject.includes(orderId))).toEqual([]);

    // The outage ends; operations redrive the execution.
    await setRefundsDown(db, TABLES.payments, false);
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await waitForExecutionEnd(executionArn);

    // A FAILED order ends its execution in FulfilmentFailed: compensated, as an order that was never stuck.
    expect(redriven).toMatchObject({ status: 'FAILED', error: 'FulfilmentFailed', redriveCount: 1 });
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId })).toMatchObject({ status: 'REFUNDED', refundId: expect.stringMatching(/^re_/) });
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId })).toMatchObject({ status: 'RELEASED' });
    expect(await stockOf(sku)).toBe(5);
    const { body: order } = await getOrder(orderId);
    expect(order).toMatchObject({ status: 'FAILED', failure: closed.failure });
    const emails = (await outbox()).filter((email) => email.subject.includes(orderId));
    expect(emails.map((email) => email.subject)).toEqual([`Your order ${orderId} could not be completed`]);

    // Only what had not finished ran again: the refund (once, successfully), not the release nor anything before.
    const events = await executionHistory(executionArn);
    expect(events.filter((event) => event.type === 'ExecutionRedriven').map((event) => event.executionRedrivenEventDetails?.redriveCount)).toEqual([1]);
    expect({ claim: entries(events, 'ClaimOrder'), charge: entries(events, 'ChargePayment'), record: entries(events, 'RecordOutcome'), release: entries(events, 'ReleaseInventory'), refund: entries(events, 'RefundPayment') })
      .toEqual({ claim: 1, charge: 1, record: 1, release: 1, refund: 2 });

    // The console draws the execution as it ended: the refund SUCCEEDED on its eleventh try, no edge into the resumed Parallel.
    const view = await consoleView(executionArn);
    expect(view.status).toBe('FAILED');
    expect(stateIn(view, 'RefundPayment')).toEqual({ name: 'RefundPayment', status: 'SUCCEEDED', attempts: 11 });
    expect(stateIn(view, 'ReleaseInventory')).toEqual({ name: 'ReleaseInventory', status: 'SUCCEEDED', attempts: 1 });
    expect(stateIn(view, 'Compensate')?.status).toBe('SUCCEEDED');
    expect(stateIn(view, 'NotifyCustomerOfOutcome')?.status).toBe('SUCCEEDED');
    expect(stateIn(view, 'FulfilmentFailed')?.status).toBe('FAILED');
    expect(view.edges).toEqual(expect.arrayContaining([
      { from: 'RecordOutcome', to: 'Compensate', kind: 'next' },
      { from: 'Compensate', to: 'NotifyCustomerOfOutcome', kind: 'next' },
    ]));
    expect(view.edges.filter((edge) => edge.to === 'Compensate')).toEqual([{ from: 'RecordOutcome', to: 'Compensate', kind: 'next' }]);

    // AWS would let it be redriven again (it would only run FulfilmentFailed again); the runbook says when not to.
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveStatus).toBe('REDRIVABLE');
  });
});
