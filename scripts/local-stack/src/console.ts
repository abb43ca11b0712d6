import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type ExecutionListItem,
  type ExecutionStatus,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { edgeKey, machineEdges, machineStates, renderMermaid, type AslMachine, type DiagramOverlay, type OverlayStatus } from './asl-diagram.js';
import { analyzeExecution, summarizeExecution, type StateOutcome, type TakenEdge } from './execution-view.js';

/**
 * The console at /_local/console: the state machines, their recent executions, and an execution
 * drawn on its machine's diagram with each state's outcome. It reads the Step Functions API only
 * (ListStateMachines, DescribeStateMachine, ListExecutions, DescribeExecution,
 * GetExecutionHistory), through whatever client it is given, so it shows any endpoint's machines;
 * it knows nothing of the service it runs. Its page's script and Mermaid come from this package
 * and node_modules: it works offline.
 */

const PAGE_DIR = fileURLToPath(new URL('../console/', import.meta.url));
/** Found when asked for, so a node_modules installed before mermaid was a dependency still starts the stack. */
const mermaidBundle = (): string | undefined => {
  try {
    return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  } catch {
    return undefined;
  }
};
const PREFIX = '/_local/console';
/** How many of a machine's newest executions a list or a search looks at. */
const EXECUTIONS_LOOKED_AT = 1000;

/** A test suite's record of what its executions of one machine did (see {@link CoverageFile}), merged over every file in the folder. */
export interface CoverageFile {
  stateMachineName: string;
  /** Who recorded it (a test file), for the reader. */
  source?: string;
  recordedAt?: string;
  statesVisited: string[];
  edgesTaken: { from: string; to: string; kind: string }[];
}

export interface ConsoleOptions {
  sfn: SFNClient;
  /** What the page says it reads. */
  endpoint: string;
  /** A folder of {@link CoverageFile}s (JSON) to overlay on the diagrams; none when absent. */
  coverageDir?: string;
}

export interface ExecutionRow {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  status: string;
  startDate?: string;
  stopDate?: string;
  durationMs?: number;
}

class NotFound extends Error {
  override name = 'NotFound';
}

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
};

const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : undefined);

const rowOf = (item: ExecutionListItem, stateMachineName: string): ExecutionRow => {
  const start = item.startDate ? new Date(item.startDate).getTime() : undefined;
  const stop = item.stopDate ? new Date(item.stopDate).getTime() : undefined;
  return {
    executionArn: item.executionArn ?? '',
    name: item.name ?? '',
    stateMachineArn: item.stateMachineArn ?? '',
    stateMachineName,
    status: item.status ?? '',
    ...(item.startDate ? { startDate: iso(item.startDate) } : {}),
    ...(item.stopDate ? { stopDate: iso(item.stopDate) } : {}),
    ...(start !== undefined ? { durationMs: (stop ?? Date.now()) - start } : {}),
  };
};

/** `arn:aws:states:<region>:<account>:execution:<machine>:<name>` → the machine's ARN. */
const machineArnOf = (executionArn: string) => executionArn.replace(/:(execution|express):([^:]+):[^:]+$/, ':stateMachine:$2');

