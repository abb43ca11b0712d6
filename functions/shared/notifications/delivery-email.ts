import { NotificationUnavailableError } from '../errors.js';
import type { Email, EmailSender } from './emails.js';

/**
 * The customer's "delivered" email, kept in an outbox on the order row: MarkOrderDelivered sets it
 * PENDING in the same write that makes the order DELIVERED, so no crash can separate the two, and
 * this step sends it. A sender claims it first (a lease no longer than this function can run), so
 * two executions acting on one delivery at once send one email; a send that fails gives the claim
 * back, so the carrier's redelivery (or a replay of the event kept aside) sends it later.
 */
export interface DeliveryEmailOutbox {
  /** Takes the pending email of a DELIVERED order, unless another sender holds a claim that has not expired; answers where to send it. */
  claim(orderId: string, claim: { token: string; now: Date; expiresAt: Date }): Promise<{ email: string } | undefined>;
  /** Gives a claim back: the email is pending again. */
  release(orderId: string, token: string): Promise<void>;
  /** The email went out: nothing is pending any more (a claim that expired and was taken over changes nothing). */
  markSent(orderId: string, token: string): Promise<void>;
}

export interface DeliveryEmailInput {
  orderId: string;
  event: { occurredAt: string };
}

export const deliveredEmail = (input: { orderId: string; email: string; occurredAt: string }): Email => ({
  to: input.email,
  subject: `Your order ${input.orderId} has been delivered`,
  text: `Your order ${input.orderId} was delivered at ${input.occurredAt}. Thank you for shopping with us.`,
});

export const sendDeliveryEmail = (outbox: DeliveryEmailOutbox, sender: EmailSender, leaseMs: number, claimToken: () => string, now: () => Date = () => new Date()) =>
  async ({ orderId, event }: DeliveryEmailInput): Promise<{ sent: boolean }> => {
    const token = claimToken();
    const at = now();
    const claimed = await outbox.claim(orderId, { token, now: at, expiresAt: new Date(at.getTime() + leaseMs) });
    // Sent already, claimed by a sender still within its lease, or not DELIVERED (the order was not SHIPPED).
    if (!claimed) return { sent: false };
    try {
      await sender.send(deliveredEmail({ orderId, email: claimed.email, occurredAt: event.occurredAt }));
    } catch (error) {
      await outbox.release(orderId, token);
      throw error instanceof NotificationUnavailableError ? error : new NotificationUnavailableError(`the delivery email of ${orderId} was not sent: ${(error as Error).message}`);
    }
    await outbox.markSent(orderId, token);
    return { sent: true };
  };
