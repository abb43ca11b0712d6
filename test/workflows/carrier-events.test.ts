import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/carrier-events/definition.asl.yaml (EXPRESS, started asynchronously by the carrier
 * webhook, as StartExecution does) with the mock cases in statemachines/carrier-events/mock-cases.yaml:
 * the batch step's answer (which events need a next step) is mocked, then each action runs.
 */
const MACHINE = `${STAGE_PREFIX}-carrier-events`;
const batch = JSON.parse(readFileSync(new URL('../../events/carrier-events-input.json', import.meta.url), 'utf8')) as unknown;

const coverage = new CoverageRecorder();
// What the runs took, for the summary `npm run test:workflows` prints and the console's coverage overlay.
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string): Promise<Run> => coverage.record(await runStandardTestCase(MACHINE, testCase, batch));
const count = (result: Run, state: string) => result.statesEntered.filter((name) => name === state).length;

describe('carrier-events', () => {
  it('ends after the batch step when no event needs anything more (most batches)', async () => {
    const result = await run('NothingToDo');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ApplyTrackingEvents', 'ActOnEvents']);
  });

  it('marks the order DELIVERED and emails the customer for a delivery', async () => {
    const result = await run('Delivered');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ApplyTrackingEvents', 'ActOnEvents', 'RouteAction', 'MarkOrderDelivered', 'NotifyDelivered', 'EventActedOn']);
  });

  it('gives fulfilment time to mark the order SHIPPED before it marks it DELIVERED', async () => {
    const result = await run('DeliveredOnRetry');

    expect(failedAttempts(result, 'MarkOrderDelivered')).toBe(1);
    expect(result.statesEntered.slice(-2)).toEqual(['NotifyDelivered', 'EventActedOn']);
  });

  it('still sends a pending email for an order already DELIVERED (a redelivery after a crash), and the step sends only what is pending', async () => {
    const result = await run('DeliveredAlreadyMarked');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'MarkOrderDelivered')).toBe(3);
    expect(result.caughtTransitions).toEqual(['MarkOrderDelivered -> NotifyDelivered']);
    expect(result.statesEntered.slice(-2)).toEqual(['NotifyDelivered', 'EventActedOn']);
  });

  it('retries an email the notifications topic did not take, then keeps the event aside', async () => {
    const result = await run('NotifyFails');

    expect(failedAttempts(result, 'NotifyDelivered')).toBe(4);
    expect(result.caughtTransitions).toEqual(['NotifyDelivered -> KeepEventAside']);
  });

  it('alerts operations on a carrier exception', async () => {
    const result = await run('Exception');

    expect(result.statesEntered).toEqual(['ApplyTrackingEvents', 'ActOnEvents', 'RouteAction', 'AlertCarrierException', 'EventActedOn']);
  });

  it('keeps an event for an unknown tracking number aside, with the reason', async () => {
    const result = await run('Unknown');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ApplyTrackingEvents', 'ActOnEvents', 'RouteAction', 'NoShipmentForEvent', 'KeepEventAside', 'EventKeptAside']);
  });

  it('runs every action of a batch in its own iteration', async () => {
    const result = await run('Mixed');

    expect(result.status).toBe('SUCCEEDED');
    expect(count(result, 'RouteAction')).toBe(3);
    expect(['MarkOrderDelivered', 'AlertCarrierException', 'KeepEventAside'].map((state) => count(result, state))).toEqual([1, 1, 1]);
  });

  it('keeps every event of a batch aside when the batch cannot be applied', async () => {
    const result = await run('BatchFails');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ApplyTrackingEvents -> KeepBatchAside']);
    expect(result.statesEntered.slice(-1)).toEqual(['KeepFailedEventAside']);
  });

  it.each([
    ['MarkDeliveredFails', 'MarkOrderDelivered -> KeepEventAside'],
    ['NotifyFails', 'NotifyDelivered -> KeepEventAside'],
    ['AlertFails', 'AlertCarrierException -> KeepEventAside'],
  ])('keeps the event aside when %s', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered.at(-1)).toBe('EventKeptAside');
  });

  it.each([
    ['KeepAsideFails', ['KeepEventAside -> EventNotRecorded']],
    ['BatchFailsKeepFails', ['ApplyTrackingEvents -> KeepBatchAside', 'KeepFailedEventAside -> FailedEventNotRecorded']],
  ])('fails the execution, for the alarm, when an event can be neither acted on nor kept aside (%s)', async (testCase, edges) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CarrierEventNotRecorded');
    expect(result.caughtTransitions).toEqual(edges);
  });

  it('stops the other events of the batch when one fails the execution: the delivery waiting to retry is aborted, the failure reported once', async () => {
    const result = await run('MixedKeepAsideFails');
    const types = result.events.map(({ type }) => type);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CarrierEventNotRecorded');
    expect(types.filter((type) => type === 'MapIterationFailed')).toHaveLength(1);
    expect(types).toContain('MapIterationAborted');
    expect(types.at(-1)).toBe('ExecutionFailed');
    expect(result.statesEntered).not.toContain('NotifyDelivered');
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