/** The note a state carries on an execution's diagram. */
const noteOf = (outcome: StateOutcome): string | undefined => {
  const last = outcome.runs.at(-1);
  const retries = outcome.attempts - outcome.runs.length;
  const failed = outcome.runs.find((run) => run.status === 'FAILED') ?? last;
  const parts = [
    outcome.runs.length > 1 ? `${outcome.runs.length} runs` : undefined,
    retries > 0 ? `↻ retried ${retries}×` : undefined,
    outcome.status === 'FAILED' && failed?.error ? `✖ ${failed.error}` : undefined,
    outcome.status === 'CAUGHT' && last?.error ? `✖ ${last.error}, caught` : undefined,
    outcome.status === 'WAITING' ? `waiting on a ${last?.waitingOn ?? 'callback'}` : undefined,
    outcome.status === 'ABORTED' ? 'aborted' : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
};

export class StepFunctionsConsole {
  /** Inputs never change: each is read once. */
  private readonly inputs = new Map<string, string>();
  private readonly types = new Map<string, string>();

  constructor(private readonly options: ConsoleOptions) {}

  /** Serves the request if it is the console's; false otherwise. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
    if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'MethodNotAllowed', message: 'the console only reads' });
      return true;
    }
    try {
      await this.route(path.slice(PREFIX.length) || '/', url, response);
    } catch (error) {
      const name = (error as Error).name;
      if (error instanceof NotFound || name === 'ExecutionDoesNotExist' || name === 'StateMachineDoesNotExist' || name === 'InvalidArn') {
        sendJson(response, 404, { error: 'NotFound', message: (error as Error).message });
      } else {
        sendJson(response, 502, { error: name, message: `the Step Functions endpoint answered: ${(error as Error).message}` });
      }
    }
    return true;
  }

  private async route(path: string, url: URL, response: ServerResponse): Promise<void> {
    if (path === '/') return this.sendFile(response, join(PAGE_DIR, 'index.html'), 'text/html; charset=utf-8');
    if (path === '/assets/console.js') return this.sendFile(response, join(PAGE_DIR, 'console.js'), 'text/javascript; charset=utf-8');
    if (path === '/assets/console.css') return this.sendFile(response, join(PAGE_DIR, 'console.css'), 'text/css; charset=utf-8');
    if (path === '/assets/mermaid.min.js') {
      const bundle = mermaidBundle();
      if (bundle) return this.sendFile(response, bundle, 'text/javascript; charset=utf-8', 'max-age=3600');
      response.writeHead(500, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end('window.addEventListener("DOMContentLoaded", () => { document.body.textContent = "The console needs the mermaid package: run npm install (or npm ci)."; });');
      return;
    }
    if (path === '/api/machines') return sendJson(response, 200, { endpoint: this.options.endpoint, machines: await this.machines() });
    if (path === '/api/executions') return sendJson(response, 200, await this.recent(url.searchParams.get('status') ?? undefined, Number(url.searchParams.get('limit') ?? 50)));
    if (path === '/api/search') return sendJson(response, 200, await this.search(url.searchParams.get('q') ?? '', url.searchParams.get('status') ?? undefined));
    const machine = /^\/api\/machines\/([^/]+)(\/coverage)?$/.exec(path);
    if (machine) {
      const arn = decodeURIComponent(machine[1]!);
      return sendJson(response, 200, machine[2] ? await this.coverage(arn) : await this.machine(arn, url.searchParams.get('status') ?? undefined));
    }
    const execution = /^\/api\/executions\/([^/]+)(\/view)?$/.exec(path);
    if (execution) {
      const arn = decodeURIComponent(execution[1]!);
      return sendJson(response, 200, execution[2] ? await this.executionView(arn) : await this.executionSummary(arn));
    }
    throw new NotFound(`no console page or API at ${PREFIX}${path}`);
  }

  private sendFile(response: ServerResponse, file: string, contentType: string, cache = 'no-cache') {
    response.writeHead(200, { 'content-type': contentType, 'cache-control': cache });
    response.end(readFileSync(file));
  }

  async machines(): Promise<{ name: string; arn: string; type: string }[]> {
    const machines: { name: string; arn: string; type: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.sfn.send(new ListStateMachinesCommand({ nextToken }));
      for (const machine of page.stateMachines ?? []) machines.push({ name: machine.name ?? '', arn: machine.stateMachineArn ?? '', type: machine.type ?? await this.typeOf(machine.stateMachineArn ?? '') });
      nextToken = page.nextToken;
    } while (nextToken);
    return machines.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** For an endpoint whose ListStateMachines leaves the type out (moto's): a machine's type never changes, so it is asked once. */
  private async typeOf(stateMachineArn: string): Promise<string> {
    let type = this.types.get(stateMachineArn);
    if (!type) {
      type = (await this.options.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).type ?? 'STANDARD';
      this.types.set(stateMachineArn, type);
    }
    return type;
  }

  /** A machine's newest executions; `listed: false` where the endpoint does not list them (EXPRESS on AWS). */
  private async executions(stateMachineArn: string, stateMachineName: string, status?: string): Promise<{ listed: boolean; executions: ExecutionRow[]; note?: string }> {
    const executions: ExecutionRow[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.options.sfn.send(new ListExecutionsCommand({
          stateMachineArn, nextToken, maxResults: 1000, ...(status ? { statusFilter: status as ExecutionStatus } : {}),
        }));
        for (const item of page.executions ?? []) if (!status || item.status === status) executions.push(rowOf(item, stateMachineName));
        nextToken = page.nextToken;
      } while (nextToken && executions.length < EXECUTIONS_LOOKED_AT);
    } catch (error) {
      if ((error as Error).name !== 'StateMachineTypeNotSupported') throw error;
      return {
        listed: false,
        executions: [],
        note: 'This endpoint does not list the executions of an EXPRESS machine (AWS keeps them in CloudWatch Logs, when the machine logs them). The local stack lists them.',
      };
    }
    executions.sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
    return { listed: true, executions: executions.slice(0, EXECUTIONS_LOOKED_AT) };
  }

  private async definitionOf(stateMachineArn: string) {
    const described = await this.options.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    return { described, definition: JSON.parse(described.definition ?? '{"StartAt":"","States":{}}') as AslMachine };
  }

  async machine(stateMachineArn: string, status?: string) {
    const { described, definition } = await this.definitionOf(stateMachineArn);
    const name = described.name ?? '';
    const listing = await this.executions(stateMachineArn, name, status);
    return {
      name,
      arn: stateMachineArn,
      type: described.type ?? 'STANDARD',
      diagram: renderMermaid(definition),
      coverageAvailable: this.coverageFiles(name).length > 0,
      ...listing,
    };
  }

  /** Every machine's executions, newest first. */
  async recent(status?: string, limit = 50): Promise<{ executions: ExecutionRow[] }> {
    const rows = (await Promise.all((await this.machines()).map(async (machine) => (await this.executions(machine.arn, machine.name, status)).executions))).flat();
    rows.sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
    return { executions: rows.slice(0, Math.max(1, Math.min(limit || 50, 1000))) };
  }

  /** Executions whose input (or name) contains the text, newest first, over every machine's newest executions. */
  async search(text: string, status?: string): Promise<{ query: string; executions: ExecutionRow[]; looked: number }> {
    const query = text.trim();
    if (!query) return { query, executions: [], looked: 0 };
    const needle = query.toLowerCase();
    const rows = (await Promise.all((await this.machines()).map(async (machine) => (await this.executions(machine.arn, machine.name, status)).executions))).flat();
    const matches: ExecutionRow[] = [];
    // A few at a time: an emulator answers one request at a time anyway.
    for (let index = 0; index < rows.length; index += 8) {
      const batch = rows.slice(index, index + 8);
      const inputs = await Promise.all(batch.map((row) => this.inputOf(row.executionArn)));
      batch.forEach((row, at) => {
        if (row.name.toLowerCase().includes(needle) || inputs[at]!.toLowerCase().includes(needle)) matches.push(row);
      });
    }
    matches.sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
    return { query, executions: matches, looked: rows.length };
  }

  private async inputOf(executionArn: string): Promise<string> {
    let input = this.inputs.get(executionArn);
    if (input === undefined) {
      try {
        input = (await this.options.sfn.send(new DescribeExecutionCommand({ executionArn }))).input ?? '';
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
        input = '';
      }
      this.inputs.set(executionArn, input);
    }
    return input;
  }

  private async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  private async analyse(executionArn: string) {
    const execution = await this.options.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const stateMachineArn = execution.stateMachineArn ?? machineArnOf(executionArn);
    const [{ described, definition }, events] = await Promise.all([this.definitionOf(stateMachineArn), this.history(executionArn)]);
    const analysis = analyzeExecution(definition, events, execution.status ?? 'RUNNING');
    return { execution, described, definition, events, analysis, stateMachineArn };
  }

  /** The JSON of the console's public contract: each state's status and attempts, and the transitions taken. */
  async executionSummary(executionArn: string) {
    const { execution, described, analysis } = await this.analyse(executionArn);
    return summarizeExecution({ executionArn, stateMachineName: described.name ?? '', status: execution.status ?? '' }, analysis);
  }

  /** Everything the page shows of one execution. */
  async executionView(executionArn: string) {
    const { execution, described, definition, events, analysis, stateMachineArn } = await this.analyse(executionArn);
    const overlay: DiagramOverlay = {
      mode: 'execution',
      states: Object.fromEntries(analysis.states.map((state) => [state.name, { status: state.status as OverlayStatus, ...(noteOf(state) ? { note: noteOf(state) } : {}) }])),
      taken: analysis.edges,
    };
    let parentExecutionArn: string | undefined;
    try {
      const started = (JSON.parse(execution.input ?? '{}') as { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: unknown }).AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID;
      if (typeof started === 'string') parentExecutionArn = started;
    } catch {
      // an input that is not an object names no parent
    }
    const start = execution.startDate ? new Date(execution.startDate).getTime() : undefined;
    const stop = execution.stopDate ? new Date(execution.stopDate).getTime() : undefined;
    return {
      ...summarizeExecution({ executionArn, stateMachineName: described.name ?? '', status: execution.status ?? '' }, analysis),
      name: execution.name ?? '',
      stateMachineArn,
      stateMachineType: described.type ?? 'STANDARD',
      startDate: iso(execution.startDate),
      stopDate: iso(execution.stopDate),
      ...(start !== undefined ? { durationMs: (stop ?? Date.now()) - start } : {}),
      input: execution.input,
      output: execution.output,
      error: execution.error,
      cause: execution.cause,
      redriveCount: execution.redriveCount ?? 0,
      ...(parentExecutionArn ? { parentExecutionArn } : {}),
      nestedExecutions: analysis.states.flatMap((state) => state.runs.flatMap((run) => (run.nestedExecutionArn ? [{ state: state.name, executionArn: run.nestedExecutionArn }] : []))),
      details: analysis.states,
      diagram: renderMermaid(definition, { overlay }),
      events: events.map((event) => {
        const [detailsKey, details] = Object.entries(event).find(([key, value]) => key.endsWith('EventDetails') && value) ?? [];
        return { id: event.id, previousEventId: event.previousEventId, type: event.type, timestamp: iso(event.timestamp), ...(detailsKey ? { details } : {}) };
      }),
    };
  }

  private coverageFiles(stateMachineName: string): CoverageFile[] {
    const dir = this.options.coverageDir;
    if (!dir) return [];
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      try {
        const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CoverageFile;
        return file.stateMachineName === stateMachineName ? [file] : [];
      } catch {
        return [];
      }
    });
  }

  /** The machine's diagram with what its tests covered: states never entered and transitions never taken stand out. */
  async coverage(stateMachineArn: string) {
    const { described, definition } = await this.definitionOf(stateMachineArn);
    const name = described.name ?? '';
    const files = this.coverageFiles(name);
    const visited = new Set(files.flatMap((file) => file.statesVisited));
    const taken = new Map(files.flatMap((file) => file.edgesTaken).map((edge) => [edgeKey(edge), edge]));
    const states = machineStates(definition).map(({ name: state }) => state);
    const edges = machineEdges(definition).filter((edge) => edge.kind !== 'branch');
    const overlay: DiagramOverlay = {
      mode: 'coverage',
      states: Object.fromEntries(states.map((state) => [state, { status: visited.has(state) ? 'VISITED' : 'UNVISITED' }])),
      taken: [...taken.values()],
    };
    const untaken: TakenEdge[] = edges.filter((edge) => !taken.has(edgeKey(edge))).map(({ from, to, kind }) => ({ from, to, kind }));
    return {
      name,
      ...(this.options.coverageDir ? { coverageDir: this.options.coverageDir } : {}),
      sources: files.map((file) => ({ source: file.source, recordedAt: file.recordedAt })),
      states: { total: states.length, visited: states.filter((state) => visited.has(state)).length, missing: states.filter((state) => !visited.has(state)) },
      edges: { total: edges.length, taken: edges.length - untaken.length, missing: untaken },
      diagram: renderMermaid(definition, { overlay }),
    };
  }
}
