import type { SQSEvent } from 'aws-lambda';
import { deadlineOf, deliverApprovalRequest, deliverBatch, parseApprovalRequest, type ApprovalRequestMessage, type DeliveryClaim } from '../../functions/shared/approvals/deliver-request.js';
import { checkLink } from '../../functions/shared/approvals/signed-links.js';
import type { Email } from '../../functions/shared/notifications/emails.js';
import { notifyCustomer } from '../../functions/shared/notifications/notify.js';

const KEY = 'unit-test-link-key-of-at-least-32-characters';
const message: ApprovalRequestMessage = {
  approvalId: 'approve-ord_1',
  taskToken: 'the-secret-task-token',
  request: { kind: 'order', id: 'ord_1', summary: 'Order ord_1 placed by ada@example.com', amount: { amount: 149900, currency: 'EUR' } },
  approver: 'boss@example.com',
  timeoutSeconds: 600,
  requestedAt: '2026-11-24T10:00:00.250Z',
};

const NOW = new Date('2026-11-24T10:00:01.000Z');

const setup = (claim: DeliveryClaim = 'claimed') => {
  const sent: Email[] = [];
  const claims: unknown[] = [];
  const marked: unknown[][] = [];
  const deliver = deliverApprovalRequest({
    ledger: {
      claimDelivery: async (request) => { claims.push(request); return claim; },
      markSent: async (...args) => { marked.push(args); },
    },
    leaseSeconds: 10,
    now: () => NOW,
    linkKey: async () => KEY,
    baseUrl: 'https://api.example.com/',
    sender: { send: async (email) => { sent.push(email); } },
  });
  return { sent, claims, marked, deliver };
};

