import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { AslMachine } from '../src/asl-diagram.js';
import { analyzeExecution, summarizeExecution, type ExecutionAnalysis } from '../src/execution-view.js';

/**
 * Histories shaped as the engine records them (event types, `previousEventId` links, the details
 * each carries): a Parallel whose branch fails into its Catch, a Map whose item is retried, a
 * Task caught directly into a Fail state, and waits on a task token and a nested execution.
 */
class History {
  readonly events: HistoryEvent[] = [];

  /** Adds an event after `previous` (0 for none) and returns its id. */
  add(previous: number, type: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    const key = /StateEntered$/.test(type) ? 'stateEnteredEventDetails' : /StateExited$/.test(type) ? 'stateExitedEventDetails' : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    this.events.push({ id, previousEventId: previous, type, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, id)), ...(details ? { [key]: details } : {}) } as HistoryEvent);
    return id;
  }
}

const state = (analysis: ExecutionAnalysis, name: string) => analysis.states.find((candidate) => candidate.name === name)!;
const lambda = { resourceType: 'lambda', resource: 'invoke' };

const machine: AslMachine = {
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.total', NumericGreaterThan: 100, Next: 'Fan' }], Default: 'Each' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
        { StartAt: 'Reserve', States: { Reserve: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['Declined'], Next: 'Nothing' }],
      Next: 'Done',
    },
    Each: { Type: 'Map', ItemProcessor: { StartAt: 'Ship', States: { Ship: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true } } }, Next: 'Done' },
    Nothing: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

