import { checkInvariants, type ChaosSnapshot } from '../../scripts/chaos/invariants.js';

const money = (amount: number) => ({ amount, currency: 'EUR' });

/** Three orders as a good run leaves them: one shipped after a backorder, one declined, one failed and alerted. */
const healthy = (): ChaosSnapshot => ({
  orders: [
    { orderId: 'ord_a', status: 'DELIVERED', totalAmount: 2500 },
    { orderId: 'ord_b', status: 'PAYMENT_DECLINED', totalAmount: 1500 },
    { orderId: 'ord_c', status: 'FAILED', totalAmount: 1500 },
  ],
  unplaced: [],
  payments: [
    { orderId: 'ord_a', status: 'REFUNDED', amount: money(2500), refundId: 're_1' },
    { orderId: 'ord_a/backorder', status: 'CAPTURED', amount: money(2500) },
    { orderId: 'ord_b', status: 'DECLINED', amount: money(1500) },
    { orderId: 'ord_c', status: 'REFUNDED', amount: money(1500), refundId: 're_2' },
  ],
  reservations: [
    { orderId: 'ord_a', status: 'RESERVED', items: [{ sku: 'SKU', quantity: 1 }] },
    { orderId: 'ord_c', status: 'RELEASED', items: [{ sku: 'SKU', quantity: 1 }] },
  ],
  products: [{ sku: 'SKU', initial: 0, restocked: 3, available: 2 }],
  running: [],
  alerted: new Set(['ord_c']),
});

const violationsOf = (snapshot: ChaosSnapshot) =>
  Object.fromEntries(checkInvariants(snapshot).filter((invariant) => invariant.violations.length > 0).map((invariant) => [invariant.name.split(':')[0], invariant.violations]));

describe('chaos invariants', () => {
  it('hold for a run whose orders all ended cleanly', () => {
    expect(violationsOf(healthy())).toEqual({});
  });

  it('catch a second capture of a shipped order and a capture kept for a closed one', () => {
    const snapshot = healthy();
    snapshot.payments.push({ orderId: 'ord_a', status: 'CAPTURED', amount: money(2500) });
    snapshot.payments.find((row) => row.orderId === 'ord_c')!.status = 'CAPTURED';

    expect(violationsOf(snapshot)).toEqual({
      'money kept exactly for shipped orders': ['ord_a DELIVERED with 2 captures', 'ord_c FAILED but ord_c still CAPTURED'],
    });
  });

  it('catch a refund left owed and a refund without an id', () => {
    const snapshot = healthy();
    snapshot.payments[0] = { orderId: 'ord_a', status: 'REFUNDING', amount: money(2500) };
    snapshot.payments[3] = { orderId: 'ord_c', status: 'REFUNDED', amount: money(1500) };

    expect(violationsOf(snapshot)['money kept exactly for shipped orders']).toEqual(['ord_a DELIVERED with ord_a REFUNDING', 'ord_c REFUNDED without a refund id']);
  });

  it('catch stock that appeared or vanished, and a closed order still holding its reservation', () => {
    const snapshot = healthy();
    snapshot.reservations[1]!.status = 'RESERVED';

    expect(violationsOf(snapshot)['stock conserved']).toEqual(['ord_c FAILED still holds its reservation', 'SKU: 0 + 3 restocked ≠ 2 available + 2 reserved']);
  });

  it('catch an unalerted failure, an order left in flight and an execution with nothing to wait for', () => {
    const snapshot = healthy();
    snapshot.alerted.clear();
    snapshot.orders.push({ orderId: 'ord_d', status: 'PROCESSING', totalAmount: 1500 }, { orderId: 'ord_e', status: 'BACKORDERED', totalAmount: 2500 });
    snapshot.running.push({ machine: 'fulfilment', executionArn: 'arn:aws:states:us-east-1:0:execution:fulfilment:x', orderId: 'ord_d' });

    expect(violationsOf(snapshot)).toEqual({
      'every FAILED order alerted operations': ['ord_c FAILED, no alert in the outbox'],
      'every order ends final or waits legitimately': ['ord_d is PROCESSING', 'ord_e is BACKORDERED with no execution waiting for it'],
      'no execution is stuck (RUNNING only for an order that waits)': ['fulfilment x RUNNING (order ord_d PROCESSING)'],
    });
  });

  it('count an order request never accepted', () => {
    const snapshot = healthy();
    snapshot.unplaced.push({ key: 'chaos-1', answer: '503 {"error":"IntakeFailed"}' });

    expect(violationsOf(snapshot)).toEqual({ 'every order request was accepted (retried with its Idempotency-Key)': ['chaos-1: 503 {"error":"IntakeFailed"}'] });
  });
});
