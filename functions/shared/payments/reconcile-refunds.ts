import type { PaymentGateway } from './payment-gateway.js';
import type { PaymentLedger } from './payment-ledger.js';
import { completeRefund } from './refund.js';

/** Longer than any refund step takes with its retries, so the reconciler never races a live one. */
export const REFUND_GRACE_MINUTES = 15;

export class RefundsStillOwedError extends Error {
  override name = 'RefundsStillOwed';
}

export interface ReconcileResult {
  refunded: string[];
}

/**
 * Finishes refunds that a step started (row REFUNDING) and nobody finished: a charge whose
 * Parallel branch was cancelled while it refunded a late capture, or a gateway outage that outlasted
 * compensation's retries. Throws after trying every row if any is still owed, so the schedule's
 * error metric alarms.
 */
export const reconcileRefunds = (ledger: PaymentLedger, gateway: PaymentGateway, now: () => Date = () => new Date()) =>
  async (): Promise<ReconcileResult> => {
    const cutoff = new Date(now().getTime() - REFUND_GRACE_MINUTES * 60_000).toISOString();
    const owed = await ledger.listRefundsOwed(cutoff);
    const refunded: string[] = [];
    const failed: string[] = [];
    for (const row of owed) {
      try {
        await completeRefund(ledger, gateway, row.orderId, row.amount);
        refunded.push(row.orderId);
      } catch (error) {
        failed.push(`${row.orderId} (${(error as Error).name})`);
      }
    }
    if (failed.length > 0) {
      throw new RefundsStillOwedError(`refunded ${refunded.length}, still owed: ${failed.join(', ')}`);
    }
    return { refunded };
  };
