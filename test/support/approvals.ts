import { getOrder, orderRequest, outbox, postOrder, type Email } from './api.js';
import { createProduct } from './local-aws.js';
import { pollUntil } from './poll.js';

/** The approver the local stage asks (the `orderApprover` stage parameter). */
export const ORDER_APPROVER = 'approvals@example.com';

/** A product of its own priced so that one unit crosses the 500.00 approval threshold. */
export const placeHighValueOrder = async (stock = 5, overrides: Record<string, unknown> = {}): Promise<{ orderId: string; sku: string }> => {
  const sku = await createProduct(stock, 60_000);
  const { status, body } = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }], ...overrides }));
  if (status !== 201) throw new Error(`order not placed: ${status} ${JSON.stringify(body)}`);
  return { orderId: String(body.orderId), sku };
};

/** Waits for the approver's email about an order and returns it with its approve and reject links. */
export const approvalEmailFor = async (orderId: string): Promise<Email & { approveLink: string; rejectLink: string }> => {
  const emails = await pollUntil(`approval email for ${orderId}`, outbox, (sent) => sent.some((email) => email.subject.startsWith('Approval needed') && email.subject.includes(orderId)), 30_000, 200);
  const email = emails.find((sent) => sent.subject.startsWith('Approval needed') && sent.subject.includes(orderId)) as Email;
  const approveLink = email.links.find((link) => link.endsWith('intent=approve'));
  const rejectLink = email.links.find((link) => link.endsWith('intent=reject'));
  if (!approveLink || !rejectLink) throw new Error(`approval email without both links: ${JSON.stringify(email.links)}`);
  return { ...email, approveLink, rejectLink };
};

export interface Page { status: number; html: string }

export const openLink = async (link: string): Promise<Page> => {
  const response = await fetch(link);
  return { status: response.status, html: await response.text() };
};

/** What the page's form sends when a button is pressed. */
export const submitDecision = async (link: string, decision: string, comment = ''): Promise<Page> => {
  const response = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision, comment }).toString(),
  });
  return { status: response.status, html: await response.text() };
};

export const orderStatus = async (orderId: string): Promise<string> => String((await getOrder(orderId)).body.status);
