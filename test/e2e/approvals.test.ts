import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { linkQuery } from '../../functions/shared/approvals/signed-links.js';
import { LOCAL_APPROVAL_LINK_KEY } from '../../scripts/demo/stack.js';
import { API_URL, getOrder, outbox, waitForTerminalStatus, type OrderView } from '../support/api.js';
import { approvalEmailFor, openLink, ORDER_APPROVER, orderStatus, placeHighValueOrder, submitDecision } from '../support/approvals.js';
import { fulfilmentExecutionOf, getRow, stockOf, TABLES, waitForExecutionEnd } from '../support/local-aws.js';

/**
 * Orders over 500.00 through the real stack: the nested approval workflow, the approval-requests
 * queue and its consumer (the local event source mapping), the email in the outbox, and its
 * signed link followed with a real HTTP client. The test stack gives approvers
 * APPROVAL_TIMEOUT_SECONDS (20 s); the expiring order is placed first so its wait overlaps the rest.
 */
interface ApprovalRow { status: string; taskToken?: string; decidedBy?: string; comment?: string; expiresAt?: string }
type OrderWithApproval = OrderView & { approval: { status: string; decidedBy: string | null; decidedAt: string | null; comment: string | null } | null };

const approvalRow = (orderId: string) => getRow<ApprovalRow>(TABLES.approvals, { approvalId: `approve-${orderId}` });

let expiring: { orderId: string; sku: string; link: string; taskToken: string };

beforeAll(async () => {
  const placed = await placeHighValueOrder();
  const email = await approvalEmailFor(placed.orderId);
  const row = await approvalRow(placed.orderId);
  expiring = { ...placed, link: email.approveLink, taskToken: String(row?.taskToken) };
});

