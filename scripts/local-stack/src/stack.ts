import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { closeServer, startAwsFront } from './aws-front.js';
import { tagCallsTo, type Caller } from './caller.js';
import { StepFunctionsConsole } from './console.js';
import { routesFromTemplate, startHttpApi } from './http-api.js';
import { discoveredIssuerKeys, jwtAuthorizersFromTemplate } from './jwt-authorizer.js';
import { isLocalIssuer, LOCAL_ISSUER_PATH, LocalJwtIssuer } from './jwt-issuer.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { LocalIam, type IamMode } from './iam.js';
import { LambdaRuntime } from './lambda-runtime.js';
import { Outbox } from './outbox.js';
import { ensurePackaged, type PackageOptions } from './packaging.js';
import { createSecrets, provisionFromTemplate, putSecureParameter, type Provisioned } from './provision.js';
import { startSqsEventSources } from './sqs-event-source.js';
import { LOCAL_ACCOUNT, loadTemplate, TemplateResolver } from './template.js';
import { TextractOcr } from './textract-ocr.js';

export const REGION = 'us-east-1';
const LAUNCHER = fileURLToPath(new URL('../emulator/moto_launcher.py', import.meta.url));
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Where the compiled template comes from: `serverless package` of a service, or a file as it is. */
export type TemplateSource = { package: Omit<PackageOptions, 'log'> } | { path: string; stackName: string };

export interface StackOptions {
  template: TemplateSource;
  /** The folder the template's handler paths (`functions/x/handler.handler`) are relative to. */
  serviceDir: string;
  /** 0 picks a free port. */
  awsPort: number;
  httpPort: number;
  /** Step Functions Local-style mock config for `stateMachineArn#TestCase` executions. */
  mockConfigPath?: string;
  /**
   * SSM SecureStrings an operator creates on AWS and functions name in their environment, by the
   * variable that names them: `{ MY_KEY_PARAMETER: 'value' }` creates the parameter named by
   * MY_KEY_PARAMETER with that value before anything runs.
   */
  secureParameters?: Record<string, string>;
  /**
   * Secrets Manager secrets an operator creates before deploying, by name: created before the
   * template's resources, so a `{{resolve:secretsmanager:name}}` in them (an EventBridge
   * connection's API key) reads them as CloudFormation would.
   */
  secrets?: Record<string, string>;
  /** LOCAL_IAM: hold functions, Tasks and rules to the template's roles (enforce, the default), only log what they would be refused (log), or not (off). */
  iam?: IamMode;
  /** LOCAL_FAULTS and LOCAL_FAULTS_SEED, parsed (faults.ts `parseFaults`): infrastructure faults injected into functions' and Tasks' calls. Off when undefined. */
  faults?: FaultSettings;
  /**
   * A folder of state machine coverage files (JSON: `stateMachineName`, `statesVisited`,
   * `edgesTaken`) that a test run writes; the console overlays them on the diagrams. Default
   * `.local/workflow-coverage` in the service's folder.
   */
  coverageDir?: string;
  log: (line: string) => void;
}