describe('deliver-approval-request', () => {
  it('keeps the token with the deadline and claims the email, then emails the approver both signed links and records it sent', async () => {
    // Prepare
    const { sent, claims, marked, deliver } = setup();

    // Act
    const result = await deliver(message);

    // Assess
    expect(result).toBe('sent');
    expect(claims).toEqual([{ approvalId: 'approve-ord_1', taskToken: 'the-secret-task-token', expiresAt: '2026-11-24T10:10:00.000Z', now: NOW, leaseSeconds: 10 }]);
    expect(marked).toEqual([['approve-ord_1', NOW]]);
    const [email] = sent;
    expect(email?.to).toBe('boss@example.com');
    expect(email?.subject).toBe('Approval needed: order ord_1 (1499.00 EUR)');
    expect(email?.text).toContain('Tue, 24 Nov 2026 10:10:00 GMT');
    const links = email?.text.match(/https:\/\/\S+/g) ?? [];
    expect(links).toHaveLength(2);
    for (const link of links) {
      const url = new URL(link);
      expect(url.pathname).toBe('/approvals/approve-ord_1');
      expect(checkLink('approve-ord_1', Object.fromEntries(url.searchParams), KEY, Date.parse('2026-11-24T10:05:00Z')).ok).toBe(true);
    }
    expect(JSON.stringify(sent)).not.toContain('the-secret-task-token');
  });

  it('emails nobody for a request that is no longer pending', async () => {
    const { sent, deliver } = setup('closed');

    expect(await deliver(message)).toBe('closed');
    expect(sent).toEqual([]);
  });

  it('does not email again when an earlier delivery of the request sent it (a redelivered or duplicate message)', async () => {
    const { sent, marked, deliver } = setup('sent');

    expect(await deliver(message)).toBe('already-sent');
    expect(sent).toEqual([]);
    expect(marked).toEqual([]);
  });

  it('fails a delivery while another one holds a fresh claim, so SQS brings it back once that attempt has ended', async () => {
    const { sent, deliver } = setup('in-progress');

    await expect(deliver(message)).rejects.toMatchObject({ name: 'ApprovalDeliveryInProgress' });
    expect(sent).toEqual([]);
  });

  it('leaves the claim unrecorded as sent when publishing fails, so a later delivery sends it once the lease runs out', async () => {
    // Prepare
    const marked: unknown[] = [];
    const deliver = deliverApprovalRequest({
      ledger: { claimDelivery: async () => 'claimed', markSent: async (...args) => { marked.push(args); } },
      leaseSeconds: 10,
      now: () => NOW,
      linkKey: async () => KEY,
      baseUrl: 'https://api.example.com',
      sender: { send: async () => { throw new Error('SNS unavailable'); } },
    });

    // Act
    const delivery = deliver(message);

    // Assess
    await expect(delivery).rejects.toThrow('SNS unavailable');
    expect(marked).toEqual([]);
  });

  it('rounds the deadline down to the second the link carries', () => {
    expect(deadlineOf(message)).toEqual({ expires: Date.parse('2026-11-24T10:10:00Z') / 1000, expiresAt: '2026-11-24T10:10:00.000Z' });
  });

  it('names what a malformed message lacks, never its token', () => {
    expect(() => parseApprovalRequest(JSON.stringify({ ...message, approver: 'not an address' }))).toThrow('approver');
    expect(() => parseApprovalRequest('{')).toThrow('not JSON');
    let thrown: unknown;
    try {
      parseApprovalRequest(JSON.stringify({ ...message, timeoutSeconds: -1 }));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).not.toContain('the-secret-task-token');
  });

  it('reports only the messages that failed, so SQS redelivers just those', async () => {
    // Prepare
    const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent['Records'][number];
    const failures: string[] = [];
    const handle = deliverBatch(async (parsed) => { if (parsed.approvalId === 'approve-ord_2') throw new Error('SNS down'); }, (id) => failures.push(id));

    // Act
    const response = await handle({ Records: [
      record('m1', JSON.stringify(message)),
      record('m2', JSON.stringify({ ...message, approvalId: 'approve-ord_2' })),
      record('m3', 'not json'),
    ] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(failures).toEqual(['m2', 'm3']);
  });
});

describe('notify', () => {
  const order = { orderId: 'ord_1', email: 'ada@example.com', total: { amount: 149900, currency: 'EUR' } };

  it.each([
    ['PAYMENT_DECLINED', 'was declined', 'card was declined'],
    ['OUT_OF_STOCK', 'could not be filled', 'enough stock'],
    ['FAILED', 'could not be completed', 'refunded'],
    ['APPROVAL_REJECTED', 'was not approved', 'Rejected by boss@example.com. Too much'],
    ['APPROVAL_EXPIRED', 'was not approved in time', 'before the deadline'],
  ])('words the %s ending for the customer', async (outcome, subject, sentence) => {
    // Prepare
    const sent: Email[] = [];

    // Act
    await notifyCustomer({ send: async (email) => { sent.push(email); } })({
      template: 'OrderClosed', orderId: 'ord_1', order, outcome, failure: { Error: 'x', Cause: 'Rejected by boss@example.com. Too much' },
    });

    // Assess
    expect(sent).toEqual([{ to: 'ada@example.com', subject: `Your order ord_1 ${subject}`, text: expect.stringContaining(sentence) }]);
    expect(sent[0]?.text).toContain('1499.00 EUR');
  });

  it('tells a backordered customer what waits, that nothing is charged meanwhile, and until when', async () => {
    // Prepare
    const sent: Email[] = [];
    const items = [{ sku: 'CBL-USBC-1M', name: 'USB-C cable', quantity: 2, unitPrice: { amount: 900, currency: 'EUR' }, lineTotal: { amount: 1800, currency: 'EUR' } }];

    // Act
    await notifyCustomer({ send: async (email) => { sent.push(email); } })({
      template: 'Backordered', orderId: 'ord_1', order: { ...order, items }, windowSeconds: 3600, backorderedAt: '2026-11-24T10:00:00.000Z',
    });

    // Assess
    expect(sent).toEqual([{ to: 'ada@example.com', subject: 'Your order ord_1 is backordered', text: expect.stringContaining('2 x CBL-USBC-1M') }]);
    expect(sent[0]?.text).toContain('Nothing is charged while it waits');
    expect(sent[0]?.text).toContain('Tue, 24 Nov 2026 11:00:00 GMT');
  });

  it('refuses an outcome it has no words for', async () => {
    await expect(notifyCustomer({ send: async () => undefined })({ template: 'OrderClosed', orderId: 'ord_1', order, outcome: 'SHIPPED' })).rejects.toThrow('no email');
  });
});
