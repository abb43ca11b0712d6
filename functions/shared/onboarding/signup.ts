import { createHash, createHmac } from 'node:crypto';
import { BadRequestError, IdempotencyConflictError, InvalidSignupError, SignupNotFoundError, type Problem } from '../errors.js';
import { cleanText } from '../text.js';
import { isObject, unknownFields } from '../validation.js';

/** The public contract (DESIGN §2, Onboarding). */
export const PLANS = ['starter', 'team', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];
export type SignupStatus = 'ONBOARDING' | 'ACTIVE' | 'REJECTED' | 'FAILED';

export interface SignupRequest {
  company: string;
  email: string;
  plan: Plan;
}

/** A signups-table row. The API key is never in it: only its prefix and last four characters. */
export interface SignupRow extends SignupRequest {
  signupId: string;
  /** The token's `sub` of whoever signed up: the only caller who may read it. */
  owner: string;
  requestHash: string;
  createdAt: string;
  status: SignupStatus;
  accountId?: string;
  billingCustomerId?: string;
  apiKeyPrefix?: string;
  apiKeyLast4?: string;
  failureError?: string;
  updatedAt?: string;
}

/** What customer-onboarding is started with (its execution is named after the signup). */
export interface OnboardingInput {
  signupId: string;
  accountId: string;
  owner: string;
  company: string;
  /** The company as accounts are keyed: compared case-insensitively, invisible characters and spacing aside. */
  companyKey: string;
  email: string;
  plan: Plan;
  requestHash: string;
  createdAt: string;
}

const MAX_COMPANY_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SIGNUP_ID = /^sgn_[0-9a-f]{32}$/;

/** The company an account is keyed by: `ACME ltd`, `acme  Ltd` and `Ａｃｍｅ Ltd` are one company. */
export const companyKeyOf = (company: string): string => cleanText(company).toLowerCase();

/** The body of POST /signups, checked field by field (every problem at once), or InvalidSignup. */
export const parseSignupRequest = (body: unknown): SignupRequest => {
  if (!isObject(body)) throw new InvalidSignupError([{ field: '', problem: 'must be a JSON object with company, email and plan' }]);
  const problems: Problem[] = unknownFields(body, ['company', 'email', 'plan']);
  const company = typeof body.company === 'string' ? cleanText(body.company) : '';
  if (typeof body.company !== 'string' || company.length === 0) problems.push({ field: 'company', problem: 'is required (the company name)' });
  else if (company.length > MAX_COMPANY_LENGTH) problems.push({ field: 'company', problem: `must be at most ${MAX_COMPANY_LENGTH} characters` });
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) problems.push({ field: 'email', problem: 'must be an email address' });
  if (!PLANS.includes(body.plan as Plan)) problems.push({ field: 'plan', problem: `must be one of ${PLANS.join(', ')}` });
  if (problems.length > 0) throw new InvalidSignupError(problems);
  return { company, email, plan: body.plan as Plan };
};

/**
 * As order ids: with an Idempotency-Key, an HMAC of (caller, key) under the server's key, so every
 * retry names the same signup and nobody can work one out; without one, a fresh id.
 */
export const signupIdFor = (idKey: string, owner: string, idempotencyKey: string | undefined, fresh: () => string): string =>
  `sgn_${idempotencyKey === undefined ? fresh() : createHmac('sha256', idKey).update(JSON.stringify(['signup', owner, idempotencyKey])).digest('hex').slice(0, 32)}`;

/** The customer's account in this product: named after the signup that made it. */
export const accountIdOf = (signupId: string): string => `acct_${signupId.slice('sgn_'.length)}`;

export const requestHashOfSignup = (request: SignupRequest): string =>
  createHash('sha256').update(JSON.stringify([request.company, request.email, request.plan])).digest('hex');

/** The same key with another body is a conflict (422), never a second signup. */
export const requireSameRequest = (existing: Pick<SignupRow, 'requestHash'>, requestHash: string): void => {
  if (existing.requestHash !== requestHash) {
    throw new IdempotencyConflictError('this Idempotency-Key was used for another signup; use a new key for a new request');
  }
};

export const requireSignupId = (signupId: string | undefined): string => {
  if (!signupId || !SIGNUP_ID.test(signupId)) throw new BadRequestError('InvalidSignupId', 'signupId must look like sgn_ followed by 32 hexadecimal digits');
  return signupId;
};

/** Why a signup did not become ACTIVE, as the customer may read it. */
const FAILURE_TEXT: Record<string, string> = {
  CompanyAlreadyOnboarded: 'The company already has an account.',
};
const FAILED_TEXT = 'Something went wrong on our side; nothing was kept, and you may sign up again.';

export interface SignupView {
  signupId: string;
  status: SignupStatus;
  company: string;
  plan: Plan;
  accountId: string | null;
  billingCustomerId: string | null;
  apiKey: { prefix: string; last4: string } | null;
  failure: string | null;
}

/** GET /signups/{id}: the owner's view; anyone else's is not found. */
export const signupView = (row: SignupRow | undefined, caller: string): SignupView => {
  if (!row || row.owner !== caller) throw new SignupNotFoundError('no such signup');
  const done = row.status === 'ACTIVE';
  return {
    signupId: row.signupId,
    status: row.status,
    company: row.company,
    plan: row.plan,
    accountId: done ? row.accountId ?? null : null,
    billingCustomerId: done ? row.billingCustomerId ?? null : null,
    apiKey: done && row.apiKeyPrefix && row.apiKeyLast4 ? { prefix: row.apiKeyPrefix, last4: row.apiKeyLast4 } : null,
    failure: row.status === 'REJECTED' || row.status === 'FAILED' ? FAILURE_TEXT[row.failureError ?? ''] ?? FAILED_TEXT : null,
  };
};
