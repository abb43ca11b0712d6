import { reconcileRefunds, REFUND_GRACE_MINUTES, RefundsStillOwedError } from '../../functions/shared/payments/reconcile-refunds.js';
import { rejectionOf } from './support/rejection.js';
import { AMOUNT, InMemoryPaymentLedger, ORDER_ID, OTHER_ORDER_ID, spyGateway } from './support/payments.js';

const minutesAfter = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

describe('reconcileRefunds', () => {
  it('finishes a refund left REFUNDING longer than the grace period', async () => {
    // Prepare
    const ledger = new InMemoryPaymentLedger();
    ledger.seed({ orderId: ORDER_ID, status: 'REFUNDING', amount: AMOUNT, attempts: 1, updatedAt: ledger.now.toISOString() });
    const { gateway, succeededRefunds } = spyGateway();

    // Act
    const result = await reconcileRefunds(ledger, gateway, () => minutesAfter(ledger.now, REFUND_GRACE_MINUTES + 1))();

    // Assess
    expect(result.refunded).toEqual([ORDER_ID]);
    expect(succeededRefunds).toEqual([ORDER_ID]);
    expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
  });

  it('leaves a refund that a live step may still be finishing', async () => {
    const ledger = new InMemoryPaymentLedger();
    ledger.seed({ orderId: ORDER_ID, status: 'REFUNDING', amount: AMOUNT, attempts: 1, updatedAt: ledger.now.toISOString() });
    const { gateway, refunds } = spyGateway();

    const result = await reconcileRefunds(ledger, gateway, () => minutesAfter(ledger.now, REFUND_GRACE_MINUTES - 1))();

    expect(result.refunded).toEqual([]);
    expect(refunds).toEqual([]);
    expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDING');
  });

  it('ignores rows in every other status', async () => {
    const ledger = new InMemoryPaymentLedger();
    for (const status of ['PENDING', 'CAPTURED', 'DECLINED', 'REFUNDED', 'VOIDED'] as const) {
      ledger.seed({ orderId: `ord_${status}`, status, amount: AMOUNT, attempts: 1, updatedAt: ledger.now.toISOString() });
    }
    const { gateway, refunds } = spyGateway();

    const result = await reconcileRefunds(ledger, gateway, () => minutesAfter(ledger.now, 60))();

    expect(result.refunded).toEqual([]);
    expect(refunds).toEqual([]);
  });

  it('tries every owed refund and then fails, naming those still owed, when the gateway refuses some', async () => {
    const ledger = new InMemoryPaymentLedger();
    for (const orderId of [ORDER_ID, OTHER_ORDER_ID]) {
      ledger.seed({ orderId, status: 'REFUNDING', amount: AMOUNT, attempts: 1, updatedAt: ledger.now.toISOString() });
    }
    const { gateway, succeededRefunds } = spyGateway({ failingRefunds: 1 });

    const error = await rejectionOf(() => reconcileRefunds(ledger, gateway, () => minutesAfter(ledger.now, 60))());

    expect(error).toBeInstanceOf(RefundsStillOwedError);
    expect((error as Error).message).toContain('refunded 1, still owed');
    expect(succeededRefunds).toHaveLength(1);
    expect([...ledger.rows.values()].map((row) => row.status).sort()).toEqual(['REFUNDED', 'REFUNDING']);
  });
});
