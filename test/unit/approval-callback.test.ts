import type { ApprovalRecord, Decision } from '../../functions/shared/approvals/approval.js';
import { decideApproval, showApproval, type CallbackDependencies } from '../../functions/shared/approvals/approval-callback.js';
import type { ApprovalStore } from '../../functions/shared/approvals/dynamodb-approval-store.js';
import { linkQuery } from '../../functions/shared/approvals/signed-links.js';

const KEY = 'unit-test-link-key-of-at-least-32-characters';
const NOW = new Date('2026-11-24T10:00:00.000Z');
const EXPIRES = NOW.getTime() / 1000 + 600;
const TOKEN = 'task-token-that-must-stay-secret';

/** An in-memory approvals table that applies the same condition as the DynamoDB adapter. */
class FakeStore implements ApprovalStore {
  readonly rows = new Map<string, ApprovalRecord & { taskToken?: string }>();
  writes = 0;

  async find(approvalId: string) {
    const row = this.rows.get(approvalId);
    if (!row) return undefined;
    const { taskToken: _token, ...record } = row;
    return structuredClone(record);
  }

  async recordDecision(approvalId: string, decision: Decision) {
    await Promise.resolve();
    this.writes += 1;
    const row = this.rows.get(approvalId);
    if (!row || row.status !== 'PENDING' || !row.taskToken || !(String(row.expiresAt) > decision.decidedAt)) return undefined;
    const { taskToken } = row;
    this.rows.set(approvalId, { ...row, ...decision, taskToken: undefined });
    return { taskToken };
  }
}

const pendingRecord = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord & { taskToken?: string } => ({
  approvalId: 'approve-ord_1',
  status: 'PENDING',
  request: { kind: 'order', id: 'ord_1', summary: 'Order ord_1 placed by <script>alert(1)</script>', amount: { amount: 149900, currency: 'EUR' } },
  approver: 'boss@example.com',
  expiresAt: new Date(EXPIRES * 1000).toISOString(),
  taskToken: TOKEN,
  ...overrides,
});

const setup = (record = pendingRecord()) => {
  const store = new FakeStore();
  store.rows.set(record.approvalId, record);
  const resumed: { taskToken: string; output: unknown }[] = [];
  const warnings: unknown[] = [];
  const deps: CallbackDependencies = {
    store,
    callback: { succeed: async (taskToken, output) => { resumed.push({ taskToken, output }); } },
    linkKey: async () => KEY,
    now: () => NOW,
    warn: (message, details) => warnings.push({ message, details }),
  };
  return { store, resumed, warnings, deps };
};

