import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * One local stack per test run, started here and stopped by global-teardown. Other engines:
 * - TEST_API_URL and AWS_ENDPOINT_URL both set: use that running stack (e.g. `npm start`), start nothing;
 * - SFN_ENDPOINT_URL (Step Functions Local) or AWS_ENDPOINT_URL alone (LocalStack): workflow tests
 *   only, against the compiled state machines created there.
 */
const root = resolve(import.meta.dirname, '../..');

// Jest loads this file without the test files' module mapping, so it imports no project TypeScript:
// it starts the stack as `npm start` does, in a process of its own, on ports the stack picks.
const ENDPOINTS_LINE = 'local stack endpoints ';

const portIsFree = (port: number): Promise<number | undefined> => new Promise((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(undefined));
  server.listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address() as { port: number };
    server.close(() => resolve(bound));
  });
});

/**
 * The simulated billing provider's URL is compiled into the local template (onboarding's HTTP
 * Tasks name it, as a stage parameter on AWS): a new port every run would repackage every run. So
 * a test stack keeps the port it had last time in this checkout while it is free, and takes
 * another free one (and repackages once) when something else holds it, an `npm start` included.
 */
const billingApiUrlForTests = async (): Promise<string> => {
  const file = join(root, '.local/test-billing-port');
  const remembered = Number((() => { try { return readFileSync(file, 'utf8'); } catch { return ''; } })());
  const port = (remembered > 0 ? await portIsFree(remembered) : undefined) ?? await portIsFree(0);
  if (!port) throw new Error('no free port for the simulated billing provider');
  writeFileSync(file, String(port));
  return `http://127.0.0.1:${port}`;
};

/** LocalStack or Step Functions Local, run by someone else: give it our state machines (workflow tests only). */
const prepareExternalEngine = async (project: string): Promise<void> => {
  if (project !== 'workflows') {
    throw new Error('e2e tests need the HTTP API too: set TEST_API_URL (e.g. a running `npm start`), or unset AWS_ENDPOINT_URL/SFN_ENDPOINT_URL to let the tests start the local stack');
  }
  const child = spawn(join(root, 'node_modules/.bin/local-stack'), ['provision', '--service-dir', root], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`provisioning the external engine failed (exit ${code})`);
};

/** A deployed stage on AWS (npm run test:deployed -- --stage <stage>): its API from the stack's outputs. */
const useDeployedStage = async (stage: string): Promise<void> => {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const stackName = `sfn-orders-${stage}`;
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  const apiUrl = Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'HttpApiUrl')?.OutputValue;
  if (!apiUrl) throw new Error(`stack ${stackName} has no HttpApiUrl output: is it deployed in ${process.env.AWS_REGION ?? 'the default region'}?`);
  process.env.TEST_API_URL = apiUrl;
  console.log(`\ndeployed stage ${stage}: API ${apiUrl}`);
};

export default async function globalSetup(_: unknown, projectConfig: { displayName?: { name?: string } | string }): Promise<void> {
  const project = typeof projectConfig.displayName === 'string' ? projectConfig.displayName : projectConfig.displayName?.name ?? '';
  // global-teardown sums up the coverage files written from here on.
  process.env.WORKFLOW_RUN_STARTED ??= String(Date.now());
  const deployedStage = process.env.DEPLOYED_STAGE;
  if (project === 'deployed' && deployedStage && deployedStage !== 'local') {
    await useDeployedStage(deployedStage);
    return;
  }
  // Local engines take any credentials; the SDK only needs some to sign with.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  if (process.env.TEST_API_URL && process.env.AWS_ENDPOINT_URL) {
    console.log(`\nusing the running stack: API ${process.env.TEST_API_URL}, AWS ${process.env.AWS_ENDPOINT_URL}`);
    return;
  }
  if (process.env.SFN_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL) {
    await prepareExternalEngine(project);
    return;
  }
  // Set once, here: the stack inherits them and the tests read the same values.
  // Long enough to approve in, short enough for the expiry test to wait for.
  process.env.APPROVAL_TIMEOUT_SECONDS ??= '20';
  // Long enough to restock in, short enough for a backorder's window to close within a test.
  process.env.BACKORDER_WINDOW_SECONDS ??= '20';
  const logDir = join(root, '.local/logs');
  mkdirSync(logDir, { recursive: true });
  process.env.BILLING_API_URL ??= await billingApiUrlForTests();
  const logFile = join(logDir, 'test-stack.log');
  const log = createWriteStream(logFile);
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/demo/start.ts')], {
    cwd: root,
    detached: true,
    // Our end of its stdin closes when this jest process ends, even on Ctrl-C (which does not
    // reach the stack's own process group, nor run globalTeardown): the stack then stops itself.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LOCAL_STACK_STOP_ON_STDIN_CLOSE: '1',
      LOCAL_AWS_PORT: '0',
      LOCAL_HTTP_PORT: '0',
      SFN_MOCK_CONFIG: process.env.SFN_MOCK_CONFIG ?? join(root, 'statemachines/mock-config.json'),
      LOCAL_SEED: 'true',
      // Every tier runs with the template's roles held, so a missing statement fails the tests that need it.
      LOCAL_IAM: process.env.LOCAL_IAM ?? 'enforce',
    },
  });
  child.stderr.pipe(log);
  const lines = createInterface({ input: child.stdout });
  const endpoints = await new Promise<{ api: string; aws: string }>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`local stack not ready after 120 s; see ${logFile}`)), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      failed(new Error(`local stack exited with ${code} before it was ready; see ${logFile}`));
    });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith(ENDPOINTS_LINE)) {
        clearTimeout(timer);
        ready(JSON.parse(line.slice(ENDPOINTS_LINE.length)) as { api: string; aws: string });
      }
    });
  });
  (globalThis as { __LOCAL_STACK_PID__?: number }).__LOCAL_STACK_PID__ = child.pid;
  process.env.AWS_ENDPOINT_URL = endpoints.aws;
  process.env.TEST_API_URL = endpoints.api;
  // Where the handlers' log lines go: tests check that no secret reaches them.
  process.env.TEST_STACK_LOG = logFile;
  console.log(`\nlocal stack for tests: API ${process.env.TEST_API_URL}, AWS ${process.env.AWS_ENDPOINT_URL}, log ${logFile}`);
}
