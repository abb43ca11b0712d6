import { CUSTOMER_SECTION_NOTE, detailSections, type DetailSection } from '../approvals/approval-details.js';
import { formatMoney, type ApprovalSubject } from '../approvals/approval.js';
import type { Order } from '../orders/order.js';
import { cleanText, inertText } from '../text.js';

/**
 * Every email the application writes, as plain text. The approver's comes from the approval
 * queue's consumer (the one place that holds the signed links); the customer's from `notify`.
 */
export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** Sends an email to the address in `to` (an SNS topic with an `email` attribute on AWS). */
export interface EmailSender {
  send(email: Email): Promise<void>;
}

const readableDeadline = (expiresAt: string): string => new Date(expiresAt).toUTCString();

/** A section as plain text: what the customer wrote is labelled as theirs and can hold no live link. */
const sectionText = (section: DetailSection): string => {
  const shown = section.fromCustomer ? inertText : cleanText;
  const heading = section.fromCustomer ? `${section.heading} (${CUSTOMER_SECTION_NOTE}; links disabled)` : section.heading;
  return `${heading}:\n${section.rows.map(({ label, value }) => `  ${shown(label)}: ${shown(value)}`).join('\n')}\n`;
};

/**
 * Every value in it is cleaned; what a customer wrote is also made inert (no link a mail client
 * would follow) and labelled. The only links are the two signed ones this function is given.
 */
export const approvalRequestEmail = (input: {
  request: ApprovalSubject;
  approver: string;
  expiresAt: string;
  approveLink: string;
  rejectLink: string;
}): Email => {
  const { request, approver, expiresAt, approveLink, rejectLink } = input;
  const kind = cleanText(request.kind);
  const id = cleanText(request.id);
  // An order's total is in its lines; another request's amount stands on its own.
  const amount = request.amount && !request.order ? `Amount:   ${formatMoney(request.amount)}\n` : '';
  const reference = request.link ? `Details:  ${inertText(request.link)}\n` : '';
  const sections = detailSections(request).map(sectionText).join('\n');
  return {
    to: approver,
    subject: `Approval needed: ${kind} ${id}${request.amount ? ` (${formatMoney(request.amount)})` : ''}`,
    text: `Hello,

you are asked to approve or reject ${kind} ${id}. ${cleanText(request.summary)}

${sections ? `${sections}\n` : ''}${amount}${reference}Deadline: ${readableDeadline(expiresAt)}

To approve, open:
${approveLink}

To reject, open:
${rejectLink}

Each link opens a page where you confirm (and may add a comment); opening a link decides nothing.
If nobody decides before the deadline, the request expires.
`,
  };
};

export type OrderOutcome = 'PAYMENT_DECLINED' | 'OUT_OF_STOCK' | 'FAILED' | 'APPROVAL_REJECTED' | 'APPROVAL_EXPIRED';

const OUTCOME_TEXT: Record<OrderOutcome, { subject: string; body: (cause: string) => string }> = {
  PAYMENT_DECLINED: {
    subject: 'was declined',
    body: () => 'Your card was declined, so the order was not placed. Nothing was charged; you are welcome to order again with another card.',
  },
  OUT_OF_STOCK: {
    subject: 'could not be filled',
    body: () => 'We do not have enough stock for every item. Nothing was charged (any payment has been refunded) and nothing is held for you.',
  },
  FAILED: {
    subject: 'could not be completed',
    body: () => 'Something went wrong on our side while processing it. Any payment has been refunded and our team has been told.',
  },
  APPROVAL_REJECTED: {
    subject: 'was not approved',
    body: (cause) => `Orders of this size need an approval, and it was declined.\n${cause}\nNothing was charged and nothing is held for you.`,
  },
  APPROVAL_EXPIRED: {
    subject: 'was not approved in time',
    body: () => 'Orders of this size need an approval, and none was given before the deadline. Nothing was charged and nothing is held for you.',
  },
};

/** The order waits for stock; nothing is charged while it does. */
export const backorderedEmail = (input: { order: Pick<Order, 'orderId' | 'email' | 'total' | 'items'>; waitUntil: string }): Email => {
  const { order, waitUntil } = input;
  const lines = order.items.map(({ sku, quantity }) => `  ${quantity} x ${cleanText(sku)}`).join('\n');
  return {
    to: order.email,
    subject: `Your order ${order.orderId} is backordered`,
    text: `Hello,

we do not have enough stock for your order ${order.orderId} (${formatMoney(order.total)}) right now:
${lines}

It keeps its place in line, and ships as soon as stock arrives, in the order orders were placed.
Nothing is charged while it waits (any payment has been refunded); we charge when it ships.
If no stock arrives by ${readableDeadline(waitUntil)}, the order is cancelled and you are told.
`,
  };
};

export const isOrderOutcome = (value: unknown): value is OrderOutcome => typeof value === 'string' && value in OUTCOME_TEXT;

export const orderClosedEmail = (input: { order: Pick<Order, 'orderId' | 'email' | 'total'>; outcome: OrderOutcome; failure?: { Cause?: string } }): Email => {
  const { order, outcome, failure } = input;
  const text = OUTCOME_TEXT[outcome];
  return {
    to: order.email,
    subject: `Your order ${order.orderId} ${text.subject}`,
    text: `Hello,

your order ${order.orderId} (${formatMoney(order.total)}) ${text.subject}.

${text.body(cleanText(failure?.Cause ?? ''))}
`,
  };
};
