import { decryptApiKey, deliverApiKeyOnce, encryptApiKey, hashApiKey, createApiKey, type ApiKeyRow, type ApiKeyStore } from '../../functions/shared/onboarding/api-keys.js';
import { signupOutcomeEmail, welcomeEmail } from '../../functions/shared/onboarding/emails.js';
import { companyKeyOf, parseSignupRequest, requireSignupId, signupIdFor, signupView, type SignupRow } from '../../functions/shared/onboarding/signup.js';
import { startSignup, type OnboardingWorkflow, type SignupStore } from '../../functions/shared/onboarding/start-signup.js';
import { validateSignup } from '../../functions/shared/onboarding/validate-signup.js';
import { sendWelcomeEmail } from '../../functions/shared/onboarding/welcome.js';
import type { Email } from '../../functions/shared/notifications/emails.js';

const SECRET = 'encryption-secret-for-tests';

const memoryApiKeys = (): ApiKeyStore & { rows: Map<string, ApiKeyRow> } => {
  const rows = new Map<string, ApiKeyRow>();
  return {
    rows,
    async createOnce(row) {
      const existing = rows.get(row.signupId);
      if (existing) return existing;
      rows.set(row.signupId, row);
      return row;
    },
    async get(signupId) {
      return rows.get(signupId);
    },
    async keepOnlyHash(signupId, keyHash, deliveredAt) {
      const row = rows.get(signupId);
      if (!row?.encryptedKey) return;
      const { encryptedKey: _dropped, ...rest } = row;
      rows.set(signupId, { ...rest, keyHash, deliveredAt });
    },
  };
};

const memorySignups = (): SignupStore & { rows: Map<string, SignupRow> } => {
  const rows = new Map<string, SignupRow>();
  return {
    rows,
    async create(row) {
      const existing = rows.get(row.signupId);
      if (existing) return existing;
      rows.set(row.signupId, row);
      return undefined;
    },
    async get(signupId) {
      return rows.get(signupId);
    },
  };
};

const body = { company: 'Acme Widgets', email: 'founder@acme.example', plan: 'team' };
const request = (overrides: Partial<{ body: string; idempotencyKey: string | undefined; owner: string }> = {}) => ({
  owner: 'alice',
  body: JSON.stringify(body),
  isBase64Encoded: false,
  contentType: 'application/json',
  idempotencyKey: 'signup-1' as string | undefined,
  ...overrides,
});

describe('a signup request', () => {
  it('names every problem at once', () => {
    expect(() => parseSignupRequest({ company: ' ', email: 'nope', plan: 'gold', extra: 1 })).toThrow(
      expect.objectContaining({ name: 'InvalidSignup', problems: [
        { field: 'extra', problem: 'is not a recognised field' },
        { field: 'company', problem: 'is required (the company name)' },
        { field: 'email', problem: 'must be an email address' },
        { field: 'plan', problem: 'must be one of starter, team, enterprise' },
      ] }),
    );
  });

  it('keeps the company as visible text and keys it case- and spacing-insensitively', () => {
    expect(parseSignupRequest({ ...body, company: 'Acme\u202E  Widgets' }).company).toBe('Acme Widgets');
    expect(companyKeyOf('ACME   widgets')).toBe(companyKeyOf('Ａｃｍｅ Widgets'));
  });

  it('derives one signup id per caller and Idempotency-Key, and refuses a malformed id', () => {
    const id = signupIdFor('k', 'alice', 'key-1', () => 'x');
    expect(id).toMatch(/^sgn_[0-9a-f]{32}$/);
    expect(signupIdFor('k', 'alice', 'key-1', () => 'x')).toBe(id);
    expect(signupIdFor('k', 'bob', 'key-1', () => 'x')).not.toBe(id);
    expect(() => requireSignupId('sgn_../x')).toThrow(expect.objectContaining({ name: 'InvalidSignupId' }));
  });
});

describe('starting a signup', () => {
  const started: unknown[] = [];
  const workflow: OnboardingWorkflow = { start: async (input) => { started.push(input); } };

  it('records it ONBOARDING and starts the workflow with the company key and account id', async () => {
    const store = memorySignups();
    const accepted = await startSignup(store, workflow, async () => 'k')(request());

    expect(accepted).toMatchObject({ status: 'ONBOARDING', replayed: false });
    expect(store.rows.get(accepted.signupId)).toMatchObject({ owner: 'alice', company: 'Acme Widgets', status: 'ONBOARDING' });
    expect(started.at(-1)).toMatchObject({ signupId: accepted.signupId, companyKey: 'acme widgets', accountId: `acct_${accepted.signupId.slice(4)}` });
  });

  it('answers the same signup for the same key and body, and 422 for another body', async () => {
    const store = memorySignups();
    const start = startSignup(store, workflow, async () => 'k');
    const first = await start(request());

    expect(await start(request())).toEqual({ ...first, replayed: true });
    await expect(start(request({ body: JSON.stringify({ ...body, plan: 'starter' }) }))).rejects.toMatchObject({ name: 'IdempotencyConflict' });
    expect(store.rows.size).toBe(1);
  });

  it('says 503 when the workflow cannot be started, keeping the row for a retry with the same key', async () => {
    const store = memorySignups();
    const down: OnboardingWorkflow = { start: async () => { throw Object.assign(new Error('x'), { name: 'ServiceUnavailable' }); } };

    await expect(startSignup(store, down, async () => 'k')(request())).rejects.toMatchObject({ name: 'OnboardingUnavailable' });
    expect(store.rows.size).toBe(1);
  });
});

