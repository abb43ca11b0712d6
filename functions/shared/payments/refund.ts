import type { Money } from '../orders/order.js';
import type { PaymentGateway } from './payment-gateway.js';
import type { PaymentLedger, PaymentStatus } from './payment-ledger.js';

export interface RefundResult {
  orderId: string;
  /** What compensation did: refunded at the gateway, voided before any attempt, or found nothing to undo. */
  outcome: 'REFUNDED' | 'VOIDED' | 'NOTHING_TO_REFUND';
  previousStatus: PaymentStatus | 'ABSENT';
  refundId?: string;
}

const MAX_RACES = 5;

/** REFUNDING → gateway → REFUNDED. A retry that finds REFUNDING asks the gateway again; it is idempotent per order. */
export const completeRefund = async (ledger: PaymentLedger, gateway: PaymentGateway, orderId: string, amount: Money): Promise<string> => {
  const { refundId } = await gateway.refund(orderId, amount);
  await ledger.transition(orderId, 'REFUNDING', 'REFUNDED', { refundId });
  return refundId;
};

/**
 * Compensation for chargePayment; idempotent and safe to run before, during or after the charge.
 * Each step is a conditional transition, so a lost race just reads the row again.
 */
export const refundPayment = (ledger: PaymentLedger, gateway: PaymentGateway) =>
  async ({ orderId: order, amount, paymentKey }: { orderId: string; amount: Money; paymentKey?: string }): Promise<RefundResult> => {
    // The attempt to undo (chargeOrder's paymentKey); the order's own id for its first.
    const orderId = paymentKey ?? order;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const record = await ledger.get(orderId);
      const status = record?.status ?? 'ABSENT';
      switch (status) {
        case 'ABSENT':
          if (await ledger.transition(orderId, 'ABSENT', 'VOIDED', { amount })) {
            return { orderId, outcome: 'VOIDED', previousStatus: status };
          }
          continue;
        case 'PENDING':
        case 'CAPTURED':
          // A PENDING attempt may have captured before its step died: the gateway decides.
          if (!(await ledger.transition(orderId, status, 'REFUNDING'))) continue;
          return { orderId, outcome: 'REFUNDED', previousStatus: status, refundId: await completeRefund(ledger, gateway, orderId, record?.amount ?? amount) };
        case 'REFUNDING':
          return { orderId, outcome: 'REFUNDED', previousStatus: status, refundId: await completeRefund(ledger, gateway, orderId, record?.amount ?? amount) };
        default:
          return { orderId, outcome: 'NOTHING_TO_REFUND', previousStatus: status };
      }
    }
    throw new Error(`payment row for ${orderId} kept changing; giving up after ${MAX_RACES} reads`);
  };
