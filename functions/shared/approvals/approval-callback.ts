import { APPROVAL_ID_PATTERN, MAX_COMMENT_LENGTH, type ApprovalRecord, type Decision, type DecisionStatus } from './approval.js';
import type { ApprovalStore } from './dynamodb-approval-store.js';
import { decidedPage, decisionFormPage, messagePage } from './pages.js';
import { checkLink, type LinkClaims } from './signed-links.js';

/** Resumes the waiting workflow. Throws when the token is no longer waited on (timed out, execution gone). */
export interface TaskCallback {
  succeed(taskToken: string, output: Decision & { approvalId: string }): Promise<void>;
}

export interface CallbackDependencies {
  store: ApprovalStore;
  callback: TaskCallback;
  linkKey: () => Promise<string>;
  now: () => Date;
  /** Logs without the token: the store and the callback never hand it to us for anything else. */
  warn: (message: string, details: Record<string, unknown>) => void;
}

export interface LinkRequest {
  approvalId: string | undefined;
  query: Record<string, string | undefined>;
  /** The URL the page's form posts back to: the link itself. */
  actionUrl: string;
}

export interface PageAnswer {
  statusCode: number;
  html: string;
  /** What happened, for the log line: never the token. */
  outcome: string;
}

const page = (statusCode: number, outcome: string, html: string): PageAnswer => ({ statusCode, outcome, html });

const notFound = () => page(404, 'unknown', messagePage('Approval not found', 'There is no approval request at this address. Check that the link was copied whole.'));
const forbidden = () => page(403, 'bad-link', messagePage('This link is not valid', 'The link has been changed or was not issued by us. Open the link from the email again, exactly as it was sent.'));
const GONE: Partial<Record<ApprovalRecord['status'], [string, string]>> = {
  FAILED: ['This request was withdrawn', 'The request could not be completed and nobody can decide it any more.'],
  CANCELLED: ['This request was cancelled', 'The request was cancelled before anyone decided it; nothing can be decided any more.'],
};
const gone = (record?: ApprovalRecord) => {
  const [title, text] = (record && GONE[record.status]) ?? ['This request has expired', 'The deadline for this decision has passed; nothing can be decided any more.'];
  return page(410, record?.status === 'CANCELLED' ? 'cancelled' : 'expired', messagePage(title, text));
};
const alreadyDecided = (record: ApprovalRecord) => page(409, 'already-decided', decidedPage(record, 'Already decided'));

type Checked = { ok: true; record: ApprovalRecord; claims: LinkClaims } | { ok: false; answer: PageAnswer };

/** The checks a GET and a POST share, in the order that reveals least: link, request, link-to-request, state. */
const checkRequest = async (deps: CallbackDependencies, request: LinkRequest): Promise<Checked> => {
  const { approvalId } = request;
  if (!approvalId || !APPROVAL_ID_PATTERN.test(approvalId)) return { ok: false, answer: notFound() };
  const link = checkLink(approvalId, request.query, await deps.linkKey(), deps.now().getTime());
  if (!link.ok && link.reason !== 'expired') return { ok: false, answer: forbidden() };
  const record = await deps.store.find(approvalId);
  if (!record) return { ok: false, answer: notFound() };
  const expires = Number(request.query.expires);
  if (record.approver !== request.query.approver || !record.expiresAt || Date.parse(record.expiresAt) !== expires * 1000) {
    return { ok: false, answer: forbidden() };
  }
  if (record.status === 'APPROVED' || record.status === 'REJECTED') return { ok: false, answer: alreadyDecided(record) };
  if (!link.ok || record.status !== 'PENDING') return { ok: false, answer: gone(record) };
  return { ok: true, record, claims: link.claims };
};

/** GET: shows what is asked; never decides (mail scanners open links). */
export const showApproval = (deps: CallbackDependencies) =>
  async (request: LinkRequest): Promise<PageAnswer> => {
    const checked = await checkRequest(deps, request);
    if (!checked.ok) return checked.answer;
    return page(200, 'shown', decisionFormPage(checked.record, request.actionUrl, request.query.intent));
  };

const DECISIONS: Record<string, DecisionStatus> = { APPROVE: 'APPROVED', REJECT: 'REJECTED' };

/** POST: checks the link again, records the decision with a conditional write, and only then resumes the workflow. */
export const decideApproval = (deps: CallbackDependencies) =>
  async (request: LinkRequest & { form: URLSearchParams }): Promise<PageAnswer> => {
    const checked = await checkRequest(deps, request);
    if (!checked.ok) return checked.answer;
    const status = DECISIONS[request.form.get('decision') ?? ''];
    const comment = (request.form.get('comment') ?? '').trim();
    if (!status) return page(400, 'bad-form', messagePage('Choose Approve or Reject', 'The form did not say whether to approve or reject. Go back and press one of the two buttons.'));
    if (comment.length > MAX_COMMENT_LENGTH) return page(400, 'bad-form', messagePage('Comment too long', `A comment may have at most ${MAX_COMMENT_LENGTH} characters.`));

    const decision: Decision = { status, decidedBy: checked.claims.approver, decidedAt: deps.now().toISOString(), comment };
    const recorded = await deps.store.recordDecision(checked.record.approvalId, decision);
    if (!recorded) {
      // Another decision won the race, or the deadline passed between the check and the write.
      const current = await deps.store.find(checked.record.approvalId);
      return current && (current.status === 'APPROVED' || current.status === 'REJECTED') ? alreadyDecided(current) : gone(current);
    }
    try {
      await deps.callback.succeed(recorded.taskToken, { approvalId: checked.record.approvalId, ...decision });
    } catch (error) {
      // The decision stands: a workflow that missed it reads it from the row when its wait ends.
      deps.warn('workflow not resumed; it will read the recorded decision at its deadline', { approvalId: checked.record.approvalId, error: (error as Error).name });
    }
    const decided = { ...checked.record, ...decision };
    return page(200, `decided-${status.toLowerCase()}`, decidedPage(decided, status === 'APPROVED' ? 'Approved — thank you' : 'Rejected — thank you'));
  };
