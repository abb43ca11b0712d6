export { rejectionOf } from './rejection.js';
import { PaymentGatewayUnavailableError } from '../../../functions/shared/errors.js';
import type { Money } from '../../../functions/shared/orders/order.js';
import { simulatedPaymentGateway, type ChargeRequest, type PaymentGateway } from '../../../functions/shared/payments/payment-gateway.js';
import type { PaymentLedger, PaymentRecord, PaymentStatus } from '../../../functions/shared/payments/payment-ledger.js';

type TransitionFields = { chargeId?: string; refundId?: string; amount?: Money };

/**
 * The payments table in memory, with the conditional semantics of dynamoDbPaymentLedger:
 * recordAttempt is an upsert that counts attempts and keeps status and amount once set;
 * transition from ABSENT is a put-if-absent that writes attempts 0; any other transition
 * succeeds only while the row is in `from`, and sets chargeId/refundId only when given.
 * Every read hands out a copy, as a database would.
 */
export class InMemoryPaymentLedger implements PaymentLedger {
  readonly rows = new Map<string, PaymentRecord>();
  readonly transitions: { orderId: string; from: PaymentStatus | 'ABSENT'; to: PaymentStatus; applied: boolean }[] = [];

  /** The time every write stamps as updatedAt, as the DynamoDB adapter does; tests move it. */
  now = new Date('2026-11-23T12:00:00.000Z');

  /** Runs before each transition is applied: lets a test make another writer win a race, or the step die. */
  beforeTransition: ((orderId: string, from: PaymentStatus | 'ABSENT', to: PaymentStatus) => Promise<void>) | undefined;

  async get(orderId: string): Promise<PaymentRecord | undefined> {
    const row = this.rows.get(orderId);
    return row && structuredClone(row);
  }

  async recordAttempt(orderId: string, amount: Money): Promise<PaymentRecord> {
    const existing = this.rows.get(orderId);
    const next: PaymentRecord = existing
      ? { ...existing, attempts: existing.attempts + 1, updatedAt: this.now.toISOString() }
      : { orderId, status: 'PENDING', amount, attempts: 1, updatedAt: this.now.toISOString() };
    this.rows.set(orderId, next);
    return structuredClone(next);
  }

  async transition(orderId: string, from: PaymentStatus | 'ABSENT', to: PaymentStatus, fields: TransitionFields = {}): Promise<boolean> {
    const hook = this.beforeTransition;
    if (hook) await hook(orderId, from, to);
    const existing = this.rows.get(orderId);
    let applied = false;
    if (from === 'ABSENT') {
      if (!existing) {
        // The adapter writes `amount: fields.amount` as given (refund always passes one).
        this.rows.set(orderId, { orderId, status: to, attempts: 0, amount: fields.amount as Money, updatedAt: this.now.toISOString() });
        applied = true;
      }
    } else if (existing?.status === from) {
      this.rows.set(orderId, {
        ...existing,
        status: to,
        updatedAt: this.now.toISOString(),
        ...(fields.chargeId ? { chargeId: fields.chargeId } : {}),
        ...(fields.refundId ? { refundId: fields.refundId } : {}),
      });
      applied = true;
    }
    this.transitions.push({ orderId, from, to, applied });
    return applied;
  }

  async listRefundsOwed(updatedBefore: string): Promise<PaymentRecord[]> {
    return [...this.rows.values()]
      .filter((row) => row.status === 'REFUNDING' && (row.updatedAt ?? '') < updatedBefore)
      .map((row) => structuredClone(row));
  }

  /** Puts a row directly, for tests that start from a given state. */
  seed(record: PaymentRecord): void {
    this.rows.set(record.orderId, structuredClone(record));
  }
}

export interface SpyGatewayOptions {
  /** Runs after the gateway was asked to charge but before it captured: a refund that reaches the gateway first. */
  beforeCapture?: () => Promise<void>;
  /** Runs after the gateway captured but before the charge call returns: a compensation landing mid-flight. */
  afterCapture?: () => Promise<void>;
  /** Makes that many first refund calls fail as an unreachable gateway would. */
  failingRefunds?: number;
}

/**
 * The simulated gateway behind a spy that records every call, and that keeps the money the way the
 * gateway contract describes it: a charge that succeeds captures (once per order); a refund is by
 * order, gives back whatever is captured and not yet refunded, and is a no-op when nothing is, so
 * a refund that arrives before the capture leaves the later capture held.
 */
export const spyGateway = (options: SpyGatewayOptions = {}) => {
  const inner = simulatedPaymentGateway();
  const charges: ChargeRequest[] = [];
  /** Every refund call, successful or not, by order. */
  const refunds: { orderId: string; amount: Money }[] = [];
  /** The orderId of every refund call that the gateway answered. */
  const succeededRefunds: string[] = [];
  const captured = new Set<string>();
  const refunded = new Set<string>();
  let refundsToFail = options.failingRefunds ?? 0;

  const gateway: PaymentGateway = {
    async charge(request) {
      charges.push(structuredClone(request));
      if (options.beforeCapture) await options.beforeCapture();
      const result = await inner.charge(request);
      captured.add(request.orderId);
      if (options.afterCapture) await options.afterCapture();
      return result;
    },
    async refund(orderId, amount) {
      refunds.push({ orderId, amount: structuredClone(amount) });
      if (refundsToFail > 0) {
        refundsToFail -= 1;
        throw new PaymentGatewayUnavailableError(`gateway unreachable while refunding ${orderId}`);
      }
      succeededRefunds.push(orderId);
      if (captured.has(orderId)) refunded.add(orderId);
      return inner.refund(orderId, amount);
    },
  };

  return {
    gateway,
    charges,
    refunds,
    succeededRefunds,
    /** True while the gateway holds money captured for the order that no refund has given back. */
    holdsMoneyFor: (orderId: string): boolean => captured.has(orderId) && !refunded.has(orderId),
    /** Makes the next `count` refund calls fail as an unreachable gateway would. */
    failNextRefunds: (count: number): void => { refundsToFail = count; },
  };
};

export const AMOUNT: Money = { amount: 25800, currency: 'EUR' };
export const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
export const OTHER_ORDER_ID = 'ord_ffffffffffffffffffffffffffffffff';