export interface RunningStack {
  awsEndpoint: string;
  httpEndpoint: string;
  resolver: TemplateResolver;
  provisioned: Provisioned;
  functions: string[];
  /** The local token issuer, when the template's JWT authorizer names it. */
  issuer?: LocalJwtIssuer;
  /** The SecureStrings created from `secureParameters`. */
  parameters: string[];
  /** How calls are held to the template's roles (LOCAL_IAM), in a line. */
  iam: { mode: IamMode; summary: string };
  /** The faults in force (LOCAL_FAULTS), in a line, and how many of each were injected so far. */
  faults: { summary: string; counts: FaultInjector['counts']; calls: FaultInjector['calls'] };
  logFiles: { emulator: string };
  /** The emulator's process id (a benchmark reads its CPU time). */
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

/** The compiled template, packaged first when the source is a service whose inputs changed. */
export const loadCompiledTemplate = async (source: TemplateSource, log: (line: string) => void): Promise<TemplateResolver> => {
  if ('path' in source) return new TemplateResolver(loadTemplate(source.path), REGION, source.stackName);
  const { templatePath, service, stage } = await ensurePackaged({ ...source.package, log });
  return new TemplateResolver(loadTemplate(templatePath), REGION, `${service}-${stage}`);
};

const startEmulator = async (internalPort: number, frontPort: number, mockConfigPath: string | undefined, iam: IamMode, faults: string, logFile: string, cwd: string): Promise<ChildProcess> => {
  const logStream = createWriteStream(logFile);
  const child = spawn('python3', [LAUNCHER, '--host', '127.0.0.1', '--port', String(internalPort)], {
    cwd,
    // Its own process group, so stopping the stack stops the emulator's threads and children too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // LOCAL_IAM, LOCAL_FAULTS: the engine attributes its Tasks' calls and asks the front about those it serves in process.
    env: { ...process.env, MOTO_PORT: String(frontPort), MOTO_ACCOUNT_ID: LOCAL_ACCOUNT, LOCAL_IAM: iam, LOCAL_FAULTS: faults, ...(mockConfigPath ? { SFN_MOCK_CONFIG: mockConfigPath } : {}) },
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

/** Every scope the template's routes ask for: what a token requested without a scope carries. */
const scopesOfRoutes = (resolver: TemplateResolver): string[] => [...new Set(resolver.logicalIdsOfType('AWS::ApiGatewayV2::Route')
  .flatMap((id) => (resolver.properties(id).AuthorizationScopes as unknown[] | undefined) ?? [])
  .map((scope) => String(resolver.resolve(scope))))];

/** A local issuer for the template's JWT authorizer, when it names one (a local stage does). */
const localIssuerOf = async (resolver: TemplateResolver): Promise<LocalJwtIssuer | undefined> => {
  const authorizer = [...jwtAuthorizersFromTemplate(resolver).values()].find((candidate) => isLocalIssuer(candidate.issuer));
  const audience = authorizer?.audience[0];
  return authorizer && audience ? LocalJwtIssuer.create(authorizer.issuer, audience, scopesOfRoutes(resolver).join(' ')) : undefined;
};

/** API Gateway's URL on AWS (`https://<api>.execute-api.<region>.amazonaws.com`) is the local HTTP API here. */
const API_GATEWAY_URL = /^https:\/\/[^./]+\.execute-api\.[^/]+/;
const localApiUrls = (environment: Record<string, string>, httpEndpoint: string): Record<string, string> =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => API_GATEWAY_URL.test(value)).map(([name, value]) => [name, value.replace(API_GATEWAY_URL, httpEndpoint)]));

/** Brings the whole local stack up: emulator, AWS front, resources from the template, HTTP API. */
export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { log, serviceDir } = options;
  const logDir = join(serviceDir, '.local/logs');
  mkdirSync(logDir, { recursive: true });
  const resolver = await loadCompiledTemplate(options.template, log);
  const runtime = LambdaRuntime.fromTemplate(resolver, serviceDir);
  const iam = await LocalIam.fromTemplate(resolver, options.iam ?? 'enforce', log);
  const faults = new FaultInjector(options.faults, log);
  // Both need to know who makes each call, and to see the handlers' calls at the front.
  const attributed = iam.active || faults.active;
  const awsPort = options.awsPort || await freePort();
  const httpPort = options.httpPort || await freePort();
  const awsEndpoint = `http://localhost:${awsPort}`;
  const httpEndpoint = `http://localhost:${httpPort}`;
  const internalPort = await freePort();
  const emulatorEndpoint = `http://127.0.0.1:${internalPort}`;
  runtime.applyEnvironment({
    ...localApiUrls(Object.assign({}, ...runtime.functions.map((fn) => fn.environment)) as Record<string, string>, httpEndpoint),
    AWS_ENDPOINT_URL: awsEndpoint,
    // Without IAM to hold them to or faults to inject, the front adds nothing to these (it runs Lambda and copies SNS to
    // the outbox): the handlers then call the emulator directly, one proxy hop less per call.
    AWS_ENDPOINT_URL_DYNAMODB: attributed ? awsEndpoint : emulatorEndpoint,
    AWS_ENDPOINT_URL_SFN: attributed ? awsEndpoint : emulatorEndpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  });

  const emulatorLog = join(logDir, `emulator-${awsPort}.log`);
  const emulator = await startEmulator(internalPort, awsPort, options.mockConfigPath, iam.mode, faults.active ? 'on' : '', emulatorLog, serviceDir);
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
  const untag = attributed ? tagCallsTo(awsPort) : () => undefined;
  try {
    const outbox = new Outbox();
    const s3 = new S3Client({ endpoint: emulatorEndpoint, region: REGION, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
    const textract = new TextractOcr({ readObject: (object) => readS3Object(s3, object), log });
    const front = await startAwsFront({ port: awsPort, motoPort: internalPort, runtime, outbox, textract, iam, faults, log });
    const clientConfig = { endpoint: awsEndpoint, region: REGION };
    await createSecrets(clientConfig, options.secrets ?? {});
    const provisioned = await provisionFromTemplate(resolver, clientConfig);
    iam.resolveRolesAgain(resolver);
    const parameters: string[] = [];
    for (const [variable, value] of Object.entries(options.secureParameters ?? {})) {
      for (const name of new Set(runtime.functions.map((fn) => fn.environment[variable]).filter((named): named is string => Boolean(named)))) {
        await putSecureParameter(clientConfig, name, value);
        parameters.push(name);
      }
    }
    const eventSources = startSqsEventSources({
      resolver,
      sqs: new SQSClient({ ...clientConfig, credentials: LOCAL_CREDENTIALS }),
      findFunction: (nameOrArn) => runtime.find(nameOrArn),
      invoke: (fn, event) => runtime.invoke(fn, event),
      // Lambda polls with the function's role: AWS refuses a mapping whose role cannot read the queue.
      mayPoll: (mapping, fn) => {
        const caller: Caller = { kind: 'function', arn: fn.arn, role: fn.role };
        return iam.vetChecks(caller, ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => ({ action, resource: mapping.queueArn })));
      },
      log,
    });
    const issuer = await localIssuerOf(resolver);
    // The local issuer's identity names the port in the template; its keys are wherever this stack serves them.
    const issuerKeys = discoveredIssuerKeys((name) =>
      issuer && name === issuer.issuer ? new URL(`${httpEndpoint}${LOCAL_ISSUER_PATH}/.well-known/jwks.json`) : undefined);
    // The console reads Step Functions as any client would: through the stack's AWS endpoint.
    const sfn = new SFNClient({ ...clientConfig, credentials: LOCAL_CREDENTIALS });
    const stepFunctionsConsole = new StepFunctionsConsole({ sfn, endpoint: awsEndpoint, coverageDir: options.coverageDir ?? join(serviceDir, '.local/workflow-coverage') });
    const api = await startHttpApi({ port: httpPort, routes: routesFromTemplate(resolver, runtime), runtime, outbox, issuer, issuerKeys, console: stepFunctionsConsole, log });
    return {
      awsEndpoint,
      httpEndpoint,
      resolver,
      provisioned,
      functions: runtime.functions.map((fn) => fn.name),
      ...(issuer ? { issuer } : {}),
      parameters,
      iam: { mode: iam.mode, summary: iam.describe() },
      faults: { summary: faults.describe(), counts: faults.counts, calls: faults.calls },
      logFiles: { emulator: emulatorLog },
      emulatorPid: emulator.pid,
      async stop() {
        await eventSources.stop();
        await Promise.all([closeServer(api), front.close()]);
        s3.destroy();
        untag();
        sfn.destroy();
        await stopEmulator();
      },
    };
  } catch (error) {
    untag();
    await stopEmulator();
    throw error;
  }
};
