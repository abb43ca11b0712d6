import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runExpressTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/order-intake/definition.asl.yaml (EXPRESS, run with StartSyncExecution as
 * place-order runs it) with the mock cases in statemachines/order-intake/mock-cases.yaml.
 */
const MACHINE = `${STAGE_PREFIX}-order-intake`;
const input = JSON.parse(readFileSync(new URL('../../events/order-intake-input.json', import.meta.url), 'utf8')) as { orderId: string };

const coverage = new CoverageRecorder();
// What the runs took, for the summary `npm run test:workflows` prints and the console's coverage overlay.
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string): Promise<Run> => coverage.record(await runExpressTestCase(MACHINE, testCase, input));

describe('order-intake', () => {
  it('records a new order, publishes OrderPlaced and answers PLACED', async () => {
    const result = await run('NewOrder');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ValidateOrder', 'RecordOrder', 'EmitOrderPlaced', 'MarkOrderAnnounced', 'OrderAccepted']);
    expect(result.output).toEqual({ orderId: input.orderId, status: 'PLACED', total: { amount: 12900, currency: 'EUR' }, replayed: false });
  });

  it('rejects an invalid order with the validation message as the cause, recording nothing', async () => {
    const result = await run('InvalidOrder');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidOrder');
    expect(JSON.parse(result.cause ?? '{}')).toMatchObject({ errorMessage: 'items[0].sku: unknown SKU "NOPE"' });
    expect(result.statesEntered).toEqual(['ValidateOrder', 'RejectOrder']);
  });

  it.each([
    ['ValidationCrashes', ['ValidateOrder -> IntakeFailed']],
    ['RecordFails', ['RecordOrder -> IntakeFailed']],
    ['LoadExistingFails', ['RecordOrder -> StartWaitingForOriginal', 'LoadExistingOrder -> IntakeFailed']],
  ])('fails with IntakeFailed, nothing published, when %s', async (testCase, edges) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('IntakeFailed');
    expect(result.caughtTransitions).toEqual(edges);
    expect(result.statesEntered).not.toContain('EmitOrderPlaced');
  });

  it('answers a retry with the same key and body with the existing order, publishing nothing', async () => {
    const result = await run('SameKeySameRequest');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ValidateOrder', 'RecordOrder', 'StartWaitingForOriginal', 'LoadExistingOrder', 'CompareWithExistingOrder', 'ReplayExistingOrder']);
    expect(result.output).toEqual({ orderId: input.orderId, status: 'PROCESSING', total: { amount: 12900, currency: 'EUR' }, replayed: true });
  });

  // Mocked responses are indexed by retry within one entry of a state (moto, like LocalStack), so a
  // loop back into LoadExistingOrder sees the same row: the wait-then-answer path runs for real in
  // the e2e test that sends one key 20 times at once.
  it('waits for the original request, then gives up with a retryable IntakeInProgress', async () => {
    const result = await run('SameKeyOriginalNeverAnnounced');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('IntakeInProgress');
    expect(result.statesEntered.filter((name) => name === 'WaitForOriginal')).toHaveLength(3);
    expect(result.statesEntered).not.toContain('EmitOrderPlaced');
  });

  it('accepts the order even when marking it announced fails, since the event is out', async () => {
    const result = await run('MarkAnnouncedFails');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['MarkOrderAnnounced -> OrderAccepted']);
    expect(result.output).toMatchObject({ status: 'PLACED', replayed: false });
  });

  it('refuses the same key with another body as IdempotencyConflict', async () => {
    const result = await run('SameKeyOtherRequest');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('IdempotencyConflict');
    expect(result.statesEntered.at(-1)).toBe('IdempotencyConflict');
  });

  it('fails retryably when the conflicting order vanished before it could be read', async () => {
    const result = await run('ExistingOrderVanished');

    expect(result.error).toBe('IntakeFailed');
    expect(result.statesEntered.slice(-2)).toEqual(['CompareWithExistingOrder', 'IntakeFailed']);
  });

  it('retries a transient EventBridge failure and then accepts the order', async () => {
    const result = await run('EmitRetriedThenPublished');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'EmitOrderPlaced')).toBe(1);
    expect(result.statesEntered.at(-1)).toBe('OrderAccepted');
  });

  it('takes the order row back when OrderPlaced cannot be published', async () => {
    const result = await run('EmitFails');

    expect(result.error).toBe('IntakeFailed');
    expect(result.caughtTransitions).toEqual(['EmitOrderPlaced -> UndoRecordOrder']);
    expect(result.statesEntered.slice(-2)).toEqual(['UndoRecordOrder', 'IntakeFailed']);
  });

  it('still fails cleanly when taking the row back fails too', async () => {
    const result = await run('EmitAndUndoFail');

    expect(result.error).toBe('IntakeFailed');
    expect(result.caughtTransitions).toEqual(['EmitOrderPlaced -> UndoRecordOrder', 'UndoRecordOrder -> IntakeFailed']);
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
