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
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeExecution, edgeKey, machineEdges, machineStates, type AslMachine, type CoverageFile } from 'local-stack';
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

const definitions = new Map<string, Promise<AslMachine>>();
/** The definition the engine actually runs (as compiled), read once per machine. */
const definitionOf = (machineName: string): Promise<AslMachine> => {
  let definition = definitions.get(machineName);
  if (!definition) {
    definition = (async () => {
      const { definition: text } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: await stateMachineArn(machineName) }));
      return JSON.parse(text ?? '{"StartAt":"","States":{}}') as AslMachine;
    })();
    definitions.set(machineName, definition);
  }
  return definition;
};

/** Every state and every Catch edge of the definition the engine actually runs. */
export const coverageTargets = async (machineName: string): Promise<{ states: string[]; catchEdges: string[] }> => {
  const definition = await definitionOf(machineName);
  const states = machineStates(definition).map(({ name }) => name);
  const catchEdges = machineEdges(definition).filter((edge) => edge.kind === 'catch').map((edge) => `${edge.from} -> ${edge.to}`);
  return { states, catchEdges: [...new Set(catchEdges)] };
};

/** Where the workflow tier leaves what its tests covered, one file per machine and test file; the local stack's console overlays them. */
export const COVERAGE_DIR = fileURLToPath(new URL('../../.local/workflow-coverage/', import.meta.url));

/** What a machine's tests took: each state entered and each transition (next, choice, default, catch). */
export interface CoverageReport extends CoverageFile {
  /** Every state of the definition, and every transition it allows (Parallel and Map entries aside: the groups show those). */
  states: string[];
  edges: { from: string; to: string; kind: string }[];
}

/** Collects what a test file's runs visited, to compare with {@link coverageTargets} at the end. */
export class CoverageRecorder {
  readonly visitedStates = new Set<string>();
  readonly takenCatches = new Set<string>();
  private readonly runs: Run[] = [];

  record(run: Run): Run {
    run.statesEntered.forEach((name) => this.visitedStates.add(name));
    run.caughtTransitions.forEach((edge) => this.takenCatches.add(edge));
    this.runs.push(run);
    return run;
  }

  /**
   * The states, Catch routes and other transitions (next, choice, default: `A -> B (choice)`) of
   * a machine's definition that no recorded run took.
   */
  async missing(machineName: string): Promise<{ states: string[]; catchEdges: string[]; edges: string[] }> {
    const targets = await coverageTargets(machineName);
    const { edges, edgesTaken } = await this.report(machineName);
    const taken = new Set(edgesTaken.map(edgeKey));
    return {
      states: targets.states.filter((name) => !this.visitedStates.has(name)),
      catchEdges: targets.catchEdges.filter((edge) => !this.takenCatches.has(edge)),
      edges: edges.filter((edge) => edge.kind !== 'catch' && !taken.has(edgeKey(edge))).map(edgeKey),
    };
  }

  /** Every state entered and every transition taken by the recorded runs, against all the definition has. */
  async report(machineName: string): Promise<CoverageReport> {
    const definition = await definitionOf(machineName);
    const taken = new Map<string, { from: string; to: string; kind: string }>();
    for (const run of this.runs) {
      for (const { from, to, kind } of analyzeExecution(definition, run.events, run.status).edges) {
        if (kind !== 'branch') taken.set(edgeKey({ from, to, kind }), { from, to, kind });
      }
    }
    return {
      stateMachineName: machineName,
      source: `test/workflows/${basename(expect.getState().testPath ?? 'unknown')}`,
      recordedAt: new Date().toISOString(),
      statesVisited: [...this.visitedStates],
      edgesTaken: [...taken.values()],
      states: machineStates(definition).map(({ name }) => name),
      edges: machineEdges(definition).filter((edge) => edge.kind !== 'branch').map(({ from, to, kind }) => ({ from, to, kind })),
    };
  }

  /** Writes the report where `npm run test:workflows` sums it up and the console draws it (call it in afterAll). */
  async save(machineName: string): Promise<void> {
    if (this.runs.length === 0) return;
    const report = await this.report(machineName);
    mkdirSync(COVERAGE_DIR, { recursive: true });
    writeFileSync(`${COVERAGE_DIR}${machineName}--${basename(report.source ?? 'tests', '.test.ts')}.json`, `${JSON.stringify(report, null, 2)}\n`);
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