describe('approvals end to end', () => {
  it('holds an order over 500.00 in AWAITING_APPROVAL, charging and reserving nothing, and emails the approver', async () => {
    const { orderId, sku } = await placeHighValueOrder();

    const email = await approvalEmailFor(orderId);
    const { body: order } = await getOrder<OrderWithApproval>(orderId);

    expect(order.status).toBe('AWAITING_APPROVAL');
    expect(order.approval).toEqual({ status: 'PENDING', decidedBy: null, decidedAt: null, comment: null });
    expect(email.to).toBe(ORDER_APPROVER);
    expect(email.subject).toBe(`Approval needed: order ${orderId} (600.00 EUR)`);
    expect(email.text).toMatch(/Deadline: \w{3}, \d{2} \w{3} \d{4}/);
    // What is asked, not just how much: the lines, the total and where it goes (the customer's part labelled).
    expect(email.text).toContain(`1 x Test product ${sku} (${sku}): 600.00 EUR each, 600.00 EUR`);
    expect(email.text).toContain('Total: 600.00 EUR');
    expect(email.text).toContain('Ship to: Ada Lovelace, 12 Analytical Row, N1 9GU London, GB');
    expect(email.text).toContain('(as the customer sent it, not checked by us; links disabled)');
    expect(email.approveLink.startsWith(`${API_URL}/approvals/approve-${orderId}?`)).toBe(true);
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow(TABLES.payments, { orderId })).toBeUndefined();
    expect(await getRow(TABLES.reservations, { orderId })).toBeUndefined();
  });

  it('ships an approved order, shows who approved it, and refuses a second decision with 409', async () => {
    const { orderId, sku } = await placeHighValueOrder();
    const { approveLink, rejectLink } = await approvalEmailFor(orderId);

    const page = await openLink(approveLink);
    const decided = await submitDecision(approveLink, 'APPROVE', 'Known customer <b>');
    const order = (await waitForTerminalStatus(orderId)) as OrderWithApproval;
    const second = await submitDecision(rejectLink, 'REJECT');

    expect(page.status).toBe(200);
    expect(page.html).toContain(`<dt>1 x Test product ${sku} (${sku})</dt><dd>600.00 EUR each, 600.00 EUR</dd>`);
    expect(page.html).toContain('<dt>Ship to</dt><dd>Ada Lovelace, 12 Analytical Row, N1 9GU London, GB</dd>');
    expect(page.html).toContain(ORDER_APPROVER);
    expect(decided.status).toBe(200);
    expect(decided.html).toContain('Known customer &lt;b&gt;');
    expect(order.status).toBe('SHIPPED');
    expect(order.approval).toEqual({ status: 'APPROVED', decidedBy: ORDER_APPROVER, decidedAt: expect.stringMatching(/^\d{4}-/), comment: 'Known customer <b>' });
    expect(await stockOf(sku)).toBe(4);
    expect(await getRow(TABLES.payments, { orderId })).toMatchObject({ status: 'CAPTURED', attempts: 1 });
    expect(second.status).toBe(409);
    expect(second.html).toContain('APPROVED');
    expect((await approvalRow(orderId))?.status).toBe('APPROVED');
  });

  it('closes a rejected order APPROVAL_REJECTED with stock and payment untouched, and tells the customer why', async () => {
    const { orderId, sku } = await placeHighValueOrder();
    const { rejectLink } = await approvalEmailFor(orderId);

    const decided = await submitDecision(rejectLink, 'REJECT', 'Unusual quantity');
    const order = (await waitForTerminalStatus(orderId)) as OrderWithApproval;
    await waitForExecutionEnd(await fulfilmentExecutionOf(orderId));

    expect(decided.status).toBe(200);
    expect(order.status).toBe('APPROVAL_REJECTED');
    expect(order.approval).toMatchObject({ status: 'REJECTED', decidedBy: ORDER_APPROVER, comment: 'Unusual quantity' });
    expect(order.failure).toEqual({ error: 'ApprovalRejected', reason: 'Orders of this size need an approval, and it was declined. Nothing was charged.' });
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow(TABLES.payments, { orderId })).toBeUndefined();
    expect(await getRow(TABLES.reservations, { orderId })).toBeUndefined();
    const email = (await outbox()).find((sent) => sent.subject === `Your order ${orderId} was not approved`);
    expect(email?.text).toContain('Unusual quantity');
  });

  it('decides nothing when the link is opened five times (a mail scanner)', async () => {
    const { orderId } = await placeHighValueOrder();
    const { approveLink, rejectLink } = await approvalEmailFor(orderId);

    const pages = [];
    for (const link of [approveLink, rejectLink, approveLink, rejectLink, approveLink]) pages.push(await openLink(link));

    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await approvalRow(orderId))?.status).toBe('PENDING');
    expect(await orderStatus(orderId)).toBe('AWAITING_APPROVAL');
    await submitDecision(rejectLink, 'REJECT');
  });

  it('lets exactly one of two decisions sent at once win', async () => {
    const { orderId } = await placeHighValueOrder();
    const { approveLink, rejectLink } = await approvalEmailFor(orderId);

    const answers = await Promise.all([submitDecision(approveLink, 'APPROVE'), submitDecision(rejectLink, 'REJECT')]);
    const order = await waitForTerminalStatus(orderId);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers[0]?.status === 200 ? 'APPROVED' : 'REJECTED';
    expect((await approvalRow(orderId))?.status).toBe(winner);
    expect(order.status).toBe(winner === 'APPROVED' ? 'SHIPPED' : 'APPROVAL_REJECTED');
  });

  it('answers 403 to a tampered link, 404 to an unknown approval and 400 to a form without a decision, deciding nothing', async () => {
    const { orderId } = await placeHighValueOrder();
    const { approveLink } = await approvalEmailFor(orderId);
    const url = new URL(approveLink);
    const tampered = (name: string, value: string) => { const copy = new URL(url); copy.searchParams.set(name, value); return copy.toString(); };
    const expires = Number(url.searchParams.get('expires'));
    const unknownId = `approve-ord_${randomUUID().replaceAll('-', '')}`;
    const unknown = `${API_URL}/approvals/${unknownId}?${linkQuery({ approvalId: unknownId, approver: ORDER_APPROVER, expires }, LOCAL_APPROVAL_LINK_KEY)}`;

    const answers = {
      approver: await submitDecision(tampered('approver', 'mallory@example.com'), 'APPROVE'),
      expires: await openLink(tampered('expires', String(expires + 86_400))),
      sig: await submitDecision(tampered('sig', '0'.repeat(64)), 'APPROVE'),
      unknown: await openLink(unknown),
      noDecision: await submitDecision(approveLink, ''),
    };

    expect(Object.fromEntries(Object.entries(answers).map(([name, page]) => [name, page.status]))).toEqual({ approver: 403, expires: 403, sig: 403, unknown: 404, noDecision: 400 });
    expect(answers.sig.html).toMatch(/<h1>This link is not valid<\/h1>/);
    expect((await approvalRow(orderId))?.status).toBe('PENDING');
    await submitDecision(approveLink, 'REJECT');
  });

  it('expires an approval nobody decides: APPROVAL_EXPIRED, nothing charged, the link answers 410', async () => {
    const order = (await waitForTerminalStatus(expiring.orderId, 90_000)) as OrderWithApproval;
    await waitForExecutionEnd(await fulfilmentExecutionOf(expiring.orderId));

    const late = await openLink(expiring.link);
    const lateDecision = await submitDecision(expiring.link, 'APPROVE');

    expect(order.status).toBe('APPROVAL_EXPIRED');
    expect(order.approval).toMatchObject({ status: 'EXPIRED', decidedBy: null });
    expect((await approvalRow(expiring.orderId))).toMatchObject({ status: 'EXPIRED' });
    expect((await approvalRow(expiring.orderId))?.taskToken).toBeUndefined();
    expect(late.status).toBe(410);
    expect(lateDecision.status).toBe(410);
    expect(await stockOf(expiring.sku)).toBe(5);
    expect(await getRow(TABLES.payments, { orderId: expiring.orderId })).toBeUndefined();
    expect((await outbox()).some((sent) => sent.subject === `Your order ${expiring.orderId} was not approved in time`)).toBe(true);
  });

  it('never shows the task token in an email, a link, a page, an API answer or a log line', async () => {
    const emails = JSON.stringify(await outbox());
    const page = await openLink(expiring.link);
    const order = await getOrder(expiring.orderId);
    // The stack's log, when these tests started it (a stack someone else runs logs elsewhere).
    const logPath = process.env.TEST_STACK_LOG;
    const log = logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';

    expect(expiring.taskToken).toMatch(/.{20,}/);
    expect(log === '' || log.includes('approval request handled')).toBe(true);
    for (const text of [emails, page.html, JSON.stringify(order.body), log]) expect(text).not.toContain(expiring.taskToken);
  });
});

