import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { closeServer, startAwsFront } from './aws-front.js';
import { routesFromTemplate, startHttpApi } from './http-api.js';
import { discoveredIssuerKeys, jwtAuthorizersFromTemplate } from './jwt-authorizer.js';
import { isLocalIssuer, LOCAL_ISSUER_PATH, LocalJwtIssuer } from './jwt-issuer.js';
import { LambdaRuntime } from './lambda-runtime.js';
import { createOperatorParameters } from './operator-parameters.js';
import { Outbox } from './outbox.js';
import { provisionFromTemplate, putSecureParameter, type Provisioned } from './provision.js';
import { startSimulatedCarrier, type SimulatedCarrier } from './simulators/carrier.js';
import { startSqsEventSources } from './sqs-event-source.js';
import { LOCAL_ACCOUNT, loadTemplate, TemplateResolver } from './template.js';
import { TextractOcr } from './textract-ocr.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const STAGE = 'local';
export const REGION = 'us-east-1';
const TEMPLATE_PATH = join(PROJECT_ROOT, '.serverless/cloudformation-template-update-stack.json');
const LOG_DIR = join(PROJECT_ROOT, '.local/logs');
const ENV_VARIABLE = /\$\{env:([A-Za-z0-9_]+)(?:,\s*'([^']*)')?\}/g;
const FILE_VARIABLE = /\$\{file\(([^)]+)\)/g;

/**
 * Environment settings (`${env:NAME, 'default'}`) in serverless.yml and every file it includes:
 * serverless package compiles them into the template, so a changed value means packaging again.
 */
export const packagedSettings = (root = PROJECT_ROOT, file = 'serverless.yml', seen = new Set<string>()): Record<string, string> => {
  if (seen.has(file)) return {};
  seen.add(file);
  const text = readFileSync(join(root, file), 'utf8');
  const settings: Record<string, string> = {};
  for (const [, name, fallback] of text.matchAll(ENV_VARIABLE)) settings[name!] = fallback ?? '';
  for (const [, included] of text.matchAll(FILE_VARIABLE)) Object.assign(settings, packagedSettings(root, included!.trim(), seen));
  return settings;
};

export interface StackOptions {
  awsPort: number;
  httpPort: number;
  /** Step Functions Local-style mock config for `stateMachineArn#TestCase` executions. */
  mockConfigPath?: string;
  seedCatalogue: boolean;
  /** What the carrier signs its webhooks with (SSM SecureString on AWS). */
  carrierWebhookSecret: string;
  /** Seconds between a simulated parcel's tracking events; no simulated carrier when absent. */
  carrierEventIntervalSeconds?: number;
  log: (line: string) => void;
}

export interface RunningStack {
  awsEndpoint: string;
  httpEndpoint: string;
  provisioned: Provisioned;
  functions: string[];
  /** The local token issuer, when the template's JWT authorizer names it. */
  issuer?: LocalJwtIssuer;
  logFiles: { emulator: string };
  /** The emulator's process id (the benchmark reads its CPU time). */
  emulatorPid?: number;
  stop(): Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });

const PACKAGE_INPUTS = ['serverless.yml', 'statemachines', 'functions', 'package.json', 'package-lock.json'];
const SERVERLESS_STATE_PATH = join(PROJECT_ROOT, '.serverless/serverless-state.json');
/** What the last `serverless package` of the local stack was built from, written next to its output. */
const PACKAGE_STAMP_PATH = join(PROJECT_ROOT, '.serverless/local-stack-package.json');

interface PackageStamp {
  stage: string;
  inputs: string;
  /** packagedSettings() as they were compiled in. */
  settings: string;
  template: string;
}

