import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/approval/definition.asl.yaml, as compiled by serverless package, with the
 * mock cases (mock-cases.yaml beside it): the wait on the approver is mocked as its callback (a decision) or as
 * States.Timeout. The e2e tests prove the queue consumer, the links and the callback for real.
 */
const MACHINE = `${STAGE_PREFIX}-approval`;
const input = JSON.parse(readFileSync(new URL('../../events/approval-input.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const coverage = new CoverageRecorder();
// What the runs took, for the summary `npm run test:workflows` prints and the console's coverage overlay.
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string, machineInput: unknown = input): Promise<Run> =>
  coverage.record(await runStandardTestCase(MACHINE, testCase, machineInput));

const inputOf = (result: Run, state: string): Record<string, unknown> =>
  JSON.parse(result.events.find((event) => event.stateEnteredEventDetails?.name === state)?.stateEnteredEventDetails?.input ?? '{}') as Record<string, unknown>;

const scheduledParameters = (result: Run, resource: string): Record<string, unknown> =>
  JSON.parse(result.events.find((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === resource)?.taskScheduledEventDetails?.parameters ?? '{}') as Record<string, unknown>;

describe('approval', () => {
  it('records the request, asks the approver through the queue and ends APPROVED with who, when and the comment', async () => {
    const result = await run('Approved');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ChooseTimeout', 'RecordRequest', 'AskApprover', 'ReportDecision']);
    expect(result.output).toEqual({
      approvalId: expect.any(String), status: 'APPROVED', decidedBy: 'approver@example.com', decidedAt: '2026-11-23T12:05:00.000Z', comment: 'Fine by me',
    });
    const approvalId = (result.output as { approvalId: string }).approvalId;
    expect(result.executionArn.endsWith(`:${approvalId}`)).toBe(true);
  });

  it('ends REJECTED, a decision like any other', async () => {
    const result = await run('Rejected');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ status: 'REJECTED', decidedBy: 'approver@example.com', comment: 'Too expensive' });
  });

  it('records EXPIRED when nobody decides in time, and ends EXPIRED with nobody as the decider', async () => {
    const result = await run('Expired');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['AskApprover -> RecordExpiry']);
    expect(result.statesEntered.slice(-2)).toEqual(['RecordExpiry', 'ReportExpiry']);
    expect(result.output).toMatchObject({ status: 'EXPIRED', decidedBy: null, comment: '' });
  });

  it('ends with the recorded decision when it was written just before the deadline and the token arrived too late', async () => {
    const result = await run('DecidedJustBeforeExpiry');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['AskApprover -> RecordExpiry', 'RecordExpiry -> LoadRecordedDecision']);
    expect(result.output).toEqual({ approvalId: 'apr-test', status: 'APPROVED', decidedBy: 'approver@example.com', decidedAt: '2026-11-23T12:04:59.000Z', comment: 'Just in time' });
  });

  it('waits as long as the input says, and puts the token only in the queue message', async () => {
    const result = await run('Approved');

    const message = scheduledParameters(result, 'sendMessage.waitForTaskToken') as { MessageBody: Record<string, unknown> };
    expect(message.MessageBody).toMatchObject({ approver: 'approver@example.com', timeoutSeconds: 60, request: input.request, taskToken: expect.any(String) });
    const recorded = scheduledParameters(result, 'putItem') as { Item: Record<string, unknown> };
    expect(JSON.stringify(recorded.Item)).not.toContain('taskToken');
    expect(recorded.Item).toMatchObject({ status: { S: 'PENDING' }, approver: { S: 'approver@example.com' }, timeoutSeconds: { N: '60' } });
  });

  it('falls back to the stage timeout when the input has none', async () => {
    const { timeoutSeconds: _omitted, ...withoutTimeout } = input;

    const result = await run('Approved', withoutTimeout);

    expect(result.statesEntered.slice(0, 3)).toEqual(['ChooseTimeout', 'UseStageTimeout', 'RecordRequest']);
    expect(inputOf(result, 'RecordRequest').timeoutSeconds).toEqual(Number(process.env.APPROVAL_TIMEOUT_SECONDS ?? 300));
  });

  it('retries a transient queue failure and still waits for the decision', async () => {
    const result = await run('QueueFlakyOnce');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'AskApprover')).toBe(1);
    expect(result.output).toMatchObject({ status: 'APPROVED' });
  });

  it.each([
    ['RecordRequestFails', 'RecordRequest -> MarkRequestFailed'],
    ['QueueRejectsMessage', 'AskApprover -> MarkRequestFailed'],
    ['RecordExpiryFails', 'RecordExpiry -> MarkRequestFailed'],
    ['LoadDecisionFails', 'LoadRecordedDecision -> MarkRequestFailed'],
  ])('closes the request as FAILED and fails the execution when %s', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ApprovalFailed');
    expect(result.caughtTransitions).toContain(edge);
    expect(result.statesEntered.slice(-2)).toEqual(['MarkRequestFailed', 'ApprovalFailed']);
  });

  it('still fails the execution when not even the failure can be recorded', async () => {
    const result = await run('NothingCanBeRecorded');

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual(['RecordRequest -> MarkRequestFailed', 'MarkRequestFailed -> ApprovalFailed']);
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
