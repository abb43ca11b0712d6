import type { Money } from '../orders/order.js';
import type { PaymentGateway } from './payment-gateway.js';
import type { PaymentLedger, PaymentStatus } from './payment-ledger.js';

export interface RefundResult {
  orderId: string;
  /** What compensation did: refunded a capture, voided an attempt, or found nothing to undo. */
  outcome: 'REFUNDED' | 'VOIDED' | 'NOTHING_TO_REFUND';
  previousStatus: PaymentStatus | 'ABSENT';
  refundId?: string;
}

const MAX_RACES = 5;

/**
 * Compensation for chargePayment; idempotent and safe to run before, during or after the charge.
 * Each step is a conditional transition, so a lost race just reads the row again.
 */
export const refundPayment = (ledger: PaymentLedger, gateway: PaymentGateway) =>
  async ({ orderId, amount }: { orderId: string; amount: Money }): Promise<RefundResult> => {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const record = await ledger.get(orderId);
      const status = record?.status ?? 'ABSENT';
      switch (status) {
        case 'ABSENT':
        case 'PENDING':
          if (await ledger.transition(orderId, status, 'VOIDED', { amount })) {
            return { orderId, outcome: 'VOIDED', previousStatus: status };
          }
          continue;
        case 'CAPTURED': {
          const { refundId } = await gateway.refund(record?.chargeId ?? '', record?.amount ?? amount);
          if (await ledger.transition(orderId, 'CAPTURED', 'REFUNDED', { refundId })) {
            return { orderId, outcome: 'REFUNDED', previousStatus: status, refundId };
          }
          continue;
        }
        default:
          return { orderId, outcome: 'NOTHING_TO_REFUND', previousStatus: status };
      }
    }
    throw new Error(`payment row for ${orderId} kept changing; giving up after ${MAX_RACES} reads`);
  };
