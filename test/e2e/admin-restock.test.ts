import { randomUUID } from 'node:crypto';
import { bearer, call, signIn, type Customer } from '../support/api.js';
import { createProduct, getRow, stockOf, TABLES } from '../support/local-aws.js';

/** The first admin route: a valid token reaches the handler, which admits the admin scope or the admin group. */
const restock = async (sku: string, body: unknown, who?: Customer, headers: Record<string, string> = {}) =>
  call(`/admin/products/${sku}/restock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? bearer(who) : {}), ...headers },
    body: JSON.stringify(body),
  });

describe('POST /admin/products/{sku}/restock', () => {
  it.each([
    ['the admin scope', { scope: 'admin' }],
    ['the admin group', { scope: 'orders', groups: ['admin'] }],
  ])('adds stock for a caller with %s and answers the new availability', async (_, claims) => {
    const sku = await createProduct(2);
    const admin = await signIn(`ops-${randomUUID()}`, claims);

    const response = await restock(sku, { quantity: 5 }, admin);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sku, available: 7 });
    expect(await stockOf(sku)).toBe(7);
  });

  it.each<[string, () => Promise<Customer | undefined>, number]>([
    ['no token', async () => undefined, 401],
    ["a customer's token", () => signIn(`alice-${randomUUID()}`), 403],
  ])('refuses %s with %d and changes nothing', async (_, who, status) => {
    const sku = await createProduct(2);

    const response = await restock(sku, { quantity: 5 }, await who());

    expect(response.status).toBe(status);
    expect(await stockOf(sku)).toBe(2);
  });

  it('adds a retried Idempotency-Key once', async () => {
    const sku = await createProduct(1);
    const admin = await signIn('ops', { scope: 'admin' });
    const key = `delivery-${randomUUID()}`;

    const [first, retry] = [await restock(sku, { quantity: 4 }, admin, { 'idempotency-key': key }), await restock(sku, { quantity: 4 }, admin, { 'idempotency-key': key })];

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await stockOf(sku)).toBe(5);
  });

  it('keeps the product row the same size however many restocks a SKU takes, and still refuses the first key again', async () => {
    const sku = await createProduct(0);
    const admin = await signIn('ops', { scope: 'admin' });
    const keys = Array.from({ length: 30 }, (_, index) => `delivery-${index}-${randomUUID()}`);
    // Sets (a string set read back) as their members, so that the size is the row's.
    const withoutStock = (row: Record<string, unknown> | undefined) => JSON.stringify({ ...row, stock: undefined }, (_, value: unknown) => (value instanceof Set ? [...value] : value));

    await restock(sku, { quantity: 1 }, admin, { 'idempotency-key': keys[0]! });
    const afterOne = await getRow(TABLES.products, { sku });
    for (const key of keys.slice(1)) await restock(sku, { quantity: 1 }, admin, { 'idempotency-key': key });
    const replay = await restock(sku, { quantity: 1 }, admin, { 'idempotency-key': keys[0]! });
    const afterAll = await getRow(TABLES.products, { sku });

    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await stockOf(sku)).toBe(keys.length);
    expect(withoutStock(afterAll)).toBe(withoutStock(afterOne));
    expect(await getRow(TABLES.restocks, { sku, restockId: `ops:${keys[0]!}` })).toMatchObject({ quantity: 1, expiresAt: expect.any(Number) });
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 400, 'InvalidRestock'],
    ['a negative quantity', { quantity: -3 }, 400, 'InvalidRestock'],
  ])('refuses %s with %d naming the field, changing nothing', async (_, body, status, error) => {
    const sku = await createProduct(2);
    const admin = await signIn('ops', { scope: 'admin' });

    const response = await restock(sku, body, admin);

    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error, details: [{ field: 'quantity' }] });
    expect(await stockOf(sku)).toBe(2);
  });

  it('answers 404 for a SKU that does not exist, creating nothing', async () => {
    const sku = `NOPE-${randomUUID().slice(0, 8)}`;

    const response = await restock(sku, { quantity: 1 }, await signIn('ops', { scope: 'admin' }));

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'ProductNotFound' });
    expect(await getRow(TABLES.products, { sku })).toBeUndefined();
  });
});
