import { billingProvider, parseBody } from '../../scripts/demo/billing.js';

const KEY = 'sk_local_test';
const auth = { authorization: `Bearer ${KEY}` };
const customer = { name: 'Acme', email: 'ops@acme.example', metadata: { signupId: 's-1' } };

describe('the simulated billing provider', () => {
  it('creates a customer for a caller with the API key', () => {
    const provider = billingProvider(KEY);

    const answer = provider.handle('POST', '/v1/customers', auth, customer);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ object: 'customer', name: 'Acme', email: 'ops@acme.example', metadata: { signupId: 's-1' } });
    expect(provider.customers()).toHaveLength(1);
  });

  it('refuses a caller without the API key', () => {
    const provider = billingProvider(KEY);

    expect(provider.handle('POST', '/v1/customers', {}, customer).status).toBe(401);
    expect(provider.handle('POST', '/v1/customers', { authorization: 'Bearer other' }, customer).status).toBe(401);
    expect(provider.customers()).toEqual([]);
  });

  it('answers the first answer again for a repeated idempotency key, without a second customer', () => {
    const provider = billingProvider(KEY);
    const headers = { ...auth, 'idempotency-key': 'signup-s-1' };

    const first = provider.handle('POST', '/v1/customers', headers, customer);
    const again = provider.handle('POST', '/v1/customers', headers, customer);

    expect(again).toEqual(first);
    expect(provider.customers()).toHaveLength(1);
  });

  it('refuses a repeated idempotency key with another body', () => {
    const provider = billingProvider(KEY);
    const headers = { ...auth, 'idempotency-key': 'signup-s-1' };
    provider.handle('POST', '/v1/customers', headers, customer);

    const other = provider.handle('POST', '/v1/customers', headers, { ...customer, name: 'Other' });

    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: { type: 'idempotency_error' } });
    expect(provider.customers()).toHaveLength(1);
  });

  it('answers 503 every time for a company named billing-down, and keeps nothing', () => {
    const provider = billingProvider(KEY);
    const headers = { ...auth, 'idempotency-key': 'signup-s-2' };
    const down = { ...customer, name: 'Acme billing-down Ltd' };

    const answers = [1, 2, 3].map(() => provider.handle('POST', '/v1/customers', headers, down).status);

    expect(answers).toEqual([503, 503, 503]);
    expect(provider.customers()).toEqual([]);
  });

  it('deletes a customer once; a second delete is a 404', () => {
    const provider = billingProvider(KEY);
    const { id } = provider.handle('POST', '/v1/customers', auth, customer).body as { id: string };

    const deleted = provider.handle('DELETE', `/v1/customers/${id}`, auth, {});
    const again = provider.handle('DELETE', `/v1/customers/${id}`, auth, {});

    expect(deleted).toEqual({ status: 200, body: { id, object: 'customer', deleted: true } });
    expect(again.status).toBe(404);
    expect(provider.customers()).toEqual([]);
  });

  it('refuses a customer without a name or an email', () => {
    expect(billingProvider(KEY).handle('POST', '/v1/customers', auth, { name: 'Acme' }).status).toBe(400);
  });

  it('reads JSON bodies and Stripe-style form bodies', () => {
    expect(parseBody('{"name":"Acme"}', 'application/json; charset=UTF-8')).toEqual({ name: 'Acme' });
    expect(parseBody('name=Acme&metadata%5BsignupId%5D=s-1', 'application/x-www-form-urlencoded')).toEqual({ name: 'Acme', metadata: { signupId: 's-1' } });
    expect(parseBody('', undefined)).toEqual({});
  });

  it('finds customers by metadata as a search query names it, and refuses any other query', () => {
    const provider = billingProvider(KEY);
    provider.handle('POST', '/v1/customers', auth, customer);
    provider.handle('POST', '/v1/customers', auth, { ...customer, metadata: { signupId: 's-2' } });

    const found = (query: string) => provider.handle('GET', '/v1/customers/search', auth, {}, new URLSearchParams({ query }));

    for (const query of ["metadata['signupId']:'s-1'", 'metadata["signupId"]:"s-1"']) {
      expect(found(query).status).toBe(200);
      expect((found(query).body as { data: { metadata: Record<string, string> }[] }).data.map((c) => c.metadata.signupId)).toEqual(['s-1']);
    }
    expect(provider.handle('GET', '/v1/customers/search', auth, {}, new URLSearchParams({ query: "name:'Acme'" })).status).toBe(400);
  });
});