describe('analyzeExecution', () => {
  it('a branch that fails: the branch state FAILED, its sibling ABORTED, the Parallel CAUGHT and routed to its Catch target', () => {
    // Prepare: the shape of a declined charge (both branches running, one fails, the Parallel's Catch takes it)
    const history = new History();
    history.add(0, 'ExecutionStarted', { input: '{"total":500}' });
    const routed = history.add(history.add(0, 'ChoiceStateEntered', { name: 'Route', input: '{"total":500}' }), 'ChoiceStateExited', { name: 'Route', output: '{"total":500}' });
    const fan = history.add(routed, 'ParallelStateEntered', { name: 'Fan', input: '{}' });
    const started = history.add(fan, 'ParallelStateStarted');
    const charging = history.add(history.add(history.add(started, 'TaskStateEntered', { name: 'Charge', input: '{"total":500}' }), 'TaskScheduled', lambda), 'TaskStarted', lambda);
    history.add(history.add(history.add(started, 'TaskStateEntered', { name: 'Reserve', input: '{}' }), 'TaskScheduled', lambda), 'TaskStarted', lambda);
    const failed = history.add(charging, 'TaskFailed', { ...lambda, error: 'Declined', cause: 'card declined' });
    history.add(failed, 'TaskStateAborted');
    history.add(failed, 'TaskStateAborted');
    const exited = history.add(history.add(failed, 'ParallelStateFailed'), 'ParallelStateExited', { name: 'Fan', output: '{}' });
    const nothing = history.add(history.add(exited, 'PassStateEntered', { name: 'Nothing', input: '{}' }), 'PassStateExited', { name: 'Nothing', output: '{}' });
    history.add(history.add(history.add(nothing, 'SucceedStateEntered', { name: 'Done' }), 'SucceedStateExited', { name: 'Done', output: '{}' }), 'ExecutionSucceeded');

    // Act
    const analysis = analyzeExecution(machine, history.events, 'SUCCEEDED');

    // Assess
    expect(state(analysis, 'Charge')).toMatchObject({ status: 'FAILED', attempts: 1, container: 'Fan', runs: [{ error: 'Declined', cause: 'card declined', input: '{"total":500}' }] });
    expect(state(analysis, 'Reserve').status).toBe('ABORTED');
    expect(state(analysis, 'Fan')).toMatchObject({ status: 'CAUGHT', runs: [{ caughtBy: 'Nothing', error: 'Declined' }] });
    expect(state(analysis, 'Each').status).toBe('NOT_RUN');
    expect(state(analysis, 'Done').status).toBe('SUCCEEDED');
    expect(analysis.edges).toEqual([
      { from: 'Route', to: 'Fan', kind: 'choice' },
      { from: 'Fan', to: 'Charge', kind: 'branch' },
      { from: 'Fan', to: 'Reserve', kind: 'branch' },
      { from: 'Fan', to: 'Nothing', kind: 'catch', error: 'Declined' },
      { from: 'Nothing', to: 'Done', kind: 'next' },
    ]);
  });

  it('a redriven execution: the branch that failed is SUCCEEDED by its run after the redrive, the branch that ended ran once, no edge into the resumed state', () => {
    // Prepare: Reserve fails uncaught (the execution FAILED), then RedriveExecution resumes the Parallel and runs only Reserve
    const history = new History();
    history.add(0, 'ExecutionStarted', { input: '{"total":500}' });
    const routed = history.add(history.add(0, 'ChoiceStateEntered', { name: 'Route', input: '{"total":500}' }), 'ChoiceStateExited', { name: 'Route', output: '{"total":500}' });
    const started = history.add(history.add(routed, 'ParallelStateEntered', { name: 'Fan', input: '{}' }), 'ParallelStateStarted');
    const charged = history.add(history.add(history.add(history.add(started, 'TaskStateEntered', { name: 'Charge', input: '{}' }), 'TaskScheduled', lambda), 'TaskStarted', lambda), 'TaskSucceeded', lambda);
    history.add(charged, 'TaskStateExited', { name: 'Charge', output: '{}' });
    const reserving = history.add(history.add(history.add(started, 'TaskStateEntered', { name: 'Reserve', input: '{}' }), 'TaskScheduled', lambda), 'TaskStarted', lambda);
    const failed = history.add(reserving, 'TaskFailed', { ...lambda, error: 'Unavailable', cause: 'outage' });
    const executionFailed = history.add(history.add(failed, 'ParallelStateFailed'), 'ExecutionFailed', { error: 'Unavailable', cause: 'outage' });
    const redriven = history.add(executionFailed, 'ExecutionRedriven', { redriveCount: 1 });
    const restarted = history.add(history.add(redriven, 'ParallelStateEntered', { name: 'Fan', input: '{}' }), 'ParallelStateStarted');
    const reserved = history.add(history.add(history.add(history.add(restarted, 'TaskStateEntered', { name: 'Reserve', input: '{}' }), 'TaskScheduled', lambda), 'TaskStarted', lambda), 'TaskSucceeded', lambda);
    const exited = history.add(history.add(history.add(reserved, 'TaskStateExited', { name: 'Reserve', output: '{}' }), 'ParallelStateSucceeded'), 'ParallelStateExited', { name: 'Fan', output: '[{},{}]' });
    history.add(history.add(history.add(exited, 'SucceedStateEntered', { name: 'Done' }), 'SucceedStateExited', { name: 'Done', output: '{}' }), 'ExecutionSucceeded');

    // Act
    const analysis = analyzeExecution(machine, history.events, 'SUCCEEDED');

    // Assess
    expect(state(analysis, 'Reserve')).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(state(analysis, 'Reserve').runs.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(state(analysis, 'Charge')).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(state(analysis, 'Fan')).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(state(analysis, 'Done').status).toBe('SUCCEEDED');
    expect(analysis.edges).toEqual([
      { from: 'Route', to: 'Fan', kind: 'choice' },
      { from: 'Fan', to: 'Charge', kind: 'branch' },
      { from: 'Fan', to: 'Reserve', kind: 'branch' },
      { from: 'Fan', to: 'Done', kind: 'next' },
    ]);
  });

  it('a Map: each item a run of the iterator\'s states, each retry an attempt, the default edge of the Choice', () => {
    // Prepare: two items; the first item's publish is throttled once, then goes through
    const history = new History();
    history.add(0, 'ExecutionStarted', { input: '{}' });
    const routed = history.add(history.add(0, 'ChoiceStateEntered', { name: 'Route' }), 'ChoiceStateExited', { name: 'Route' });
    const mapStarted = history.add(history.add(routed, 'MapStateEntered', { name: 'Each' }), 'MapStateStarted', { length: 2 });
    const sns = { resourceType: 'sns', resource: 'publish' };
    let cursor = history.add(history.add(history.add(history.add(mapStarted, 'MapIterationStarted', { name: 'Each', index: 0 }), 'TaskStateEntered', { name: 'Ship' }), 'TaskScheduled', sns), 'TaskStarted', sns);
    cursor = history.add(cursor, 'TaskFailed', { ...sns, error: 'SNS.ThrottledException' });
    cursor = history.add(history.add(history.add(cursor, 'TaskScheduled', sns), 'TaskStarted', sns), 'TaskSucceeded', { ...sns, output: '{}' });
    history.add(history.add(cursor, 'TaskStateExited', { name: 'Ship', output: '{"item":0}' }), 'MapIterationSucceeded', { name: 'Each', index: 0 });
    cursor = history.add(history.add(history.add(history.add(mapStarted, 'MapIterationStarted', { name: 'Each', index: 1 }), 'TaskStateEntered', { name: 'Ship' }), 'TaskScheduled', sns), 'TaskStarted', sns);
    cursor = history.add(history.add(cursor, 'TaskSucceeded', { ...sns, output: '{}' }), 'TaskStateExited', { name: 'Ship', output: '{"item":1}' });
    const last = history.add(cursor, 'MapIterationSucceeded', { name: 'Each', index: 1 });
    history.add(last, 'MapStateSucceeded');
    const mapExited = history.add(last, 'MapStateExited', { name: 'Each', output: '[]' });
    history.add(history.add(history.add(mapExited, 'SucceedStateEntered', { name: 'Done' }), 'SucceedStateExited', { name: 'Done' }), 'ExecutionSucceeded');

    // Act
    const analysis = analyzeExecution(machine, history.events, 'SUCCEEDED');

    // Assess
    expect(state(analysis, 'Ship')).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 3,
      runs: [{ status: 'SUCCEEDED', attempts: 2, iteration: 0, output: '{"item":0}' }, { status: 'SUCCEEDED', attempts: 1, iteration: 1, output: '{"item":1}' }],
    });
    expect(state(analysis, 'Each')).toMatchObject({ status: 'SUCCEEDED', attempts: 1, runs: [{ output: '[]' }] });
    expect(analysis.edges).toEqual([
      { from: 'Route', to: 'Each', kind: 'default' },
      { from: 'Each', to: 'Ship', kind: 'branch' },
      { from: 'Each', to: 'Done', kind: 'next' },
    ]);
  });

  it('a Task caught straight into a Fail state: the Task CAUGHT with the error it raised, the Fail state FAILED with its own', () => {
    // Prepare
    const small: AslMachine = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Broke' }], Next: 'Fine' },
        Fine: { Type: 'Succeed' },
        Broke: { Type: 'Fail', Error: 'Broke', Cause: 'it broke' },
      },
    };
    const history = new History();
    history.add(0, 'ExecutionStarted', { input: '{}' });
    const failed = history.add(history.add(history.add(history.add(0, 'TaskStateEntered', { name: 'Work' }), 'TaskScheduled', lambda), 'TaskStarted', lambda), 'TaskFailed', { ...lambda, error: 'Boom', cause: 'bang' });
    history.add(history.add(failed, 'FailStateEntered', { name: 'Broke' }), 'ExecutionFailed', { error: 'Broke', cause: 'it broke' });

    // Act
    const analysis = analyzeExecution(small, history.events, 'FAILED');

    // Assess
    expect(state(analysis, 'Work')).toMatchObject({ status: 'CAUGHT', runs: [{ error: 'Boom', cause: 'bang', caughtBy: 'Broke' }] });
    expect(state(analysis, 'Broke')).toMatchObject({ status: 'FAILED', runs: [{ error: 'Broke', cause: 'it broke' }] });
    expect(state(analysis, 'Fine').status).toBe('NOT_RUN');
    expect(analysis.edges).toEqual([{ from: 'Work', to: 'Broke', kind: 'catch', error: 'Boom' }]);
  });

  describe('a Task that hands its work to someone else', () => {
    const waiting = (resource: string, submittedOutput: string) => {
      const [service, action] = resource.split(':') as [string, string];
      const history = new History();
      history.add(0, 'ExecutionStarted', { input: '{}' });
      const details = { resourceType: service, resource: action };
      history.add(history.add(history.add(history.add(0, 'TaskStateEntered', { name: 'Ask' }), 'TaskScheduled', details), 'TaskStarted', details), 'TaskSubmitted', { ...details, output: submittedOutput });
      return history.events;
    };
    const single = (resource: string): AslMachine => ({ StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: `arn:aws:states:::${resource}`, End: true } } });

    it('is WAITING on a task token while the execution runs', () => {
      const analysis = analyzeExecution(single('sqs:sendMessage.waitForTaskToken'), waiting('sqs:sendMessage.waitForTaskToken', '{"MessageId":"m"}'), 'RUNNING');

      expect(state(analysis, 'Ask')).toMatchObject({ status: 'WAITING', runs: [{ waitingOn: 'task token' }] });
    });

    it('is WAITING on the nested execution it started, and names it', () => {
      const child = 'arn:aws:states:us-east-1:000000000000:execution:child:approve-1';
      const analysis = analyzeExecution(single('states:startExecution.sync:2'), waiting('states:startExecution.sync:2', `{"ExecutionArn": "${child}", "StartDate": 1}`), 'RUNNING');

      expect(state(analysis, 'Ask')).toMatchObject({ status: 'WAITING', runs: [{ waitingOn: 'nested execution', nestedExecutionArn: child }] });
    });

    it('is ABORTED when the execution was stopped while it waited', () => {
      const analysis = analyzeExecution(single('sqs:sendMessage.waitForTaskToken'), waiting('sqs:sendMessage.waitForTaskToken', '{}'), 'ABORTED');

      expect(state(analysis, 'Ask').status).toBe('ABORTED');
    });
  });
});

describe('summarizeExecution', () => {
  it('answers the console contract: every state with status and attempts, and the edges taken', () => {
    // Prepare
    const history = new History();
    history.add(0, 'ExecutionStarted', { input: '{}' });
    history.add(history.add(history.add(0, 'SucceedStateEntered', { name: 'Done' }), 'SucceedStateExited', { name: 'Done' }), 'ExecutionSucceeded');
    const tiny: AslMachine = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };

    // Act
    const summary = summarizeExecution({ executionArn: 'arn:x', stateMachineName: 'tiny', status: 'SUCCEEDED' }, analyzeExecution(tiny, history.events, 'SUCCEEDED'));

    // Assess
    expect(summary).toEqual({ executionArn: 'arn:x', stateMachineName: 'tiny', status: 'SUCCEEDED', states: [{ name: 'Done', status: 'SUCCEEDED', attempts: 1 }], edges: [] });
  });
});