const filesUnder = (path: string): string[] =>
  statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((entry) => filesUnder(join(path, entry))) : [path];

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** One hash of every file `serverless package` reads, by content: a checkout that keeps old mtimes still counts. */
const inputsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of PACKAGE_INPUTS.flatMap((path) => filesUnder(join(PROJECT_ROOT, path)))) {
    hash.update(`${relative(PROJECT_ROOT, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
};

const readStamp = (): PackageStamp | undefined => {
  try {
    return JSON.parse(readFileSync(PACKAGE_STAMP_PATH, 'utf8')) as PackageStamp;
  } catch {
    return undefined;
  }
};

/** Why `.serverless/` cannot be used for this stage and these sources, or undefined when it can. */
const stalePackage = (inputs: string, settings: string, names: string[]): string | undefined => {
  if (!existsSync(TEMPLATE_PATH)) return 'no template in .serverless/';
  const stamp = readStamp();
  if (!stamp) return 'no record of what .serverless/ was built from';
  if (stamp.stage !== STAGE) return `.serverless/ was built for stage ${stamp.stage}`;
  // `npx serverless package` (stage dev) or a deploy rewrites the template without telling us.
  if (sha256(readFileSync(TEMPLATE_PATH)) !== stamp.template) return '.serverless/ was rebuilt since (another stage?)';
  if (stamp.inputs !== inputs) return 'sources changed since .serverless/ was built';
  if (stamp.settings !== settings) return `settings compiled into the template changed (${names.join(', ')})`;
  return undefined;
};

const packagedStage = (): string | undefined => {
  try {
    return (JSON.parse(readFileSync(SERVERLESS_STATE_PATH, 'utf8')) as { service?: { provider?: { stage?: string } } }).service?.provider?.stage;
  } catch {
    return undefined;
  }
};

/**
 * `serverless package --stage local` is the only source of the template and the bundles. Reuse
 * `.serverless/` only when a record written after our own packaging says it holds this stage, built
 * from exactly these sources (function code included: the bundle test and the benchmark read the
 * zips), and the template is still the one we built; otherwise package again.
 */
export const ensurePackaged = async (log: (line: string) => void): Promise<void> => {
  const defaults = packagedSettings();
  // The processes this stack starts read the values that were compiled in.
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  const settings = JSON.stringify(Object.fromEntries(Object.keys(defaults).map((name) => [name, process.env[name]])));
  const inputs = inputsHash();
  const stale = stalePackage(inputs, settings, Object.keys(defaults));
  if (!stale) {
    log(`template for stage ${STAGE} is up to date (.serverless/); skipping serverless package`);
    return;
  }
  log(`${stale}: running serverless package --stage ${STAGE} ...`);
  rmSync(PACKAGE_STAMP_PATH, { force: true });
  const child = spawn(join(PROJECT_ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', STAGE], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`serverless package failed (exit ${code}):\n${output}`);
  const stage = packagedStage();
  if (stage !== STAGE) throw new Error(`serverless package built stage ${stage ?? '(unknown)'}, not ${STAGE}; is SLS_STAGE or --stage set somewhere?`);
  const stamp: PackageStamp = { stage, inputs, settings, template: sha256(readFileSync(TEMPLATE_PATH)) };
  writeFileSync(PACKAGE_STAMP_PATH, `${JSON.stringify(stamp, null, 2)}\n`);
};

/** The compiled template, packaged first when its inputs changed. */
export const loadCompiledTemplate = async (log: (line: string) => void): Promise<TemplateResolver> => {
  await ensurePackaged(log);
  return new TemplateResolver(loadTemplate(TEMPLATE_PATH), REGION, `sfn-orders-${STAGE}`);
};

const startEmulator = async (internalPort: number, frontPort: number, mockConfigPath: string | undefined, logFile: string): Promise<ChildProcess> => {
  const logStream = createWriteStream(logFile);
  const child = spawn('python3', [join(PROJECT_ROOT, 'scripts/local-stack/moto_launcher.py'), '--host', '127.0.0.1', '--port', String(internalPort)], {
    cwd: PROJECT_ROOT,
    // Its own process group, so stopping the stack stops the emulator's threads and children too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_PORT: String(frontPort), MOTO_ACCOUNT_ID: LOCAL_ACCOUNT, ...(mockConfigPath ? { SFN_MOCK_CONFIG: mockConfigPath } : {}) },
  });
  child.stderr?.pipe(logStream);
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`emulator not ready after 30 s; see ${logFile}`)), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); failed(new Error(`emulator exited with ${code}; see ${logFile}`)); });
    lines.on('line', (line) => {
      logStream.write(`${line}\n`);
      if (line.startsWith('moto-launcher ready')) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  return child;
};

const seedCatalogue = async (endpoint: string, tableName: string): Promise<number> => {
  const { default: products } = await import('./demo-catalogue.json', { with: { type: 'json' } });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
  await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: products.map((product) => ({ PutRequest: { Item: product } })) } }));
  return products.length;
};


/** An object's bytes straight from the emulator, as Textract reads its input; undefined when there is none. */
const readS3Object = async (s3: S3Client, object: { bucket: string; key: string; version?: string }): Promise<Buffer | undefined> => {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.version }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchBucket') return undefined;
    throw error;
  }
};

/** A local issuer for the template's JWT authorizer, when it names one (the local stage does). */
const localIssuerOf = async (resolver: TemplateResolver): Promise<LocalJwtIssuer | undefined> => {
  const authorizer = [...jwtAuthorizersFromTemplate(resolver).values()].find((candidate) => isLocalIssuer(candidate.issuer));
  const audience = authorizer?.audience[0];
  return authorizer && audience ? LocalJwtIssuer.create(authorizer.issuer, audience) : undefined;
};

/** Brings the whole local stack up: emulator, AWS front, resources from the template, HTTP API. */
export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { awsPort, httpPort, log } = options;
  mkdirSync(LOG_DIR, { recursive: true });
  const resolver = await loadCompiledTemplate(log);
  const runtime = LambdaRuntime.fromTemplate(resolver, PROJECT_ROOT);
  const awsEndpoint = `http://localhost:${awsPort}`;
  const internalPort = await freePort();
  const emulatorEndpoint = `http://127.0.0.1:${internalPort}`;
  runtime.applyEnvironment({
    // API Gateway's URL on AWS; here the local HTTP API, which approval links must point at.
    APPROVAL_LINK_BASE_URL: `http://localhost:${httpPort}`,
    AWS_ENDPOINT_URL: awsEndpoint,
    // The front adds nothing to these (it runs Lambda and copies SNS to the outbox): the handlers
    // call the emulator directly, one proxy hop less per call.
    AWS_ENDPOINT_URL_DYNAMODB: emulatorEndpoint,
    AWS_ENDPOINT_URL_SFN: emulatorEndpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });

  const emulatorLog = join(LOG_DIR, `emulator-${awsPort}.log`);
  const emulator = await startEmulator(internalPort, awsPort, options.mockConfigPath, emulatorLog);
  const signalEmulator = (signal: NodeJS.Signals) => {
    try {
      if (emulator.pid) process.kill(-emulator.pid, signal);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<void>((done) => emulator.once('exit', () => done()));
  /** Waits for the emulator to go, so a stopped stack leaves nothing listening; kills it if it lingers. */
  const stopEmulator = async () => {
    signalEmulator('SIGTERM');
    const timer = setTimeout(() => signalEmulator('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const outbox = new Outbox();
    const s3 = new S3Client({ endpoint: `http://127.0.0.1:${internalPort}`, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const textract = new TextractOcr({ readObject: (object) => readS3Object(s3, object), log });
    const front = await startAwsFront({ port: awsPort, motoPort: internalPort, runtime, outbox, textract, log });
    const provisioned = await provisionFromTemplate(resolver, { endpoint: awsEndpoint, region: REGION });
    const clientConfig = { endpoint: awsEndpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const parameters = await createOperatorParameters({ endpoint: awsEndpoint, region: REGION }, runtime.functions);
    log(`created ${parameters.length} operator parameter(s) with local values: ${parameters.join(', ')}`);
    const eventSources = startSqsEventSources({
      resolver,
      sqs: new SQSClient(clientConfig),
      findFunction: (nameOrArn) => runtime.find(nameOrArn),
      invoke: (fn, event) => runtime.invoke(fn, event),
      log,
    });
    if (options.seedCatalogue) {
      const productsTable = resolver.physicalName('ProductsTable');
      log(`seeded ${await seedCatalogue(awsEndpoint, productsTable)} demo products into ${productsTable}`);
    }
    const issuer = await localIssuerOf(resolver);
    // The local issuer's identity names port 3000; its keys are wherever this stack serves them.
    const issuerKeys = discoveredIssuerKeys((name) =>
      issuer && name === issuer.issuer ? new URL(`http://localhost:${httpPort}${LOCAL_ISSUER_PATH}/.well-known/jwks.json`) : undefined);
    const api = await startHttpApi({ port: httpPort, routes: routesFromTemplate(resolver, runtime), runtime, outbox, issuer, issuerKeys, log });
    // On AWS an operator puts the carrier's secret into SSM (README); here the stack does.
    const secretParameter = runtime.functions.map((fn) => fn.environment.CARRIER_WEBHOOK_SECRET_PARAMETER).find(Boolean);
    if (secretParameter) await putSecureParameter({ endpoint: awsEndpoint, region: REGION }, secretParameter, options.carrierWebhookSecret);
    const carrier: SimulatedCarrier | undefined = options.carrierEventIntervalSeconds === undefined ? undefined : startSimulatedCarrier({
      awsEndpoint,
      region: REGION,
      shipmentsTable: resolver.physicalName('ShipmentsTable'),
      ordersTable: resolver.physicalName('OrdersTable'),
      webhookUrl: `http://localhost:${httpPort}/webhooks/carrier`,
      secret: options.carrierWebhookSecret,
      intervalSeconds: options.carrierEventIntervalSeconds,
      log,
    });
    return {
      awsEndpoint,
      httpEndpoint: `http://localhost:${httpPort}`,
      provisioned,
      functions: runtime.functions.map((fn) => fn.name),
      ...(issuer ? { issuer } : {}),
      logFiles: { emulator: emulatorLog },
      emulatorPid: emulator.pid,
      async stop() {
        await eventSources.stop();
        carrier?.stop();
        await Promise.all([closeServer(api), front.close()]);
        s3.destroy();
        await stopEmulator();
      },
    };
  } catch (error) {
    await stopEmulator();
    throw error;
  }
};
