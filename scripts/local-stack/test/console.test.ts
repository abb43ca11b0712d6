import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsConsole } from '../src/console.js';

/**
 * The console against a Step Functions endpoint played by a fake client: what it asks (the five
 * read APIs, nothing else) and what it answers, without a network.
 */
const ACCOUNT = 'arn:aws:states:us-east-1:000000000000';
const definition = {
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Broke' }], Next: 'Fine' },
    Fine: { Type: 'Succeed' },
    Broke: { Type: 'Fail', Error: 'Broke' },
  },
};
const machines = [
  { name: 'svc-jobs', stateMachineArn: `${ACCOUNT}:stateMachine:svc-jobs`, type: 'STANDARD' },
  // As moto lists them: no type, so the console asks DescribeStateMachine.
  { name: 'svc-fast', stateMachineArn: `${ACCOUNT}:stateMachine:svc-fast` },
];
const executions = [
  { name: 'job-1', input: '{"jobId":"JOB-111"}', startDate: new Date('2026-01-01T10:00:00Z'), stopDate: new Date('2026-01-01T10:00:02Z'), status: 'FAILED' },
  { name: 'job-2', input: '{"jobId":"JOB-222"}', startDate: new Date('2026-01-01T11:00:00Z'), stopDate: new Date('2026-01-01T11:00:01Z'), status: 'SUCCEEDED' },
].map((execution) => ({ ...execution, executionArn: `${ACCOUNT}:execution:svc-jobs:${execution.name}`, stateMachineArn: machines[0]!.stateMachineArn }));
const history = [
  { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: new Date(), executionStartedEventDetails: { input: '{}' } },
  { id: 2, previousEventId: 0, type: 'TaskStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: 'Work', input: '{}' } },
  { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: new Date(), taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke' } },
  { id: 4, previousEventId: 3, type: 'TaskFailed', timestamp: new Date(), taskFailedEventDetails: { error: 'Boom', cause: 'bang' } },
  { id: 5, previousEventId: 4, type: 'FailStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: 'Broke', input: '{}' } },
  { id: 6, previousEventId: 5, type: 'ExecutionFailed', timestamp: new Date(), executionFailedEventDetails: { error: 'Broke' } },
];

const calls: string[] = [];
const fakeSfn = {
  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    const action = command.constructor.name.replace(/Command$/, '');
    calls.push(action);
    const { input } = command;
    switch (action) {
      case 'ListStateMachines':
        return { stateMachines: machines };
      case 'DescribeStateMachine': {
        const machine = machines.find((candidate) => candidate.stateMachineArn === input.stateMachineArn);
        if (!machine) throw Object.assign(new Error('no such machine'), { name: 'StateMachineDoesNotExist' });
        return { name: machine.name, type: machine.type ?? 'EXPRESS', definition: JSON.stringify(definition) };
      }
      case 'ListExecutions':
        if (input.stateMachineArn === machines[1]!.stateMachineArn) {
          throw Object.assign(new Error('This operation is not supported by this type of state machine'), { name: 'StateMachineTypeNotSupported' });
        }
        return { executions: executions.filter((execution) => !input.statusFilter || execution.status === input.statusFilter) };
      case 'DescribeExecution': {
        const execution = executions.find((candidate) => candidate.executionArn === input.executionArn);
        if (!execution) throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
        return { ...execution, ...(execution.status === 'FAILED' ? { error: 'Broke' } : { output: '{}' }) };
      }
      case 'GetExecutionHistory':
        return { events: history };
      default:
        throw new Error(`the console must not call ${action}`);
    }
  },
} as unknown as SFNClient;

/** GETs a console path; answers status, content type and body. */
const get = async (console_: StepFunctionsConsole, path: string, method = 'GET') => {
  let status = 0;
  let headers: Record<string, string> = {};
  let body = '';
  const response = {
    writeHead(code: number, values: Record<string, string>) { status = code; headers = values; },
    end(chunk?: string | Buffer) { body = chunk === undefined ? '' : chunk.toString(); },
  } as unknown as ServerResponse;
  const url = new URL(path, 'http://localhost');
  const handled = await console_.handle({ method } as IncomingMessage, response, url);
  return { handled, status, type: headers['content-type'] ?? '', body, json: () => JSON.parse(body) as Record<string, unknown> };
};

const arn = (name: string) => encodeURIComponent(`${ACCOUNT}:execution:svc-jobs:${name}`);

describe('the console', () => {
  let coverageDir: string;
  let console_: StepFunctionsConsole;

  beforeEach(() => {
    calls.length = 0;
    coverageDir = mkdtempSync(join(tmpdir(), 'coverage-'));
    console_ = new StepFunctionsConsole({ sfn: fakeSfn, endpoint: 'http://localhost:4566', coverageDir });
  });

  afterEach(() => rmSync(coverageDir, { recursive: true, force: true }));

  it('answers an execution as the contract says: every state with its status and attempts, and the edges taken', async () => {
    // Act
    const answer = await get(console_, `/_local/console/api/executions/${arn('job-1')}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      executionArn: `${ACCOUNT}:execution:svc-jobs:job-1`,
      stateMachineName: 'svc-jobs',
      status: 'FAILED',
      states: [{ name: 'Work', status: 'CAUGHT', attempts: 1 }, { name: 'Fine', status: 'NOT_RUN', attempts: 0 }, { name: 'Broke', status: 'FAILED', attempts: 1 }],
      edges: [{ from: 'Work', to: 'Broke', kind: 'catch', error: 'Boom' }],
    });
    expect(new Set(calls)).toEqual(new Set(['DescribeExecution', 'DescribeStateMachine', 'GetExecutionHistory']));
  });

  it('finds executions whose input contains a text, in any case, and reads each input once', async () => {
    // Act
    const first = (await get(console_, '/_local/console/api/search?q=job-222')).json();
    const describes = calls.filter((call) => call === 'DescribeExecution').length;
    await get(console_, '/_local/console/api/search?q=JOB-111');

    // Assess
    expect((first.executions as { name: string }[]).map((execution) => execution.name)).toEqual(['job-2']);
    expect(first.looked).toBe(2);
    expect(calls.filter((call) => call === 'DescribeExecution')).toHaveLength(describes);
  });

  it('lists a machine\'s executions newest first with their duration, filtered by status', async () => {
    // Act
    const all = (await get(console_, `/_local/console/api/machines/${encodeURIComponent(machines[0]!.stateMachineArn)}`)).json();
    const failed = (await get(console_, `/_local/console/api/machines/${encodeURIComponent(machines[0]!.stateMachineArn)}?status=FAILED`)).json();

    // Assess
    expect(all).toMatchObject({ name: 'svc-jobs', type: 'STANDARD', listed: true, coverageAvailable: false });
    expect((all.executions as { name: string; durationMs: number }[]).map(({ name, durationMs }) => [name, durationMs])).toEqual([['job-2', 1000], ['job-1', 2000]]);
    expect((failed.executions as { name: string }[]).map(({ name }) => name)).toEqual(['job-1']);
    expect((all.diagram as { mermaid: string }).mermaid).toContain('flowchart TD');
  });

  it('says so when the endpoint does not list an EXPRESS machine\'s executions, as AWS does not', async () => {
    // Act
    const machine = (await get(console_, `/_local/console/api/machines/${encodeURIComponent(machines[1]!.stateMachineArn)}`)).json();
    const listed = (await get(console_, '/_local/console/api/machines')).json();

    // Assess
    expect(machine).toMatchObject({ type: 'EXPRESS', listed: false, executions: [] });
    expect(machine.note).toContain('CloudWatch Logs');
    expect(listed.machines).toEqual([
      { name: 'svc-fast', arn: machines[1]!.stateMachineArn, type: 'EXPRESS' },
      { name: 'svc-jobs', arn: machines[0]!.stateMachineArn, type: 'STANDARD' },
    ]);
  });

  it('overlays the coverage files recorded for a machine: what was never entered or taken', async () => {
    // Prepare
    writeFileSync(join(coverageDir, 'svc-jobs--a.json'), JSON.stringify({ stateMachineName: 'svc-jobs', source: 'a.test.ts', statesVisited: ['Work', 'Fine'], edgesTaken: [{ from: 'Work', to: 'Fine', kind: 'next' }] }));
    writeFileSync(join(coverageDir, 'other.json'), JSON.stringify({ stateMachineName: 'svc-other', statesVisited: ['Broke'], edgesTaken: [] }));

    // Act
    const coverage = (await get(console_, `/_local/console/api/machines/${encodeURIComponent(machines[0]!.stateMachineArn)}/coverage`)).json();

    // Assess
    expect(coverage).toMatchObject({
      states: { total: 3, visited: 2, missing: ['Broke'] },
      edges: { total: 2, taken: 1, missing: [{ from: 'Work', to: 'Broke', kind: 'catch' }] },
      sources: [{ source: 'a.test.ts' }],
    });
    expect((coverage.diagram as { mermaid: string }).mermaid).toContain('class s_Broke unvisited');
  });

  it('serves its page and Mermaid from the package, and answers 404 for an unknown execution', async () => {
    // Act
    const page = await get(console_, '/_local/console');
    const mermaid = await get(console_, '/_local/console/assets/mermaid.min.js');
    const unknown = await get(console_, `/_local/console/api/executions/${arn('job-9')}`);

    // Assess
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('/_local/console/assets/mermaid.min.js');
    expect(mermaid.type).toContain('javascript');
    expect(mermaid.body.length).toBeGreaterThan(1_000_000);
    expect(unknown.status).toBe(404);
  });

  it('leaves other paths alone and only reads', async () => {
    expect((await get(console_, '/_local/outbox')).handled).toBe(false);
    expect((await get(console_, '/_local/console/api/machines', 'POST')).status).toBe(405);
  });
});
