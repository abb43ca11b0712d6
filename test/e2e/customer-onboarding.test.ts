import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { LOCAL_BILLING_API_KEY } from '../../scripts/demo/stack.js';
import { pollUntil } from '../support/poll.js';
import { bearer, call, outbox, signIn, testCustomer, type Customer, type Email } from '../support/api.js';
import { countRows, executionHistory, getRow, listExecutions, MACHINES, TABLES, waitForExecutionEnd } from '../support/local-aws.js';

/**
 * Onboarding as a user drives it: POST /signups through the real HTTP API and authorizer, the
 * workflow on the engine with real handlers, SES mail in the outbox, the simulated billing provider
 * called by the HTTP Task through the EventBridge connection (global-setup starts it at BILLING_API_URL).
 */
interface SignupView {
  signupId: string;
  status: string;
  company: string;
  plan: string;
  accountId: string | null;
  billingCustomerId: string | null;
  apiKey: { prefix: string; last4: string } | null;
  failure: string | null;
}

const BILLING_API_URL = process.env.BILLING_API_URL ?? 'http://127.0.0.1:4010';
const unique = () => randomUUID().slice(0, 8);
const signupBody = (overrides: Record<string, unknown> = {}) => ({ company: `Acme ${unique()} Ltd`, email: `founder-${unique()}@acme.example`, plan: 'team', ...overrides });

const postSignup = async (body: unknown, customer: Customer, headers: Record<string, string> = {}) =>
  call<Record<string, unknown>>('/signups', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(customer), ...headers }, body: JSON.stringify(body) });

const getSignup = (signupId: string, customer: Customer) => call<SignupView>(`/signups/${signupId}`, { headers: bearer(customer) });

/** The signup once its workflow has finished (its row is written a few states before the execution ends). */
const finished = async (signupId: string, customer: Customer): Promise<SignupView> => {
  const { body } = await pollUntil(`signup ${signupId} finishing`, () => getSignup(signupId, customer), ({ body: view }) => view.status !== 'ONBOARDING', 60_000);
  const [execution] = (await listExecutions(MACHINES.onboarding)).filter((item) => item.name === signupId);
  if (execution?.executionArn) await waitForExecutionEnd(execution.executionArn, 60_000);
  return body;
};

const billingCustomers = async (): Promise<{ id: string; name: string; metadata: Record<string, string> }[]> => {
  const response = await fetch(`${BILLING_API_URL}/v1/customers`, { headers: { authorization: `Bearer ${LOCAL_BILLING_API_KEY}` } });
  return ((await response.json()) as { data: { id: string; name: string; metadata: Record<string, string> }[] }).data;
};
const billingCustomersOf = async (signupId: string) => (await billingCustomers()).filter((customer) => customer.metadata.signupId === signupId);

const emailsTo = async (address: string): Promise<Email[]> => (await outbox()).filter((email) => email.to === address);

const companyKey = (company: string) => company.toLowerCase().replace(/\s+/g, ' ').trim();

