import type { Order } from '../orders/order.js';
import { isOrderOutcome, orderClosedEmail, type EmailSender } from './emails.js';

/** What order-fulfilment's NotifyCustomerOfOutcome hands the notify function. */
export interface NotifyInput {
  template: 'OrderClosed';
  orderId: string;
  order: Pick<Order, 'orderId' | 'email' | 'total'>;
  outcome: string;
  failure?: { Error?: string; Cause?: string };
}

export const notifyCustomer = (sender: EmailSender) =>
  async (input: NotifyInput): Promise<{ sent: string }> => {
    if (input.template !== 'OrderClosed' || !isOrderOutcome(input.outcome)) {
      throw new Error(`notify has no email for template ${String(input.template)} and outcome ${String(input.outcome)}`);
    }
    const email = orderClosedEmail({ order: input.order, outcome: input.outcome, failure: input.failure });
    await sender.send(email);
    return { sent: email.subject };
  };
