import { randomUUID } from 'node:crypto';
import { api, cleanUp, createProduct, eventually, forgetApproval, forgetOrder, Mailbox, STAGE, type Mail } from './target.js';

/**
 * The order scenarios that make sense on AWS, through the public API only: in npm test against the
 * local stack, and by `npm run test:deployed -- --stage <stage>` against a deployed stage. Email is
 * read from a queue this run subscribes to the stage's topics; what the run creates it removes.
 */
interface OrderView { orderId: string; status: string; approval: { status: string; decidedBy: string | null; comment: string } | null; failure: unknown }

const FINAL = ['SHIPPED', 'DELIVERED', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'APPROVAL_REJECTED', 'APPROVAL_EXPIRED', 'FAILED'];
let mailbox: Mailbox;
let sku: string;
let largeSku: string;

const order = (overrides: Record<string, unknown> = {}) => ({
  email: `deployed-${randomUUID().slice(0, 8)}@example.com`,
  items: [{ sku, quantity: 1 }],
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  ...overrides,
});

const place = async (body: Record<string, unknown>, key = randomUUID()) => {
  const placed = await api<{ orderId: string; status: string }>('/orders', { method: 'POST', as: 'customer', headers: { 'idempotency-key': key }, body: JSON.stringify(body) });
  if (placed.status === 201) forgetOrder(placed.body.orderId);
  return placed;
};

const settled = (orderId: string, statuses = FINAL) =>
  eventually(`order ${orderId}`, async () => (await api<OrderView>(`/orders/${orderId}`, { as: 'customer' })).body, (view) => statuses.includes(view.status));

const mailTo = (address: string, subject: string) => (mail: Mail) => mail.to === address && mail.subject.includes(subject);

beforeAll(async () => {
  mailbox = await Mailbox.open();
  sku = await createProduct(1_500, 50);
  // One unit crosses the 500.00 approval threshold.
  largeSku = await createProduct(60_000, 5);
});

afterAll(async () => {
  await cleanUp();
  await mailbox?.close();
});

describe(`a deployed stage (${STAGE})`, () => {
  it('ships an order and emails the customer, and the same Idempotency-Key names the same order', async () => {
    const body = order();
    const key = randomUUID();
    const placed = await place(body, key);
    const replayed = await place(body, key);

    expect(placed.status).toBe(201);
    expect(replayed).toMatchObject({ status: 201, body: { orderId: placed.body.orderId } });
    expect((await settled(placed.body.orderId)).status).toMatch(/^(SHIPPED|DELIVERED)$/);
    await mailbox.waitFor('that the order shipped', mailTo(String(body.email), `Your order ${placed.body.orderId} has shipped`));
  });

  it('closes a declined payment as PAYMENT_DECLINED and tells the customer', async () => {
    const body = order({ paymentToken: 'tok_declined' });
    const placed = await place(body);

    expect((await settled(placed.body.orderId)).status).toBe('PAYMENT_DECLINED');
    await mailbox.waitFor('that the payment was declined', mailTo(String(body.email), 'was declined'));
  });

  it('refuses a request without a token, a malformed one, and shows an order to no other customer', async () => {
    const placed = await place(order());

    expect((await api('/orders', { method: 'POST', body: JSON.stringify(order()) })).status).toBe(401);
    expect(await api('/orders', { method: 'POST', as: 'customer', body: JSON.stringify({ items: [] }) })).toMatchObject({ status: 400, body: { error: expect.any(String) } });
    expect((await api(`/orders/${placed.body.orderId}`, { as: 'otherCustomer' })).status).toBe(404);
  });

  it('holds an order over 500.00 for the approver, whose emailed link approves it', async () => {
    const placed = await place(order({ items: [{ sku: largeSku, quantity: 1 }] }));
    forgetApproval(`approve-${placed.body.orderId}`);
    await settled(placed.body.orderId, ['AWAITING_APPROVAL']);

    const request = await mailbox.waitFor('asking the approver', (mail) => mail.subject.startsWith('Approval needed') && mail.subject.includes(placed.body.orderId));
    const approveLink = request.links.find((link) => link.includes('intent=approve'));
    expect(approveLink).toBeDefined();
    expect((await fetch(approveLink!)).status).toBe(200);
    const decided = await fetch(approveLink!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'APPROVE', comment: 'deployed suite' }).toString() });
    expect(decided.status).toBe(200);

    const view = await settled(placed.body.orderId);
    expect(view.status).toMatch(/^(SHIPPED|DELIVERED)$/);
    expect(view.approval).toMatchObject({ status: 'APPROVED', comment: 'deployed suite' });
  });
});