describe('customer onboarding', () => {
  it('makes the account, the API key and the billing customer, and sends the key once, in the welcome email', async () => {
    const customer = await testCustomer();
    const body = signupBody();

    const accepted = await postSignup(body, customer, { 'idempotency-key': `ok-${unique()}` });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ signupId: expect.stringMatching(/^sgn_[0-9a-f]{32}$/), status: 'ONBOARDING' });
    const signupId = String(accepted.body.signupId);
    const view = await finished(signupId, customer);

    expect(view).toEqual({
      signupId, status: 'ACTIVE', company: body.company, plan: 'team', accountId: `acct_${signupId.slice(4)}`,
      billingCustomerId: expect.stringMatching(/^cus_/), apiKey: { prefix: 'sk_live_', last4: expect.any(String) }, failure: null,
    });
    const [welcome, ...others] = await emailsTo(body.email);
    expect(others).toEqual([]);
    const key = /sk_live_[A-Za-z0-9_-]+/.exec(welcome?.text ?? '')?.[0] ?? '';
    expect(key.endsWith(view.apiKey?.last4 ?? '-')).toBe(true);
    expect(await getRow(TABLES.accounts, { companyKey: companyKey(body.company) })).toMatchObject({ signupId, accountId: view.accountId });
    expect(await billingCustomersOf(signupId)).toEqual([expect.objectContaining({ id: view.billingCustomerId, name: body.company })]);
    const keyRow = await getRow<Record<string, unknown>>(TABLES.apiKeys, { signupId });
    expect(keyRow).toMatchObject({ keyHash: createHash('sha256').update(key).digest('hex'), last4: view.apiKey?.last4 });
    expect(keyRow).not.toHaveProperty('encryptedKey');
  });

  it('lets the key appear nowhere but the welcome email: no execution history, log line, API answer, event or other email holds it', async () => {
    const customer = await testCustomer();
    const body = signupBody();
    const accepted = await postSignup(body, customer);
    const signupId = String(accepted.body.signupId);
    const view = await finished(signupId, customer);
    const key = /sk_live_[A-Za-z0-9_-]+/.exec((await emailsTo(body.email))[0]?.text ?? '')?.[0];
    expect(key).toMatch(/^sk_live_.{20,}/);
    const secret = key ?? 'no key';
    const fragment = secret.slice(8, 24);

    const histories = await Promise.all((await listExecutions(MACHINES.onboarding)).map(async (execution) => JSON.stringify(await executionHistory(execution.executionArn ?? ''))));
    const logPath = process.env.TEST_STACK_LOG;
    const log = logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    // Every email and SNS publish (the operations topic's alerts included) the stack sent, but the welcome email.
    const otherMail = (await outbox()).filter((email) => !(email.to === body.email && email.subject.startsWith('Welcome')));
    const answers = [accepted.body, view, (await getSignup(signupId, customer)).body];
    const rows = [await getRow(TABLES.signups, { signupId }), await getRow(TABLES.apiKeys, { signupId }), await getRow(TABLES.accounts, { companyKey: companyKey(body.company) })];

    expect(histories.length).toBeGreaterThan(0);
    expect(logPath === undefined || log.includes(signupId)).toBe(true);
    for (const text of [...histories, log, JSON.stringify(otherMail), JSON.stringify(answers), JSON.stringify(rows)]) {
      expect(text).not.toContain(fragment);
    }
  });

  it('rejects a company that is already onboarded, compared case-insensitively, and tells the signup\'s address', async () => {
    const customer = await testCustomer();
    const first = signupBody();
    const firstId = String((await postSignup(first, customer)).body.signupId);
    expect((await finished(firstId, customer)).status).toBe('ACTIVE');

    const again = signupBody({ company: first.company.toUpperCase().replace(' ', '   ') });
    const againId = String((await postSignup(again, await signIn(`other-${unique()}`))).body.signupId);
    const view = await finished(againId, await signInAs(againId));

    expect(view).toMatchObject({ status: 'REJECTED', failure: 'The company already has an account.', accountId: null, apiKey: null });
    expect((await emailsTo(again.email)).map((email) => email.subject)).toEqual([expect.stringMatching(/was not accepted/)]);
    expect(await billingCustomersOf(againId)).toEqual([]);
    expect(await getRow(TABLES.apiKeys, { signupId: againId })).toBeUndefined();
    expect(await getRow(TABLES.accounts, { companyKey: companyKey(first.company) })).toMatchObject({ signupId: firstId });
  });

  it('of two signups of one company at once, onboards one and rejects the other, leaving nothing of the rejected one', async () => {
    const company = `Initech ${unique()}`;
    const [alice, bob] = await Promise.all([signIn(`alice-${unique()}`), signIn(`bob-${unique()}`)]);
    const [a, b] = await Promise.all([postSignup(signupBody({ company }), alice), postSignup(signupBody({ company: company.toLowerCase() }), bob)]);
    const ids = [String(a.body.signupId), String(b.body.signupId)];

    const views = await Promise.all([finished(ids[0] ?? '', alice), finished(ids[1] ?? '', bob)]);

    expect(views.map((view) => view.status).sort()).toEqual(['ACTIVE', 'REJECTED']);
    const winner = views.find((view) => view.status === 'ACTIVE');
    const loser = views.find((view) => view.status === 'REJECTED');
    expect(await getRow(TABLES.accounts, { companyKey: companyKey(company) })).toMatchObject({ signupId: winner?.signupId });
    expect(await billingCustomersOf(loser?.signupId ?? '')).toEqual([]);
    expect(await getRow(TABLES.apiKeys, { signupId: loser?.signupId ?? '' })).toBeUndefined();
    expect(await billingCustomersOf(winner?.signupId ?? '')).toHaveLength(1);
  });

  it('ends FAILED with nothing left behind when the billing provider is down, tells the customer and operations, and lets the company sign up again', async () => {
    const customer = await testCustomer();
    const body = signupBody({ company: `Globex ${unique()} billing-down` });
    const signupId = String((await postSignup(body, customer)).body.signupId);

    const view = await finished(signupId, customer);

    expect(view).toMatchObject({ status: 'FAILED', failure: expect.stringMatching(/sign up again/), accountId: null, billingCustomerId: null, apiKey: null });
    expect(await getRow(TABLES.accounts, { companyKey: companyKey(body.company) })).toBeUndefined();
    expect(await getRow(TABLES.apiKeys, { signupId })).toBeUndefined();
    expect(await billingCustomersOf(signupId)).toEqual([]);
    expect((await emailsTo(body.email)).map((email) => email.subject)).toEqual([expect.stringMatching(/could not be completed/)]);
    expect((await outbox()).some((email) => email.subject === 'Customer onboarding failed' && email.text.includes('States.Http.StatusCode.503'))).toBe(true);

    const retry = String((await postSignup(body, customer)).body.signupId);
    // Not REJECTED: the failed signup's account was undone, so validation lets the company in again.
    expect((await finished(retry, customer)).status).toBe('FAILED');
  });

  it('answers the same signup for the same Idempotency-Key and body, before and after it finished, and 422 for another body', async () => {
    const customer = await testCustomer();
    const key = `replay-${unique()}`;
    const body = signupBody();

    const first = await postSignup(body, customer, { 'idempotency-key': key });
    const replay = await postSignup(body, customer, { 'idempotency-key': key });
    const signupId = String(first.body.signupId);
    await finished(signupId, customer);
    const late = await postSignup(body, customer, { 'idempotency-key': key });
    const conflict = await postSignup({ ...body, plan: 'enterprise' }, customer, { 'idempotency-key': key });

    expect([replay.status, late.status]).toEqual([202, 202]);
    expect(replay.body.signupId).toBe(signupId);
    // The signup as it is now: a replay never starts a second one.
    expect(late.body).toEqual({ signupId, status: 'ACTIVE' });
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(conflict.status).toBe(422);
    expect((await listExecutions(MACHINES.onboarding)).filter((execution) => execution.name === signupId)).toHaveLength(1);
    expect((await emailsTo(body.email)).filter((email) => email.subject.startsWith('Welcome'))).toHaveLength(1);
  });

  it('refuses what it cannot take with a 4xx that names the problem, and changes nothing', async () => {
    const customer = await testCustomer();
    const before = await countRows(TABLES.signups);

    const invalid = await postSignup({ company: '', email: 'not-an-address', plan: 'gold' }, customer);
    const noToken = await call('/signups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signupBody()) });
    const wrongScope = await postSignup(signupBody(), await signIn(`orders-only-${unique()}`, { scope: 'orders' }));

    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'InvalidSignup', details: expect.arrayContaining([expect.objectContaining({ field: 'company' }), expect.objectContaining({ field: 'email' }), expect.objectContaining({ field: 'plan' })]) });
    expect(noToken.status).toBe(401);
    expect(wrongScope.status).toBe(403);
    expect(await countRows(TABLES.signups)).toBe(before);
  });

  it('shows a signup to its owner only: another customer\'s is 404, a malformed id 400', async () => {
    const owner = await testCustomer();
    const signupId = String((await postSignup(signupBody(), owner)).body.signupId);

    expect((await getSignup(signupId, await signIn(`stranger-${unique()}`))).status).toBe(404);
    expect((await getSignup(`sgn_${'0'.repeat(32)}`, owner)).status).toBe(404);
    expect((await getSignup('sgn_../../etc', owner)).status).toBe(400);
    await finished(signupId, owner);
  });
});

/** The customer who posted a signup in a test that signed in someone new: the signup row names its owner. */
const signInAs = async (signupId: string): Promise<Customer> =>
  signIn(String((await getRow<{ owner: string }>(TABLES.signups, { signupId }))?.owner));
