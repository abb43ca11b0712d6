import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/customer-onboarding/definition.asl.yaml, as compiled by serverless
 * package, with the mock cases beside it: the Lambdas, the DynamoDB writes and the billing
 * provider's HTTP Tasks answer as each case says. The e2e tests run them for real.
 */
const MACHINE = `${STAGE_PREFIX}-customer-onboarding`;
const input = JSON.parse(readFileSync(new URL('../../events/signup-started.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const coverage = new CoverageRecorder();
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string): Promise<Run> => coverage.record(await runStandardTestCase(MACHINE, testCase, input));

/** The parameters a Task state scheduled, found through each TaskScheduled event's chain (branches interleave). */
const parametersOf = (result: Run, state: string): Record<string, unknown> => {
  const byId = new Map(result.events.map((event) => [event.id, event]));
  const scheduled = result.events.find((event) => {
    if (event.type !== 'TaskScheduled') return false;
    let cursor = byId.get(event.previousEventId);
    while (cursor && !cursor.stateEnteredEventDetails) cursor = byId.get(cursor.previousEventId);
    return cursor?.stateEnteredEventDetails?.name === state;
  });
  return JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}') as Record<string, unknown>;
};

const inputOf = (result: Run, state: string): Record<string, unknown> =>
  JSON.parse(result.events.find((event) => event.stateEnteredEventDetails?.name === state)?.stateEnteredEventDetails?.input ?? '{}') as Record<string, unknown>;

const UNDO = ['UndoCustomerResources', 'DeleteAccount', 'DeleteApiKey', 'FindBillingCustomers'];

describe('customer-onboarding', () => {
  it('creates the account, the API key and the billing customer, welcomes the customer and records the signup ACTIVE', async () => {
    const result = await run('HappyPath');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(expect.arrayContaining(['ValidateSignup', 'CreateCustomerResources', 'CreateAccount', 'CreateApiKey', 'CreateBillingCustomer', 'AggregateResources', 'SendWelcomeEmail', 'RecordCompletion', 'Onboarded']));
    expect(result.statesEntered).not.toContain('UndoCustomerResources');
    const completion = parametersOf(result, 'RecordCompletion') as { Item: Record<string, { S: string }> };
    expect(completion.Item).toMatchObject({
      status: { S: 'ACTIVE' }, accountId: { S: input.accountId }, billingCustomerId: { S: 'cus_mock' }, apiKeyPrefix: { S: 'sk_live_' }, apiKeyLast4: { S: 'Xy9Z' }, owner: { S: 'demo-customer' },
    });
  });

  it('keys the account by the lower-cased company, creating it only where no other signup has', async () => {
    const result = await run('HappyPath');

    const account = parametersOf(result, 'CreateAccount') as { Item: Record<string, { S: string }>; ConditionExpression: string };
    expect(account.Item.companyKey).toEqual({ S: 'acme widgets ltd' });
    expect(account.ConditionExpression).toBe('attribute_not_exists(companyKey) OR signupId = :signupId');
  });

  it('calls the billing provider through the connection with an idempotency key derived from the signup, and no credentials in the history', async () => {
    const result = await run('HappyPath');

    const call = parametersOf(result, 'CreateBillingCustomer') as { Method: string; Headers: Record<string, string>; Authentication: { ConnectionArn: string }; RequestBody: Record<string, unknown> };
    expect(call.Method).toBe('POST');
    expect(call.Headers['Idempotency-Key']).toBe(`signup-${String(input.signupId)}`);
    expect(call.Authentication.ConnectionArn).toMatch(/:connection\//);
    expect(call.RequestBody).toEqual({ name: 'Acme Widgets Ltd', email: 'founder@acme.example', metadata: { signupId: input.signupId, plan: 'team' } });
    expect(JSON.stringify(result.events)).not.toMatch(/Bearer|sk_local|sk_live_[A-Za-z0-9_-]{8,}/);
  });

  it('passes only the key\'s prefix and last four on from the API key step', async () => {
    const result = await run('HappyPath');

    expect(inputOf(result, 'SendWelcomeEmail').resources).toEqual({ accountId: input.accountId, billingCustomerId: 'cus_mock', apiKey: { prefix: 'sk_live_', last4: 'Xy9Z' } });
  });

  it('rejects a company that already has an account before anything is made, and tells the signup\'s address', async () => {
    const result = await run('AlreadyOnboarded');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ValidateSignup -> AlreadyOnboarded']);
    expect(result.statesEntered).toEqual(['ValidateSignup', 'AlreadyOnboarded', 'RecordOutcome', 'NotifySignupOutcome', 'CheckOutcome', 'SignupRejected']);
    expect(parametersOf(result, 'RecordOutcome')).toMatchObject({ ExpressionAttributeValues: { ':outcome': { S: 'REJECTED' }, ':error': { S: 'CompanyAlreadyOnboarded' } } });
  });

  it('rejects the second of two signups of one company when its account write loses, and undoes its key and billing customer', async () => {
    const result = await run('CompanyTakenConcurrently');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(expect.arrayContaining(['CreateCustomerResources -> CompanyTaken', 'DeleteAccount -> NoAccountOfThisSignup']));
    expect(result.statesEntered).toEqual(expect.arrayContaining([...UNDO, 'DeleteBillingCustomer', 'SignupRejected']));
    expect(parametersOf(result, 'DeleteAccount')).toMatchObject({ ConditionExpression: 'signupId = :signupId' });
    expect(parametersOf(result, 'RecordOutcome')).toMatchObject({ ExpressionAttributeValues: { ':outcome': { S: 'REJECTED' } } });
  });

  it('retries the billing provider on 503, then undoes everything by signupId, marks the signup FAILED, emails it and alerts operations', async () => {
    const result = await run('BillingDown');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('SignupFailed');
    expect(failedAttempts(result, 'CreateBillingCustomer')).toBe(4);
    expect(result.caughtTransitions).toEqual(['CreateCustomerResources -> HandleUnexpectedError']);
    expect(result.statesEntered).toEqual(expect.arrayContaining([...UNDO, 'RecordOutcome', 'NotifySignupOutcome', 'CheckOutcome', 'AlertOperations', 'SignupFailed']));
    expect(result.statesEntered).not.toContain('DeleteBillingCustomer');
    const search = parametersOf(result, 'FindBillingCustomers') as { QueryParameters: Record<string, string> };
    expect(search.QueryParameters.query).toBe(`metadata["signupId"]:"${String(input.signupId)}"`);
    expect(parametersOf(result, 'RecordOutcome')).toMatchObject({ ExpressionAttributeValues: { ':outcome': { S: 'FAILED' }, ':error': { S: 'States.Http.StatusCode.503' } } });
  });

  it('undoes everything when the welcome email cannot be sent, a billing customer already deleted counting as undone', async () => {
    const result = await run('WelcomeEmailFails');

    expect(result.error).toBe('SignupFailed');
    expect(result.caughtTransitions).toEqual(['SendWelcomeEmail -> HandleUnexpectedError', 'DeleteBillingCustomer -> AlreadyDeleted']);
    expect(parametersOf(result, 'DeleteBillingCustomer')).toMatchObject({ Method: 'DELETE', ApiEndpoint: expect.stringMatching(/\/v1\/customers\/cus_mock$/) });
  });

  it('undoes everything when validation fails unexpectedly or the completion cannot be recorded', async () => {
    for (const [testCase, caught] of [['ValidateFails', 'ValidateSignup -> HandleUnexpectedError'], ['RecordCompletionFails', 'RecordCompletion -> HandleUnexpectedError']]) {
      const result = await run(testCase ?? '');

      expect(result.error).toBe('SignupFailed');
      expect(result.caughtTransitions).toEqual([caught]);
      expect(result.statesEntered).toEqual(expect.arrayContaining([...UNDO, 'AlertOperations']));
    }
  });

  it('marks the signup FAILED and alerts operations when an undo fails for good', async () => {
    const result = await run('UndoFails');

    expect(result.error).toBe('SignupFailed');
    expect(result.caughtTransitions).toEqual(['CreateCustomerResources -> HandleUnexpectedError', 'UndoCustomerResources -> UndoFailed']);
    expect(result.statesEntered.slice(-5)).toEqual(['UndoFailed', 'RecordOutcome', 'NotifySignupOutcome', 'CheckOutcome', 'AlertOperations'].concat('SignupFailed').slice(-5));
  });

  it('alerts operations when the outcome cannot be recorded or its email not sent, and fails when even the alert cannot go', async () => {
    const recordFails = await run('RecordOutcomeFails');
    expect(recordFails.caughtTransitions).toEqual(['ValidateSignup -> AlreadyOnboarded', 'RecordOutcome -> AlertOperations']);
    expect(recordFails.error).toBe('SignupFailed');

    const notifyFails = await run('NotifyOutcomeFails');
    expect(notifyFails.caughtTransitions).toEqual(['ValidateSignup -> AlreadyOnboarded', 'NotifySignupOutcome -> AlertOperations']);

    const alertFails = await run('AlertFails');
    expect(alertFails.caughtTransitions).toEqual(['ValidateSignup -> HandleUnexpectedError', 'AlertOperations -> SignupFailed']);
    expect(alertFails.error).toBe('SignupFailed');
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