describe('the signup view', () => {
  const row: SignupRow = {
    signupId: 'sgn_1', owner: 'alice', company: 'Acme', email: 'a@acme.example', plan: 'team', requestHash: 'h', createdAt: 't', status: 'ACTIVE',
    accountId: 'acct_1', billingCustomerId: 'cus_1', apiKeyPrefix: 'sk_live_', apiKeyLast4: 'abcd',
  };

  it('shows the owner what was made, the key as prefix and last four only', () => {
    expect(signupView(row, 'alice')).toEqual({
      signupId: 'sgn_1', status: 'ACTIVE', company: 'Acme', plan: 'team', accountId: 'acct_1', billingCustomerId: 'cus_1', apiKey: { prefix: 'sk_live_', last4: 'abcd' }, failure: null,
    });
  });

  it('is not found for anyone else', () => {
    expect(() => signupView(row, 'bob')).toThrow(expect.objectContaining({ name: 'SignupNotFound' }));
  });

  it('says why a signup was rejected or failed, in words for the customer', () => {
    expect(signupView({ ...row, status: 'REJECTED', failureError: 'CompanyAlreadyOnboarded' }, 'alice')).toMatchObject({ failure: 'The company already has an account.', apiKey: null, accountId: null });
    expect(signupView({ ...row, status: 'FAILED', failureError: 'States.Http.StatusCode.503' }, 'alice').failure).toMatch(/sign up again/);
  });
});

describe('validating a signup', () => {
  it('rejects a company whose account another signup made, and passes its own retry', async () => {
    const accounts = { ownerOf: async (key: string) => (key === 'acme' ? 'sgn_other' : undefined) };

    await expect(validateSignup(accounts)({ signupId: 'sgn_1', companyKey: 'acme' })).rejects.toMatchObject({ name: 'CompanyAlreadyOnboarded' });
    await expect(validateSignup({ ownerOf: async () => 'sgn_1' })({ signupId: 'sgn_1', companyKey: 'acme' })).resolves.toEqual({ valid: true });
    await expect(validateSignup(accounts)({ signupId: 'sgn_1', companyKey: 'globex' })).resolves.toEqual({ valid: true });
  });
});

describe('the API key', () => {
  it('is stored encrypted, tied to its signup, and answered only as a hint', async () => {
    const store = memoryApiKeys();
    const hint = await createApiKey(store, async () => SECRET)({ signupId: 'sgn_1' });
    const row = store.rows.get('sgn_1');

    expect(hint).toEqual({ prefix: 'sk_live_', last4: row?.last4 });
    expect(row?.encryptedKey).toBeDefined();
    const key = decryptApiKey(row?.encryptedKey ?? '', SECRET, 'sgn_1');
    expect(key).toMatch(/^sk_live_[A-Za-z0-9_-]{32}$/);
    expect(row?.encryptedKey).not.toContain(key.slice(8));
    expect(() => decryptApiKey(row?.encryptedKey ?? '', SECRET, 'sgn_2')).toThrow();
  });

  it('makes no second key when the step is retried', async () => {
    const store = memoryApiKeys();
    const create = createApiKey(store, async () => SECRET);

    const first = await create({ signupId: 'sgn_1' });
    const again = await create({ signupId: 'sgn_1' });

    expect(again).toEqual(first);
    expect(store.rows.size).toBe(1);
  });

  it('is sent once, in the welcome email, and then only its hash remains', async () => {
    const store = memoryApiKeys();
    await createApiKey(store, async () => SECRET)({ signupId: 'sgn_1' });
    const key = decryptApiKey(store.rows.get('sgn_1')?.encryptedKey ?? '', SECRET, 'sgn_1');
    const sent: Email[] = [];
    const welcome = sendWelcomeEmail(deliverApiKeyOnce(store, async () => SECRET), { send: async (email) => { sent.push(email); } });
    const input = { signupId: 'sgn_1', company: 'Acme', email: 'a@acme.example', plan: 'team' as const, accountId: 'acct_1' };

    expect(await welcome(input)).toEqual({ sent: true });
    expect(await welcome(input)).toEqual({ sent: false });

    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(key);
    expect(store.rows.get('sgn_1')).toMatchObject({ keyHash: hashApiKey(key) });
    expect(store.rows.get('sgn_1')?.encryptedKey).toBeUndefined();
  });

  it('is not sent for a signup whose key was undone', async () => {
    const welcome = sendWelcomeEmail(deliverApiKeyOnce(memoryApiKeys(), async () => SECRET), { send: async () => undefined });

    await expect(welcome({ signupId: 'sgn_1', company: 'Acme', email: 'a@acme.example', plan: 'team', accountId: 'acct_1' })).rejects.toMatchObject({ name: 'ApiKeyUnavailable' });
  });

  it('keeps no cleartext in what it encrypts to', () => {
    expect(encryptApiKey('sk_live_secret', SECRET, 'sgn_1')).not.toContain('secret');
  });
});

describe('onboarding emails', () => {
  const hostile = 'Evil\u202Egnp.exe https://evil.example Ltd';

  it('make the company name inert in the welcome email, subject included', () => {
    const email = welcomeEmail({ email: 'a@acme.example', company: hostile, plan: 'team', accountId: 'acct_1', apiKey: 'sk_live_x' });

    for (const text of [email.subject, email.text]) {
      expect(text).not.toContain('https://');
      expect(text).not.toContain('evil.example');
      expect(text).not.toContain('\u202E');
    }
    expect(email.text).toContain('https[:]//evil[.]example');
  });

  it('make it inert in the rejected and failed emails as well', () => {
    for (const outcome of ['REJECTED', 'FAILED'] as const) {
      const email = signupOutcomeEmail({ email: 'a@acme.example', company: hostile, signupId: 'sgn_1', outcome });
      expect(`${email.subject}\n${email.text}`).not.toMatch(/https:\/\/|evil\.example|\u202E/);
    }
  });
});
