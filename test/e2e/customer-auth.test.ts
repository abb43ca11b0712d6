import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bearer, call, getOrder, orderRequest, postOrder, signIn, waitForTerminalStatus, type Customer } from '../support/api.js';
import { pollUntil } from '../support/poll.js';
import { countExecutions, countRows, createProduct, getRow, MACHINES, stockOf, TABLES } from '../support/local-aws.js';

/**
 * Who may call what, through the real HTTP API: the JWT authorizer the template declares, tokens
 * from the local issuer, and the customer as the owner of what it places.
 */
const writes = () => Promise.all([countRows(TABLES.orders), countExecutions(MACHINES.intake), countExecutions(MACHINES.fulfilment)]);

const orderAs = async (customer: Customer, key?: string) => {
  const sku = await createProduct(10);
  return postOrder(orderRequest({ items: [{ sku, quantity: 1 }] }), key ? { 'idempotency-key': key } : {}, customer);
};

describe('signing in', () => {
  it('hands out a Bearer token that places and reads an order', async () => {
    const alice = await signIn(`alice-${randomUUID()}`);

    const placed = await orderAs(alice);
    const order = await waitForTerminalStatus(String(placed.body.orderId), 60_000, alice);

    expect(placed.status).toBe(201);
    expect(order).toMatchObject({ status: 'SHIPPED', customerId: alice.sub });
  });

  it('refuses a token request without a sub with 400, naming the field', async () => {
    const response = await call('/_local/token', { method: 'POST', body: JSON.stringify({ scope: 'orders' }) });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'InvalidTokenRequest', message: expect.stringContaining('"sub"') });
  });

  it('serves the issuer discovery document and its keys, as the authorizer fetches them', async () => {
    const discovery = await call<{ issuer: string; jwks_uri: string }>('/_local/issuer/.well-known/openid-configuration');
    const jwks = await fetch(discovery.body.jwks_uri).then((response) => response.json()) as { keys: { kty: string; d?: string }[] };

    expect(discovery.body.issuer).toBe('http://localhost:3000/_local/issuer');
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA' })]);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

describe('refused at the authorizer, writing nothing', () => {
  const sku = 'KB-MECH-01';
  const refusals: [string, () => Promise<Record<string, string>>, number][] = [
    ['no Authorization header', async () => ({}), 401],
    ['a malformed token', async () => ({ authorization: 'Bearer not.a.jwt' }), 401],
    ['a token whose payload was changed', async () => {
      const { token } = await signIn('alice');
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
      return { authorization: `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${signature}` };
    }, 401],
    ['an unsigned token (alg none)', async () => {
      const { token } = await signIn('alice');
      return { authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.` };
    }, 401],
    ['a token without the orders scope', async () => bearer(await signIn('alice', { scope: 'documents' })), 403],
  ];

  it.each(refusals)('POST /orders with %s → %d', async (_, headers, status) => {
    const before = await writes();

    const response = await call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headers()) },
      body: JSON.stringify(orderRequest({ items: [{ sku, quantity: 1 }] })),
    });

    expect(response.status).toBe(status);
    expect(response.body).toEqual({ message: status === 401 ? 'Unauthorized' : 'Forbidden' });
    expect(response.headers.get('www-authenticate')).toMatch(status === 401 ? /error="invalid_(request|token)"/ : /error="insufficient_scope"/);
    expect(await writes()).toEqual(before);
  });

  it.each(refusals)('GET /orders/{id} with %s → %d', async (_, headers, status) => {
    const placed = await postOrder(orderRequest());

    const response = await call(`/orders/${String(placed.body.orderId)}`, { headers: await headers() });

    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).not.toContain('@example.com');
  });

  it('refuses a token once it has expired', async () => {
    const shortLived = await signIn('alice', { expiresIn: 1 });
    const placed = await postOrder(orderRequest(), {}, shortLived);
    expect(placed.status).toBe(201);

    const refused = await pollUntil('the token expiring', () => getOrder(String(placed.body.orderId), shortLived), ({ status }) => status !== 200, 10_000);

    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('the token has expired');
  });
});

describe('the customer is the token', () => {
  it('gives two customers who send the same Idempotency-Key two orders', async () => {
    const [alice, bob] = await Promise.all([signIn(`alice-${randomUUID()}`), signIn(`bob-${randomUUID()}`)]);
    const key = `shared-${randomUUID()}`;
    const sku = await createProduct(10);
    const body = orderRequest({ items: [{ sku, quantity: 1 }] });

    const [fromAlice, fromBob] = await Promise.all([postOrder(body, { 'idempotency-key': key }, alice), postOrder(body, { 'idempotency-key': key }, bob)]);
    const [aliceOrder, bobOrder] = await Promise.all([
      waitForTerminalStatus(String(fromAlice.body.orderId), 60_000, alice),
      waitForTerminalStatus(String(fromBob.body.orderId), 60_000, bob),
    ]);

    expect([fromAlice.status, fromBob.status]).toEqual([201, 201]);
    expect(fromAlice.headers.get('idempotent-replayed')).toBeNull();
    expect(fromBob.headers.get('idempotent-replayed')).toBeNull();
    expect(aliceOrder.orderId).not.toBe(bobOrder.orderId);
    expect([aliceOrder.customerId, bobOrder.customerId]).toEqual([alice.sub, bob.sub]);
    expect([aliceOrder.status, bobOrder.status]).toEqual(['SHIPPED', 'SHIPPED']);
    expect(await stockOf(sku)).toBe(8);
  });

  it("answers another customer's order with the same 404 as an order that does not exist", async () => {
    const [alice, mallory] = await Promise.all([signIn(`alice-${randomUUID()}`), signIn(`mallory-${randomUUID()}`)]);
    const placed = await orderAs(alice, `mine-${randomUUID()}`);
    const orderId = String(placed.body.orderId);
    const missing = 'ord_0123456789abcdef0123456789abcdef';

    const stolen = await getOrder(orderId, mallory);
    const unknown = await getOrder(missing, mallory);

    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual({ error: 'OrderNotFound', message: `no order ${orderId}` });
    expect(unknown.body).toEqual({ error: 'OrderNotFound', message: `no order ${missing}` });
    expect((await getOrder(orderId, alice)).status).toBe(200);
  });

  it("does not let a replay of another customer's key reach their order", async () => {
    const [alice, mallory] = await Promise.all([signIn(`alice-${randomUUID()}`), signIn(`mallory-${randomUUID()}`)]);
    const key = `checkout-${randomUUID()}`;
    const request = orderRequest();
    const original = await postOrder(request, { 'idempotency-key': key }, alice);

    const replay = await postOrder(request, { 'idempotency-key': key }, mallory);

    expect(replay.status).toBe(201);
    expect(replay.body.orderId).not.toBe(original.body.orderId);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
    expect(await getRow(TABLES.orders, { orderId: String(original.body.orderId) })).toMatchObject({ requestHash: expect.any(String) });
  });

  it('refuses a body that names another customer with 400, writing nothing', async () => {
    const before = await writes();

    const response = await postOrder(orderRequest({ customerId: 'someone-else' }));

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'InvalidOrder', details: [{ field: 'customerId', problem: expect.stringContaining("token's sub") }] });
    expect(await writes()).toEqual(before);
  });

  it('never writes a token to the logs', async () => {
    const stackLog = process.env.TEST_STACK_LOG;
    if (!stackLog) throw new Error('this check reads the log of the stack the tests start; a stack given by TEST_API_URL keeps its log elsewhere');
    const alice = await signIn(`alice-${randomUUID()}`);
    const refused = await signIn(`alice-${randomUUID()}`, { scope: 'documents' });
    await orderAs(alice);
    await orderAs(refused);

    const log = readFileSync(stackLog, 'utf8');

    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(alice.token);
    expect(log).not.toContain(refused.token);
    expect(log).not.toContain(alice.token.split('.')[2]);
  });
});
