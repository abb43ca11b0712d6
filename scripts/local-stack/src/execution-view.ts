import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { machineStates, type AslMachine, type EdgeKind } from './asl-diagram.js';

/**
 * What an execution did, state by state, read from its history (GetExecutionHistory) and its
 * machine's definition: each state's outcome (succeeded, failed, caught and where it went,
 * retried, aborted, waiting on a task token or a nested execution, not run) and the transitions
 * taken. Events name their state only on entry and exit; every other event is placed by its
 * `previousEventId` chain, which leads back to the entry of the state it belongs to.
 */

export type StateStatus = 'SUCCEEDED' | 'FAILED' | 'CAUGHT' | 'ABORTED' | 'RUNNING' | 'WAITING' | 'NOT_RUN';

export interface TakenEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The error a Catch routed on. */
  error?: string;
}

/** One run of a state: one entry, with everything that happened until it left. */
export interface StateRun {
  enteredEventId: number;
  status: Exclude<StateStatus, 'NOT_RUN'>;
  /** Tries within this run: each retry of a Task (or a Parallel or Map) counts. */
  attempts: number;
  enteredAt?: string;
  exitedAt?: string;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Where its Catch sent the execution. */
  caughtBy?: string;
  /** What a WAITING run waits on. */
  waitingOn?: 'task token' | 'nested execution';
  /** The execution a `states:startExecution` Task started. */
  nestedExecutionArn?: string;
  /** The Map iteration it ran in. */
  iteration?: number;
  /** Its own events (entry, task events, exit), in order. */
  eventIds: number[];
}

export interface StateOutcome {
  name: string;
  type: string;
  /** The Parallel or Map state that holds it. */
  container?: string;
  /** Its last run's, or FAILED if any run failed uncaught; NOT_RUN without runs. */
  status: StateStatus;
  attempts: number;
  runs: StateRun[];
}

export interface ExecutionAnalysis {
  states: StateOutcome[];
  edges: TakenEdge[];
}

type Details = { name?: string; input?: string; output?: string; error?: string; cause?: string; resource?: string; resourceType?: string; index?: number };
const detailsOf = (event: HistoryEvent): Details | undefined =>
  Object.entries(event).find(([key, value]) => key.endsWith('EventDetails') && value)?.[1] as Details | undefined;

const type = (event: HistoryEvent | undefined): string => event?.type ?? '';
const isEntered = (event: HistoryEvent | undefined) => type(event).endsWith('StateEntered');
const isExited = (event: HistoryEvent | undefined) => type(event).endsWith('StateExited');
const isContainerEntered = (event: HistoryEvent | undefined) => type(event) === 'ParallelStateEntered' || type(event) === 'MapStateEntered';
const isContainerExited = (event: HistoryEvent | undefined) => type(event) === 'ParallelStateExited' || type(event) === 'MapStateExited';
/** Events of a Parallel or Map as a whole, whose `previousEventId` may point into a branch. */
const isContainerEvent = (event: HistoryEvent | undefined) =>
  /^(ParallelState|MapState|MapIteration)/.test(type(event)) && !isEntered(event);
const isFailure = (event: HistoryEvent | undefined) => /(Failed|TimedOut)$/.test(type(event)) && !type(event).startsWith('Execution') && !type(event).startsWith('MapIteration');
const isSuccess = (event: HistoryEvent | undefined) => /(TaskSucceeded|FunctionSucceeded|ActivitySucceeded|ParallelStateSucceeded|MapStateSucceeded)$/.test(type(event));
const isTry = (event: HistoryEvent | undefined) => /^(TaskScheduled|LambdaFunctionScheduled|ActivityScheduled|ParallelStateStarted|MapStateStarted)$/.test(type(event));
const stateTypeOf = (event: HistoryEvent) => type(event).replace(/StateEntered$/, '');
const time = (event: HistoryEvent | undefined) => (event?.timestamp ? new Date(event.timestamp).toISOString() : undefined);

