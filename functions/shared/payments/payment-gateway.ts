import { createHash } from 'node:crypto';
import { PaymentDeclinedError, PaymentGatewayUnavailableError } from '../errors.js';
import type { Money } from '../orders/order.js';

export interface ChargeRequest {
  orderId: string;
  paymentToken: string;
  amount: Money;
  /** 1 for the first try; a real gateway ignores it, the simulator uses it for `tok_flaky`. */
  attempt: number;
}

export interface PaymentGateway {
  /** Idempotent per orderId, as real gateways are per idempotency key. */
  charge(request: ChargeRequest): Promise<{ chargeId: string }>;
  /**
   * Refunds (or cancels) whatever was captured under the order's idempotency key, and is a no-op
   * when nothing was: found by order, not by charge id, because a step can die after the gateway
   * captured and before we learned the charge id. Idempotent per orderId.
   */
  refund(orderId: string, amount: Money): Promise<{ refundId: string }>;
}

/**
 * The simulated gateway's demo switch (docs/runbook.md): while refunds are down, every refund fails
 * transiently, as a real gateway's refunds do during an outage. Charges are not affected.
 */
export interface GatewayOutages {
  refundsDown(): Promise<boolean>;
}

const NO_OUTAGES: GatewayOutages = { refundsDown: async () => false };

const idFor = (prefix: string, seed: string): string =>
  `${prefix}_${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;

/**
 * Stands in for a card gateway. Demo tokens: `tok_visa` succeeds; `tok_declined` is declined;
 * `tok_flaky` fails transiently on the first two attempts; `tok_gateway_down` always fails
 * transiently. Any other token is declined as unknown. Refunds fail transiently while `outages` says so.
 */
export const simulatedPaymentGateway = (outages: GatewayOutages = NO_OUTAGES): PaymentGateway => ({
  async charge({ orderId, paymentToken, attempt }) {
    switch (paymentToken) {
      case 'tok_visa':
        break;
      case 'tok_flaky':
        if (attempt <= 2) throw new PaymentGatewayUnavailableError(`gateway timed out (attempt ${attempt})`);
        break;
      case 'tok_gateway_down':
        throw new PaymentGatewayUnavailableError(`gateway unreachable (attempt ${attempt})`);
      case 'tok_declined':
        throw new PaymentDeclinedError('card declined: insufficient funds');
      default:
        throw new PaymentDeclinedError(`unknown payment token "${paymentToken}"`);
    }
    return { chargeId: idFor('ch', orderId) };
  },

  // The simulator keeps no state, so it cannot tell "nothing captured" apart and always confirms.
  async refund(orderId) {
    if (await outages.refundsDown()) throw new PaymentGatewayUnavailableError(`refund of ${orderId} not accepted: the gateway's refunds are down (demo switch)`);
    return { refundId: idFor('re', orderId) };
  },
});
