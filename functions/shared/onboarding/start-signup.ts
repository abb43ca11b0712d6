import { randomUUID } from 'node:crypto';
import { OnboardingUnavailableError } from '../errors.js';
import { readJsonBody } from '../http.js';
import { requireValidIdempotencyKey } from '../orders/idempotency.js';
import {
  accountIdOf, companyKeyOf, parseSignupRequest, requestHashOfSignup, requireSameRequest, signupIdFor,
  type OnboardingInput, type SignupRow, type SignupStatus,
} from './signup.js';

/** Where signups are kept: `create` writes only if the id is new and otherwise answers the row there. */
export interface SignupStore {
  create(row: SignupRow): Promise<SignupRow | undefined>;
  get(signupId: string): Promise<SignupRow | undefined>;
}

/** The port to customer-onboarding: starting it twice for one signup starts it once. */
export interface OnboardingWorkflow {
  start(input: OnboardingInput): Promise<void>;
}

export interface SignupHttpRequest {
  owner: string;
  body: string | undefined;
  isBase64Encoded: boolean;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
}

export interface SignupAccepted {
  signupId: string;
  status: SignupStatus;
  replayed: boolean;
}

/**
 * Records the signup, then starts its workflow named after it. A retry with the same key and body
 * finds the row and starts the workflow again, which Step Functions answers with the same execution
 * (a start that failed the first time is made good); another body is a 422.
 */
export const startSignup = (store: SignupStore, workflow: OnboardingWorkflow, idKey: () => Promise<string>, now: () => Date = () => new Date()) =>
  async (raw: SignupHttpRequest): Promise<SignupAccepted> => {
    requireValidIdempotencyKey(raw.idempotencyKey);
    const request = parseSignupRequest(readJsonBody(raw));
    const row: SignupRow = {
      ...request,
      signupId: signupIdFor(await idKey(), raw.owner, raw.idempotencyKey, () => randomUUID().replaceAll('-', '')),
      owner: raw.owner,
      requestHash: requestHashOfSignup(request),
      createdAt: now().toISOString(),
      status: 'ONBOARDING',
    };
    const existing = await store.create(row);
    if (existing) requireSameRequest(existing, row.requestHash);
    const recorded = existing ?? row;
    try {
      await workflow.start({
        signupId: recorded.signupId,
        accountId: accountIdOf(recorded.signupId),
        owner: recorded.owner,
        company: recorded.company,
        companyKey: companyKeyOf(recorded.company),
        email: recorded.email,
        plan: recorded.plan,
        requestHash: recorded.requestHash,
        createdAt: recorded.createdAt,
      });
    } catch (error) {
      throw new OnboardingUnavailableError(`onboarding could not be started (${(error as Error).name}); retry with the same Idempotency-Key`);
    }
    return { signupId: recorded.signupId, status: recorded.status, replayed: existing !== undefined };
  };
