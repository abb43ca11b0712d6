/**
 * What must hold after a chaos run, whatever AWS did underneath: read from the tables, the outbox
 * and the executions as they are at the end, never from what the run expected to happen.
 */

export const FINAL_STATUSES = new Set(['SHIPPED', 'DELIVERED', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'APPROVAL_REJECTED', 'APPROVAL_EXPIRED', 'FAILED']);
/** Statuses an order may rest in while it legitimately waits for a person or for stock. */
export const WAITING_STATUSES = new Set(['AWAITING_APPROVAL', 'BACKORDERED']);
const KEPT_MONEY = new Set(['SHIPPED', 'DELIVERED']);

export interface OrderRow {
  orderId: string;
  status: string;
  totalAmount: number;
}

export interface PaymentRow {
  /** The ledger's key: the order's id, or `<orderId>/backorder` for the charge after a backorder. */
  orderId: string;
  status: string;
  amount?: { amount: number; currency: string };
  refundId?: string;
}

export interface ReservationRow {
  orderId: string;
  status: string;
  items: { sku: string; quantity: number }[];
}

export interface ProductCount {
  sku: string;
  initial: number;
  /** Units added by restocks the API confirmed (each Idempotency-Key once). */
  restocked: number;
  /** Units available now. */
  available: number;
}

export interface RunningExecution {
  machine: string;
  executionArn: string;
  /** The order it works on, when its input names one. */
  orderId?: string;
}

export interface ChaosSnapshot {
  orders: OrderRow[];
  /** Orders POST /orders never accepted, with the last answer. */
  unplaced: { key: string; answer: string }[];
  payments: PaymentRow[];
  reservations: ReservationRow[];
  products: ProductCount[];
  running: RunningExecution[];
  /** Order ids named by the operations topic's alerts in the outbox. */
  alerted: Set<string>;
}

export interface Invariant {
  name: string;
  violations: string[];
}

const orderOfPayment = (key: string): string => key.replace(/\/backorder$/, '');

export const checkInvariants = (snapshot: ChaosSnapshot): Invariant[] => {
  const orders = new Map(snapshot.orders.map((order) => [order.orderId, order]));
  const paymentsOf = new Map<string, PaymentRow[]>();
  for (const row of snapshot.payments) {
    const orderId = orderOfPayment(row.orderId);
    paymentsOf.set(orderId, [...(paymentsOf.get(orderId) ?? []), row]);
  }

  const placed: Invariant = {
    name: 'every order request was accepted (retried with its Idempotency-Key)',
    violations: snapshot.unplaced.map(({ key, answer }) => `${key}: ${answer}`),
  };

  const settled: Invariant = {
    name: 'every order ends final or waits legitimately',
    violations: snapshot.orders
      .filter((order) => !FINAL_STATUSES.has(order.status))
      .filter((order) => !(WAITING_STATUSES.has(order.status) && snapshot.running.some((execution) => execution.orderId === order.orderId)))
      .map((order) => `${order.orderId} is ${order.status}${WAITING_STATUSES.has(order.status) ? ' with no execution waiting for it' : ''}`),
  };

  const notStuck: Invariant = {
    name: 'no execution is stuck (RUNNING only for an order that waits)',
    violations: snapshot.running
      .filter((execution) => !(execution.orderId && WAITING_STATUSES.has(orders.get(execution.orderId)?.status ?? '')))
      .map((execution) => `${execution.machine} ${execution.executionArn.split(':').pop()} RUNNING (order ${execution.orderId ?? 'unknown'} ${execution.orderId ? orders.get(execution.orderId)?.status ?? 'absent' : ''})`.trim()),
  };

  const money: Invariant = { name: 'money kept exactly for shipped orders: one capture of the total, every other attempt refunded or voided', violations: [] };
  for (const order of snapshot.orders) {
    const rows = paymentsOf.get(order.orderId) ?? [];
    const captured = rows.filter((row) => row.status === 'CAPTURED');
    const open = rows.filter((row) => row.status === 'PENDING' || row.status === 'REFUNDING');
    const refundedWithoutId = rows.filter((row) => row.status === 'REFUNDED' && !row.refundId);
    if (KEPT_MONEY.has(order.status)) {
      if (captured.length !== 1) money.violations.push(`${order.orderId} ${order.status} with ${captured.length} captures`);
      else if (captured[0]?.amount?.amount !== order.totalAmount) money.violations.push(`${order.orderId} captured ${captured[0]?.amount?.amount} for a total of ${order.totalAmount}`);
    } else if (FINAL_STATUSES.has(order.status) && captured.length > 0) {
      money.violations.push(`${order.orderId} ${order.status} but ${captured.map((row) => row.orderId).join(', ')} still CAPTURED`);
    }
    if (FINAL_STATUSES.has(order.status) && open.length > 0) money.violations.push(`${order.orderId} ${order.status} with ${open.map((row) => `${row.orderId} ${row.status}`).join(', ')}`);
    refundedWithoutId.forEach((row) => money.violations.push(`${row.orderId} REFUNDED without a refund id`));
  }
  for (const [orderId] of paymentsOf) if (!orders.has(orderId)) money.violations.push(`payment rows for ${orderId}, which is not an order`);

  const stock: Invariant = { name: 'stock conserved: initial + restocked = available + reserved (shipped or in progress)', violations: [] };
  const reservedBySku = new Map<string, number>();
  for (const reservation of snapshot.reservations) {
    if (reservation.status !== 'RESERVED') continue;
    for (const item of reservation.items) reservedBySku.set(item.sku, (reservedBySku.get(item.sku) ?? 0) + item.quantity);
    const order = orders.get(reservation.orderId);
    if (order && FINAL_STATUSES.has(order.status) && !KEPT_MONEY.has(order.status)) stock.violations.push(`${order.orderId} ${order.status} still holds its reservation`);
  }
  for (const product of snapshot.products) {
    const reserved = reservedBySku.get(product.sku) ?? 0;
    if (product.initial + product.restocked !== product.available + reserved) {
      stock.violations.push(`${product.sku}: ${product.initial} + ${product.restocked} restocked ≠ ${product.available} available + ${reserved} reserved`);
    }
    if (product.available < 0) stock.violations.push(`${product.sku}: ${product.available} available`);
  }
  for (const order of snapshot.orders) {
    if (KEPT_MONEY.has(order.status) && !snapshot.reservations.some((reservation) => reservation.orderId === order.orderId && reservation.status === 'RESERVED')) {
      stock.violations.push(`${order.orderId} ${order.status} without a reservation`);
    }
  }

  const alerted: Invariant = {
    name: 'every FAILED order alerted operations',
    violations: snapshot.orders.filter((order) => order.status === 'FAILED' && !snapshot.alerted.has(order.orderId)).map((order) => `${order.orderId} FAILED, no alert in the outbox`),
  };

  return [placed, settled, notStuck, money, stock, alerted];
};