export const analyzeExecution = (definition: AslMachine, events: HistoryEvent[], executionStatus: string): ExecutionAnalysis => {
  const byId = new Map(events.map((event) => [event.id, event]));
  const previous = (event: HistoryEvent) => (event.previousEventId ? byId.get(event.previousEventId) : undefined);
  const defined = new Map(machineStates(definition).map((entry) => [entry.name, entry]));

  /** The entry of the state a task-level event belongs to. */
  const plainOwner = (event: HistoryEvent): HistoryEvent | undefined => {
    let cursor: HistoryEvent | undefined = event;
    while (cursor && !isEntered(cursor)) cursor = previous(cursor);
    return cursor;
  };
  /** The entry of the Parallel or Map an event of the whole group belongs to, stepping over inner groups that ended. */
  const containerOwner = (event: HistoryEvent): HistoryEvent | undefined => {
    let depth = 0;
    for (let cursor = previous(event); cursor; cursor = previous(cursor)) {
      if (isContainerExited(cursor)) depth += 1;
      else if (isContainerEntered(cursor)) {
        if (depth === 0) return cursor;
        depth -= 1;
      }
    }
    return undefined;
  };
  const ownerOf = (event: HistoryEvent): HistoryEvent | undefined => {
    if (isEntered(event)) return event;
    if (isContainerExited(event) || isContainerEvent(event)) return containerOwner(event);
    return plainOwner(event);
  };
  /** The error behind a failure: a Parallel's or Map's failure names none, the failure it points at does. */
  const rootError = (event: HistoryEvent): { error?: string; cause?: string } => {
    for (let cursor: HistoryEvent | undefined = event, hops = 0; cursor && hops < 10_000; cursor = previous(cursor), hops += 1) {
      const details = detailsOf(cursor);
      if (details?.error !== undefined || details?.cause !== undefined) return { error: details.error, cause: details.cause };
      if (isEntered(cursor)) break;
    }
    return {};
  };

  interface Working extends StateRun { name: string; entered: HistoryEvent; parent?: Working; own: HistoryEvent[] }
  const runs = new Map<number, Working>();
  const runsInOrder: Working[] = [];
  for (const event of events) {
    if (isEntered(event)) {
      const details = detailsOf(event);
      const run: Working = {
        name: details?.name ?? '?', entered: event, own: [event], enteredEventId: event.id!, status: 'RUNNING', attempts: 0, eventIds: [],
        ...(details?.input !== undefined ? { input: details.input } : {}), ...(time(event) ? { enteredAt: time(event) } : {}),
      };
      runs.set(event.id!, run);
      runsInOrder.push(run);
      continue;
    }
    if (type(event).startsWith('Execution') || type(event).endsWith('StateAborted')) continue;
    const owner = ownerOf(event);
    const run = owner ? runs.get(owner.id!) : undefined;
    if (!run) continue;
    run.own.push(event);
    if (isExited(event)) {
      const details = detailsOf(event);
      if (details?.output !== undefined) run.output = details.output;
      run.exitedAt = time(event);
    }
  }

  // Transitions: how each entry was reached.
  const edges = new Map<string, TakenEdge>();
  const take = (edge: TakenEdge) => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${edge.error ?? ''}`;
    if (!edges.has(key)) edges.set(key, edge);
  };
  const lastOutcome = (run: Working) => run.own.filter((event) => isSuccess(event) || isFailure(event)).at(-1);
  for (const run of runsInOrder) {
    const before = previous(run.entered);
    // A redrive resumes a state where the execution stopped: no transition led there.
    if (!before || type(before) === 'ExecutionStarted' || type(before) === 'ExecutionRedriven') continue;
    if (type(before) === 'ParallelStateStarted' || type(before) === 'MapIterationStarted') {
      const container = runs.get(containerOwner(before)?.id ?? -1);
      if (!container) continue;
      run.parent = container;
      if (type(before) === 'MapIterationStarted') run.iteration = detailsOf(before)?.index;
      take({ from: container.name, to: run.name, kind: 'branch' });
      continue;
    }
    const from = runs.get(ownerOf(before)?.id ?? -1);
    if (!from) continue;
    if (from.parent) run.parent = from.parent;
    if (from.iteration !== undefined) run.iteration = from.iteration;
    const failure = isFailure(before) ? before : isExited(before) && isFailure(lastOutcome(from)) ? lastOutcome(from) : undefined;
    if (failure) {
      const { error } = rootError(failure);
      from.caughtBy = run.name;
      take({ from: from.name, to: run.name, kind: 'catch', ...(error !== undefined ? { error } : {}) });
    } else if (stateTypeOf(from.entered) === 'Choice') {
      const choice = defined.get(from.name)?.state;
      const byRule = (choice?.Choices ?? []).some((rule) => rule.Next === run.name);
      take({ from: from.name, to: run.name, kind: byRule || choice?.Default !== run.name ? 'choice' : 'default' });
    } else {
      take({ from: from.name, to: run.name, kind: 'next' });
    }
  }

  // Each run's outcome.
  const finished = (run: Working) => run.own.some(isExited) || isFailure(lastOutcome(run));
  const executionEnded = executionStatus !== 'RUNNING';
  for (const run of runsInOrder) {
    run.eventIds = run.own.map((event) => event.id!);
    run.attempts = Math.max(1, run.own.filter(isTry).length);
    const outcome = lastOutcome(run);
    const stateType = stateTypeOf(run.entered);
    const scheduled = run.own.map(detailsOf).find((details) => details?.resource !== undefined);
    if (scheduled?.resourceType === 'states' && scheduled.resource?.startsWith('startExecution')) {
      for (const event of run.own) {
        const output = detailsOf(event)?.output;
        const arn = output ? /"ExecutionArn"\s*:\s*"([^"]+)"/.exec(output)?.[1] : undefined;
        if (arn) run.nestedExecutionArn = arn;
      }
    }
    if (stateType === 'Fail') {
      const ended = events.find((event) => type(event) === 'ExecutionFailed' && event.previousEventId === run.enteredEventId);
      const failed = ended ? detailsOf(ended) : undefined;
      const failState = defined.get(run.name)?.state;
      run.status = 'FAILED';
      run.error = failed?.error ?? (failState?.Error as string | undefined);
      run.cause = failed?.cause ?? (failState?.Cause as string | undefined);
    } else if (isFailure(outcome)) {
      const { error, cause } = rootError(outcome!);
      run.error = error;
      run.cause = cause;
      // A failure nobody caught yet, in an execution still running inside a group still running: a retry or the group's catch is coming.
      const pending = !run.caughtBy && !executionEnded && !(run.parent && finished(run.parent));
      run.status = run.caughtBy ? 'CAUGHT' : pending ? 'RUNNING' : 'FAILED';
    } else if (run.own.some(isExited)) {
      run.status = 'SUCCEEDED';
    } else if (executionEnded || (run.parent && finished(run.parent))) {
      run.status = 'ABORTED';
    } else if (scheduled?.resource && /waitForTaskToken|\.sync/.test(scheduled.resource)) {
      run.status = 'WAITING';
      run.waitingOn = /waitForTaskToken/.test(scheduled.resource) ? 'task token' : 'nested execution';
    } else {
      run.status = 'RUNNING';
    }
  }
  // A run left open inside a group that was aborted is aborted too.
  for (const run of runsInOrder) {
    if ((run.status === 'RUNNING' || run.status === 'WAITING') && run.parent?.status === 'ABORTED') run.status = 'ABORTED';
  }

  const strip = (run: Working): StateRun => {
    const { name: _name, entered: _entered, parent: _parent, own: _own, ...rest } = run;
    return rest;
  };
  const runsByName = new Map<string, Working[]>();
  for (const run of runsInOrder) runsByName.set(run.name, [...(runsByName.get(run.name) ?? []), run]);
  // A run that failed before a redrive which ran its state again is superseded by that later run.
  const redrives = events.filter((event) => type(event) === 'ExecutionRedriven').map((event) => event.id!);
  const superseded = (run: Working, own: Working[]) => {
    const ended = Math.max(...run.own.map((event) => event.id!));
    return redrives.some((redrive) => redrive > ended && own.some((later) => later.enteredEventId > redrive));
  };
  const names = [...defined.keys(), ...[...runsByName.keys()].filter((name) => !defined.has(name))];
  const states = names.map((name): StateOutcome => {
    const own = runsByName.get(name) ?? [];
    const entry = defined.get(name);
    const status: StateStatus = own.length === 0 ? 'NOT_RUN' : own.some((run) => run.status === 'FAILED' && !superseded(run, own)) ? 'FAILED' : own.at(-1)!.status;
    return {
      name,
      type: entry?.state.Type ?? stateTypeOf(own[0]!.entered),
      ...(entry?.container !== undefined ? { container: entry.container } : {}),
      status,
      attempts: own.reduce((sum, run) => sum + run.attempts, 0),
      runs: own.map(strip),
    };
  });
  return { states, edges: [...edges.values()] };
};

/** The execution as the console's JSON API answers it: each state's status and attempts, and the transitions taken. */
export interface ExecutionSummary {
  executionArn: string;
  stateMachineName: string;
  status: string;
  states: { name: string; status: StateStatus; attempts: number }[];
  edges: TakenEdge[];
}

export const summarizeExecution = (execution: { executionArn: string; stateMachineName: string; status: string }, analysis: ExecutionAnalysis): ExecutionSummary => ({
  executionArn: execution.executionArn,
  stateMachineName: execution.stateMachineName,
  status: execution.status,
  states: analysis.states.map(({ name, status, attempts }) => ({ name, status, attempts })),
  edges: analysis.edges,
});
