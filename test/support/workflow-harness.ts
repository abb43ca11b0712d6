import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { pollUntil } from './poll.js';

/**
 * Runs mock-config test cases (`stateMachineArn#TestCase`, the Step Functions Local convention)
 * on whatever engine SFN_ENDPOINT_URL or AWS_ENDPOINT_URL points at, and reads back what happened.
 */
const endpoint = process.env.SFN_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL;
export const sfn = new SFNClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', disableHostPrefix: true });

export const STAGE_PREFIX = 'sfn-orders-local';

export interface Run {
  executionArn: string;
  status: string;
  output: unknown;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** Names of states entered, in order (branch states included). */
  statesEntered: string[];
  /** Transitions out of a failed state into its Catch target: `From -> To`. */
  caughtTransitions: string[];
}

export const stateMachineArn = async (name: string): Promise<string> => {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((sm) => sm.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(`no state machine named ${name}`);
};

export const history = async (executionArn: string): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
};

const stateName = (event: HistoryEvent): string | undefined =>
  event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;

const isFailure = (event: HistoryEvent | undefined): boolean => /(Failed|TimedOut)$/.test(event?.type ?? '');

/**
 * A Catch transition shows in the history as a state entered right after a failure: either
 * directly (TaskFailed -> next entered) or through the failed state's exit (ParallelStateFailed ->
 * ParallelStateExited -> next entered). The `previousEventId` chain says which state it was.
 */
const caughtTransitionsOf = (events: HistoryEvent[]): string[] => {
  const byId = new Map(events.map((event) => [event.id, event]));
  const transitions: string[] = [];
  for (const event of events) {
    if (!event.stateEnteredEventDetails) continue;
    let previous = byId.get(event.previousEventId);
    let caught = isFailure(previous);
    if (previous?.stateExitedEventDetails) caught = isFailure(byId.get(previous.previousEventId));
    if (!caught) continue;
    while (previous && !stateName(previous)) previous = byId.get(previous.previousEventId);
    if (previous) transitions.push(`${stateName(previous)} -> ${event.stateEnteredEventDetails.name}`);
  }
  return transitions;
};

const runOf = (events: HistoryEvent[], executionArn: string, status: string, output: string | undefined, error?: string, cause?: string): Run => ({
  executionArn,
  status,
  output: output ? JSON.parse(output) : undefined,
  error,
  cause,
  events,
  statesEntered: events.flatMap((event) => (event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [])),
  caughtTransitions: caughtTransitionsOf(events),
});

/** Waits for an execution to leave RUNNING and returns how it ended. */
export const waitForExecutionEnd = (executionArn: string, timeoutMs = 60_000): Promise<DescribeExecutionCommandOutput> =>
  pollUntil(`execution ${executionArn}`, () => sfn.send(new DescribeExecutionCommand({ executionArn })), ({ status }) => status !== 'RUNNING', timeoutMs, 50);

export const runStandardTestCase = async (machineName: string, testCase: string, input: unknown, timeoutMs?: number): Promise<Run> => {
  const arn = await stateMachineArn(machineName);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#${testCase}`, input: JSON.stringify(input) }));
  if (!executionArn) throw new Error('StartExecution returned no executionArn');
  const execution = await waitForExecutionEnd(executionArn, timeoutMs);
  return runOf(await history(executionArn), executionArn, execution.status ?? '', execution.output, execution.error, execution.cause);
};

export const runExpressTestCase = async (machineName: string, testCase: string, input: unknown): Promise<Run> => {
  const arn = await stateMachineArn(machineName);
  const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${arn}#${testCase}`, input: JSON.stringify(input) }));
  if (!result.executionArn) throw new Error('StartSyncExecution returned no executionArn');
  return runOf(await history(result.executionArn), result.executionArn, result.status ?? '', result.output, result.error, result.cause);
};

interface AslState {
  Type: string;
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

const walkStates = (states: Record<string, AslState>, visit: (name: string, state: AslState) => void): void => {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const branch of state.Branches ?? []) walkStates(branch.States, visit);
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) walkStates(nested.States, visit);
  }
};

/** Every state and every Catch edge of the definition the engine actually runs. */
export const coverageTargets = async (machineName: string): Promise<{ states: string[]; catchEdges: string[] }> => {
  const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: await stateMachineArn(machineName) }));
  const states: string[] = [];
  const catchEdges: string[] = [];
  walkStates((JSON.parse(definition ?? '{}') as { States: Record<string, AslState> }).States, (name, state) => {
    states.push(name);
    for (const catcher of state.Catch ?? []) catchEdges.push(`${name} -> ${catcher.Next}`);
  });
  return { states, catchEdges: [...new Set(catchEdges)] };
};

/** Collects what a test file's runs visited, to compare with {@link coverageTargets} at the end. */
export class CoverageRecorder {
  readonly visitedStates = new Set<string>();
  readonly takenCatches = new Set<string>();

  record(run: Run): Run {
    run.statesEntered.forEach((name) => this.visitedStates.add(name));
    run.caughtTransitions.forEach((edge) => this.takenCatches.add(edge));
    return run;
  }

  /** The states and Catch routes of a machine's definition that no recorded run took. */
  async missing(machineName: string): Promise<{ states: string[]; catchEdges: string[] }> {
    const targets = await coverageTargets(machineName);
    return {
      states: targets.states.filter((name) => !this.visitedStates.has(name)),
      catchEdges: targets.catchEdges.filter((edge) => !this.takenCatches.has(edge)),
    };
  }
}

/** How often a Task failed (each failure before a retry, and a final one), found through each failure's event chain. */
export const failedAttempts = (run: Run, stateNameToCount: string): number => {
  const byId = new Map(run.events.map((event) => [event.id, event]));
  const stateOf = (event: HistoryEvent): string | undefined => {
    let cursor: HistoryEvent | undefined = event;
    while (cursor && !cursor.stateEnteredEventDetails) cursor = byId.get(cursor.previousEventId);
    return cursor?.stateEnteredEventDetails?.name;
  };
  return run.events.filter((event) => (event.type === 'TaskFailed' || event.type === 'LambdaFunctionFailed') && stateOf(event) === stateNameToCount).length;
};
