import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/carrier-events.asl.yaml (EXPRESS, started asynchronously by the carrier
 * webhook, as StartExecution does) with the mock-config test cases in statemachines/mock-config.json.
 */
const MACHINE = `${STAGE_PREFIX}-carrier-events`;
interface Batch { events: { eventId: string; status: string }[]; receivedAt: string }
const batch = JSON.parse(readFileSync(new URL('../../events/carrier-events-input.json', import.meta.url), 'utf8')) as Batch;
const withStatus = (status: string): Batch => ({ ...batch, events: batch.events.map((event) => ({ ...event, status })) });

const coverage = new CoverageRecorder();
const run = async (testCase: string, input: Batch = batch): Promise<Run> => coverage.record(await runStandardTestCase(MACHINE, testCase, input));
const ITERATION_START = ['ApplyEachEvent', 'ApplyTrackingEvent'];

describe('carrier-events', () => {
  it('marks the order DELIVERED and emails the customer on a first delivery event', async () => {
    const result = await run('Applied');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'MarkOrderDelivered', 'NotifyDelivered', 'EventRecorded']);
  });

  it('only records an in-transit event', async () => {
    const result = await run('Applied', withStatus('IN_TRANSIT'));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'EventRecorded']);
  });

  it('alerts operations on a carrier exception', async () => {
    const result = await run('Applied', withStatus('EXCEPTION'));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'AlertCarrierException', 'EventRecorded']);
  });

  it('does nothing more for an in-transit event it has seen before', async () => {
    const result = await run('Duplicate', withStatus('IN_TRANSIT'));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'EventRecorded']);
  });

  it('alerts no one again for an exception it has seen before', async () => {
    const result = await run('Duplicate', withStatus('EXCEPTION'));

    expect(result.statesEntered).not.toContain('AlertCarrierException');
    expect(result.statesEntered.at(-1)).toBe('EventRecorded');
  });

  // An EXPRESS execution run a second time finds its event recorded: the order must still be marked.
  it('still marks the order for a delivery event seen before, and emails only if this marks it', async () => {
    const marked = await run('DuplicateDeliveryNotYetMarked');
    const alreadyMarked = await run('DuplicateDeliveryAlreadyMarked');

    expect(marked.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'MarkOrderDelivered', 'NotifyDelivered', 'EventRecorded']);
    expect(alreadyMarked.caughtTransitions).toEqual(['MarkOrderDelivered -> OrderNotAwaitingDelivery']);
    expect(alreadyMarked.statesEntered).not.toContain('NotifyDelivered');
  });

  it('leaves the order alone for a late delivery event when a newer event says otherwise', async () => {
    const result = await run('DeliveredButNotNewest');

    expect(result.statesEntered).toEqual([...ITERATION_START, 'RouteByOutcome', 'EventRecorded']);
  });

  it('runs every event of a batch through its own iteration', async () => {
    const three: Batch = { ...batch, events: ['a', 'b', 'c'].map((suffix) => ({ ...batch.events[0], eventId: `evt-${suffix}`, status: 'IN_TRANSIT' })) };

    const result = await run('Applied', three);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.filter((name) => name === 'ApplyTrackingEvent')).toHaveLength(3);
    expect(result.statesEntered.filter((name) => name === 'EventRecorded')).toHaveLength(3);
  });

  it('asks again about an unknown tracking number, then keeps the event aside', async () => {
    const result = await run('UnknownTrackingNumber');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'ApplyTrackingEvent')).toBe(3);
    expect(result.caughtTransitions).toEqual(['ApplyTrackingEvent -> KeepEventAside']);
    expect(result.statesEntered.at(-1)).toBe('EventKeptAside');
  });

  it('keeps an event aside when applying it fails unexpectedly', async () => {
    const result = await run('ApplyCrashes');

    expect(result.caughtTransitions).toEqual(['ApplyTrackingEvent -> KeepEventAside']);
    expect(result.statesEntered.at(-1)).toBe('EventKeptAside');
  });

  it('gives fulfilment time to mark the order SHIPPED before it marks it DELIVERED', async () => {
    const result = await run('OrderShippedOnRetry');

    expect(failedAttempts(result, 'MarkOrderDelivered')).toBe(1);
    expect(result.statesEntered.slice(-2)).toEqual(['NotifyDelivered', 'EventRecorded']);
  });

  it('leaves an order that is not SHIPPED (or already DELIVERED) alone, sending no second email', async () => {
    const result = await run('OrderNotShipped');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'MarkOrderDelivered')).toBe(3);
    expect(result.caughtTransitions).toEqual(['MarkOrderDelivered -> OrderNotAwaitingDelivery']);
    expect(result.statesEntered).not.toContain('NotifyDelivered');
  });

  it.each([
    ['MarkDeliveredFails', 'DELIVERED', 'MarkOrderDelivered -> KeepEventAside'],
    ['NotifyFails', 'DELIVERED', 'NotifyDelivered -> KeepEventAside'],
    ['AlertFails', 'EXCEPTION', 'AlertCarrierException -> KeepEventAside'],
  ])('keeps the event aside when %s', async (testCase, status, edge) => {
    const result = await run(testCase, withStatus(status));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered.at(-1)).toBe('EventKeptAside');
  });

  it('fails the execution, for the alarm, when an event can be neither applied nor kept aside', async () => {
    const result = await run('KeepAsideFails');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CarrierEventNotRecorded');
    expect(result.caughtTransitions).toEqual(['ApplyTrackingEvent -> KeepEventAside', 'KeepEventAside -> EventNotRecorded']);
  });

  it('visited every state and took every Catch route of the definition', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [] });
  });
});
