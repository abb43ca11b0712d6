import type { Order } from '../orders/order.js';
import { backorderedEmail, isOrderOutcome, orderClosedEmail, type EmailSender } from './emails.js';

/** What order-fulfilment's NotifyCustomerOfOutcome hands the notify function. */
export interface OrderClosedInput {
  template: 'OrderClosed';
  orderId: string;
  order: Pick<Order, 'orderId' | 'email' | 'total'>;
  outcome: string;
  failure?: { Error?: string; Cause?: string };
}

/** What order-fulfilment's NotifyBackordered hands it: the order waits for stock at most windowSeconds. */
export interface BackorderedInput {
  template: 'Backordered';
  orderId: string;
  order: Pick<Order, 'orderId' | 'email' | 'total' | 'items'>;
  windowSeconds: number;
  backorderedAt: string;
}

export type NotifyInput = OrderClosedInput | BackorderedInput;

export const notifyCustomer = (sender: EmailSender) =>
  async (input: NotifyInput): Promise<{ sent: string }> => {
    if (input.template === 'Backordered') {
      const email = backorderedEmail({ order: input.order, waitUntil: new Date(Date.parse(input.backorderedAt) + input.windowSeconds * 1000).toISOString() });
      await sender.send(email);
      return { sent: email.subject };
    }
    if (input.template !== 'OrderClosed' || !isOrderOutcome(input.outcome)) {
      throw new Error(`notify has no email for template ${String(input.template)} and outcome ${String(input.outcome)}`);
    }
    const email = orderClosedEmail({ order: input.order, outcome: input.outcome, failure: input.failure });
    await sender.send(email);
    return { sent: email.subject };
  };