const link = (overrides: Record<string, string> = {}, approvalId = 'approve-ord_1') => {
  const query = { ...Object.fromEntries(new URLSearchParams(linkQuery({ approvalId, approver: 'boss@example.com', expires: EXPIRES }, KEY))), ...overrides };
  return { approvalId, query, actionUrl: `/approvals/${approvalId}?${new URLSearchParams(query).toString()}` };
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('approval-callback', () => {
  describe('GET', () => {
    it('shows what is asked, of whom, the amount and the deadline, with Approve and Reject buttons that POST', async () => {
      // Prepare
      const { deps } = setup();

      // Act
      const answer = await showApproval(deps)(link({ intent: 'approve' }));

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(answer.html).toContain('boss@example.com');
      expect(answer.html).toContain('1499.00 EUR');
      expect(answer.html).toContain(new Date(EXPIRES * 1000).toUTCString());
      expect(answer.html).toMatch(/<form method="post"/);
      expect(answer.html).toContain('value="APPROVE" class="chosen"');
      expect(answer.html).toContain('value="REJECT"');
    });

    it('escapes every value it shows', async () => {
      // Prepare
      const { deps } = setup();

      // Act
      const { html } = await showApproval(deps)(link());

      // Assess
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('decides nothing, however often it is opened', async () => {
      // Prepare
      const { deps, store, resumed } = setup();

      // Act
      for (let i = 0; i < 5; i += 1) await showApproval(deps)(link());

      // Assess
      expect(store.writes).toBe(0);
      expect(resumed).toEqual([]);
      expect(store.rows.get('approve-ord_1')?.status).toBe('PENDING');
    });

    it.each([
      ['a tampered approver', link({ approver: 'mallory@example.com' })],
      ['a tampered expiry', link({ expires: String(EXPIRES + 3600) })],
      ['no signature', link({ sig: '' })],
    ])('answers 403 for %s', async (_, request) => {
      const { deps } = setup();

      const answer = await showApproval(deps)(request);

      expect(answer.statusCode).toBe(403);
      expect(answer.html).toContain('not valid');
    });

    it('answers 403 for a genuine link of another request used on this one', async () => {
      const { deps } = setup(pendingRecord({ approver: 'someone-else@example.com' }));

      expect((await showApproval(deps)(link())).statusCode).toBe(403);
    });

    it('answers 404 for an unknown approval and for a malformed id', async () => {
      const { deps } = setup();

      expect((await showApproval(deps)(link({}, 'approve-ord_unknown'))).statusCode).toBe(404);
      expect((await showApproval(deps)({ ...link(), approvalId: '../etc/passwd' })).statusCode).toBe(404);
    });

    it('answers 410 once the deadline has passed, and for a request that expired or failed', async () => {
      const late = setup();
      late.deps.now = () => new Date(EXPIRES * 1000 + 1);
      const expired = setup(pendingRecord({ status: 'EXPIRED' }));
      const failed = setup(pendingRecord({ status: 'FAILED' }));

      expect((await showApproval(late.deps)(link())).statusCode).toBe(410);
      expect((await showApproval(expired.deps)(link())).statusCode).toBe(410);
      expect((await showApproval(failed.deps)(link())).html).toContain('withdrawn');
    });

    it('answers 410 saying so for a request cancelled with its workflow, and records no decision on it', async () => {
      const { deps, store, resumed } = setup({ ...pendingRecord({ status: 'CANCELLED' }), taskToken: undefined });

      const page = await showApproval(deps)(link());
      const decided = await decideApproval(deps)({ ...link(), form: form({ decision: 'APPROVE' }) });

      expect(page.statusCode).toBe(410);
      expect(page.html).toContain('This request was cancelled');
      expect(decided.statusCode).toBe(410);
      expect(decided.outcome).toBe('cancelled');
      expect(store.writes).toBe(0);
      expect(resumed).toEqual([]);
    });

    it('answers 409 with the decision for a request already decided', async () => {
      const { deps } = setup(pendingRecord({ status: 'REJECTED', decidedBy: 'boss@example.com', decidedAt: '2026-11-24T09:59:00.000Z', comment: 'no' }));

      const answer = await showApproval(deps)(link());

      expect(answer.statusCode).toBe(409);
      expect(answer.html).toContain('REJECTED');
    });
  });

  describe('POST', () => {
    it('records the decision, then resumes the workflow with it, and answers 200', async () => {
      // Prepare
      const { deps, store, resumed } = setup();

      // Act
      const answer = await decideApproval(deps)({ ...link(), form: form({ decision: 'APPROVE', comment: ' Known customer ' }) });

      // Assess
      const decision = { status: 'APPROVED', decidedBy: 'boss@example.com', decidedAt: NOW.toISOString(), comment: 'Known customer' };
      expect(answer.statusCode).toBe(200);
      expect(store.rows.get('approve-ord_1')).toMatchObject({ ...decision, taskToken: undefined });
      expect(resumed).toEqual([{ taskToken: TOKEN, output: { approvalId: 'approve-ord_1', ...decision } }]);
      expect(answer.html).not.toContain(TOKEN);
    });

    it('sends a rejection as a decision like an approval', async () => {
      const { deps, resumed } = setup();

      const answer = await decideApproval(deps)({ ...link(), form: form({ decision: 'REJECT' }) });

      expect(answer.statusCode).toBe(200);
      expect(resumed[0]?.output).toMatchObject({ status: 'REJECTED', comment: '' });
    });

    it('lets exactly one of two decisions arriving at once win; the other gets 409', async () => {
      const { deps, resumed } = setup();
      const decide = decideApproval(deps);

      const answers = await Promise.all([
        decide({ ...link(), form: form({ decision: 'APPROVE' }) }),
        decide({ ...link(), form: form({ decision: 'REJECT' }) }),
      ]);

      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      expect(resumed).toHaveLength(1);
    });

    it('answers 409 to a second decision and changes nothing', async () => {
      const { deps, store, resumed } = setup();
      const decide = decideApproval(deps);
      await decide({ ...link(), form: form({ decision: 'APPROVE' }) });

      const second = await decide({ ...link(), form: form({ decision: 'REJECT' }) });

      expect(second.statusCode).toBe(409);
      expect(store.rows.get('approve-ord_1')?.status).toBe('APPROVED');
      expect(resumed).toHaveLength(1);
    });

    it.each([
      ['no decision', {}],
      ['an unknown decision', { decision: 'MAYBE' }],
      ['a comment over 1000 characters', { decision: 'APPROVE', comment: 'x'.repeat(1001) }],
    ])('answers 400 for %s and records nothing', async (_, fields) => {
      const { deps, store } = setup();

      const answer = await decideApproval(deps)({ ...link(), form: form(fields) });

      expect(answer.statusCode).toBe(400);
      expect(store.writes).toBe(0);
    });

    it('refuses a tampered link before reading the form', async () => {
      const { deps, store } = setup();

      const answer = await decideApproval(deps)({ ...link({ approver: 'mallory@example.com' }), form: form({ decision: 'APPROVE' }) });

      expect(answer.statusCode).toBe(403);
      expect(store.writes).toBe(0);
    });

    it('answers 410 after the deadline and records nothing', async () => {
      const { deps, store, resumed } = setup();
      deps.now = () => new Date(EXPIRES * 1000);

      const answer = await decideApproval(deps)({ ...link(), form: form({ decision: 'APPROVE' }) });

      expect(answer.statusCode).toBe(410);
      expect(store.writes).toBe(0);
      expect(resumed).toEqual([]);
    });

    it('keeps a recorded decision when the workflow can no longer be resumed, and logs no token', async () => {
      const { deps, store, warnings } = setup();
      deps.callback = { succeed: async () => { throw Object.assign(new Error(`Task Timed Out: ${TOKEN}`), { name: 'TaskTimedOut' }); } };

      const answer = await decideApproval(deps)({ ...link(), form: form({ decision: 'APPROVE' }) });

      expect(answer.statusCode).toBe(200);
      expect(store.rows.get('approve-ord_1')?.status).toBe('APPROVED');
      expect(JSON.stringify(warnings)).toContain('TaskTimedOut');
      expect(JSON.stringify(warnings)).not.toContain(TOKEN);
    });
  });
});
