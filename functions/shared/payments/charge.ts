import { ChargeVoidedError, PaymentDeclinedError } from '../errors.js';
import type { Money } from '../orders/order.js';
import type { PaymentGateway } from './payment-gateway.js';
import type { PaymentLedger } from './payment-ledger.js';
import { completeRefund } from './refund.js';

export interface ChargeInput {
  orderId: string;
  amount: Money;
  paymentToken: string;
}

export interface ChargeResult {
  orderId: string;
  chargeId: string;
  amount: Money;
  attempts: number;
}

/**
 * Charges an order at most once, however often the step is retried or the workflow replayed:
 * the ledger row keyed by order decides, and a charge that lands after a compensation is
 * refunded on the spot instead of being kept.
 */
export const chargePayment = (ledger: PaymentLedger, gateway: PaymentGateway) =>
  async ({ orderId, amount, paymentToken }: ChargeInput): Promise<ChargeResult> => {
    const record = await ledger.recordAttempt(orderId, amount);
    switch (record.status) {
      case 'CAPTURED':
        return { orderId, chargeId: record.chargeId ?? '', amount: record.amount, attempts: record.attempts };
      case 'DECLINED':
        throw new PaymentDeclinedError(`payment for ${orderId} was already declined`);
      case 'REFUNDING':
        // A capture that landed after compensation, whose refund has not gone through yet.
        await completeRefund(ledger, gateway, orderId, record.amount);
        throw new ChargeVoidedError(`payment for ${orderId} was compensated; refunded, not charging again`);
      case 'REFUNDED':
      case 'VOIDED':
        throw new ChargeVoidedError(`payment for ${orderId} was compensated; not charging again`);
      case 'PENDING':
        break;
    }

    let chargeId: string;
    try {
      ({ chargeId } = await gateway.charge({ orderId, paymentToken, amount, attempt: record.attempts }));
    } catch (error) {
      if (error instanceof PaymentDeclinedError) await ledger.transition(orderId, 'PENDING', 'DECLINED');
      throw error;
    }

    if (!(await ledger.transition(orderId, 'PENDING', 'CAPTURED', { chargeId }))) {
      const current = await ledger.get(orderId);
      if (current?.status === 'CAPTURED') {
        // An overlapping attempt of this step (a Lambda retry) recorded the same capture first.
        return { orderId, chargeId: current.chargeId ?? chargeId, amount: current.amount, attempts: current.attempts };
      }
      // Compensation ran while the gateway call was in flight, and may have asked the gateway
      // before this capture existed: reopen the refund so this capture is refunded too. If the
      // gateway fails now the row stays REFUNDING, and the step's retry (or a reconciler) finishes it.
      if (current?.status === 'REFUNDED') await ledger.transition(orderId, 'REFUNDED', 'REFUNDING');
      await completeRefund(ledger, gateway, orderId, amount);
      throw new ChargeVoidedError(`payment for ${orderId} was compensated during the charge; refunded ${chargeId}`);
    }
    return { orderId, chargeId, amount, attempts: record.attempts };
  };
