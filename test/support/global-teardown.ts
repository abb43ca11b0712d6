import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Jest loads this file without the test files' module mapping: no project TypeScript here.
const COVERAGE_DIR = resolve(import.meta.dirname, '../../.local/workflow-coverage');

interface CoverageFile {
  stateMachineName: string;
  recordedAt: string;
  statesVisited: string[];
  edgesTaken: { from: string; to: string; kind: string }[];
  states: string[];
  edges: { from: string; to: string; kind: string }[];
}

/** The workflow tier's closing lines: per machine, the states its tests entered and the transitions they took, this run. */
const printCoverage = (since: number) => {
  let files: CoverageFile[];
  try {
    files = readdirSync(COVERAGE_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(COVERAGE_DIR, name), 'utf8')) as CoverageFile)
      .filter((file) => Date.parse(file.recordedAt) >= since);
  } catch {
    return;
  }
  if (files.length === 0) return;
  const key = (edge: { from: string; to: string; kind: string }) => `${edge.from} -> ${edge.to} (${edge.kind})`;
  const machines = [...new Set(files.map((file) => file.stateMachineName))].sort();
  const width = Math.max(...machines.map((name) => name.length));
  const lines = machines.map((machine) => {
    const own = files.filter((file) => file.stateMachineName === machine);
    const { states, edges } = own.at(-1)!;
    const visited = new Set(own.flatMap((file) => file.statesVisited));
    const taken = new Set(own.flatMap((file) => file.edgesTaken).map(key));
    const untaken = edges.map(key).filter((edge) => !taken.has(edge));
    const shown = untaken.slice(0, 3).join(', ') + (untaken.length > 3 ? `, and ${untaken.length - 3} more` : '');
    return `  ${machine.padEnd(width)}  states ${`${states.filter((state) => visited.has(state)).length}/${states.length}`.padEnd(7)}  transitions ${`${edges.length - untaken.length}/${edges.length}`.padEnd(7)}${untaken.length ? `  never taken: ${shown}` : ''}`.trimEnd();
  });
  console.log(['', 'workflow coverage, this run (states entered, transitions taken; the console draws it: npm start, a machine, "Test coverage"):', ...lines].join('\n'));
};

/** Sums up the workflow tier's coverage, then stops the stack global-setup started: its whole process group, so nothing is left listening. */
export default async function globalTeardown(_: unknown, projectConfig: { displayName?: { name?: string } | string }): Promise<void> {
  const project = typeof projectConfig.displayName === 'string' ? projectConfig.displayName : projectConfig.displayName?.name ?? '';
  if (project === 'workflows') printCoverage(Number(process.env.WORKFLOW_RUN_STARTED ?? 0));
  const pid = (globalThis as { __LOCAL_STACK_PID__?: number }).__LOCAL_STACK_PID__;
  if (!pid) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false;
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && signal(0 as unknown as NodeJS.Signals)) {
    await new Promise((done) => setTimeout(done, 100));
  }
  signal('SIGKILL');
}
