import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeStack } from './describe.js';
import { announceReady, runInForeground } from './foreground.js';
import { parseFaults } from './faults.js';
import { parseIamMode } from './iam.js';
import { configuredInputs, ensurePackaged } from './packaging.js';
import { provisionExternalEngine } from './provision-engine.js';
import { loadCompiledTemplate, startStack, type TemplateSource } from './stack.js';

const USAGE = `local-stack: a Serverless Framework service's compiled template, run locally.

  local-stack start [options]       the stack in the foreground; Ctrl-C stops all of it
  local-stack package [options]     serverless package when the inputs changed, and how long it took
  local-stack provision [options]   give an engine someone else runs the template's resources
                                    (SFN_ENDPOINT_URL: Step Functions Local; AWS_ENDPOINT_URL: LocalStack)

options:
  --service-dir DIR         the service (default: the current folder)
  --stage NAME              the stage to package (default: local)
  --inputs A,B,...          what serverless package reads, relative to the service: a change means
                            packaging again (default: "localStack": {"packageInputs": [...]} in the
                            service's package.json, else every top-level entry but node_modules and dotfiles)
  --template FILE           use this compiled template as it is, without packaging
  --stack-name NAME         with --template: the stack's name (default: the file's folder name)
  --aws-port N              the AWS endpoint (default 4566; 0 picks a free port)
  --http-port N             the HTTP API (default 3000; 0 picks a free port)
  --mock-config FILE        Step Functions Local mock config (default: SFN_MOCK_CONFIG)
  --secure-parameter VAR=V  create the SSM SecureString that functions name in VAR, with value V (repeatable)
  --secret NAME=V           create the Secrets Manager secret NAME before the template's resources, as an
                            operator does before deploying ({{resolve:secretsmanager:NAME}} reads it) (repeatable)
  --iam MODE                enforce (default): calls by functions, Tasks and rules held to the template's
                            roles; log: refusals logged, calls let through; off (default: LOCAL_IAM)

environment:
  LOCAL_FAULTS=kind=rate,...  inject infrastructure faults into functions' and Tasks' calls (rates 0..1; kinds
                            dynamodb-throttle, lambda-service-error, lambda-crash-after, events-put-failure,
                            sns-publish-error); LOCAL_FAULTS_SEED makes the draws repeatable
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'service-dir': { type: 'string', default: '.' },
    stage: { type: 'string', default: 'local' },
    inputs: { type: 'string' },
    template: { type: 'string' },
    'stack-name': { type: 'string' },
    'aws-port': { type: 'string', default: process.env.LOCAL_AWS_PORT ?? '4566' },
    'http-port': { type: 'string', default: process.env.LOCAL_HTTP_PORT ?? '3000' },
    'mock-config': { type: 'string', default: process.env.SFN_MOCK_CONFIG },
    'secure-parameter': { type: 'string', multiple: true, default: [] },
    secret: { type: 'string', multiple: true, default: [] },
    iam: { type: 'string', default: process.env.LOCAL_IAM },
    help: { type: 'boolean', short: 'h' },
  },
});

const log = (line: string) => console.log(`[local-stack] ${line}`);
const serviceDir = resolve(values['service-dir']);
const inputs = values.inputs?.split(',').map((input) => input.trim()).filter(Boolean)
  ?? configuredInputs(serviceDir)
  ?? readdirSync(serviceDir).filter((entry) => entry !== 'node_modules' && !entry.startsWith('.'));
const packageSource = { package: { serviceDir, stage: values.stage, inputs } };
const source: TemplateSource = values.template
  ? { path: resolve(values.template), stackName: values['stack-name'] ?? resolve(values.template, '..').split('/').at(-1) ?? 'local' }
  : packageSource;

const [command] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 2);
}

if (command === 'package') {
  const { templatePath } = await ensurePackaged({ ...packageSource.package, log });
  log(`template: ${templatePath}`);
} else if (command === 'provision') {
  await provisionExternalEngine(await loadCompiledTemplate(source, log), { sfn: process.env.SFN_ENDPOINT_URL, aws: process.env.AWS_ENDPOINT_URL }, log);
} else if (command === 'start') {
  const pairs = (option: string, given: string[]) => Object.fromEntries(given.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--${option} ${pair}: expected NAME=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
  const secureParameters = pairs('secure-parameter', values['secure-parameter']);
  const started = Date.now();
  const stack = await runInForeground(startStack({
    template: source,
    serviceDir,
    awsPort: Number(values['aws-port']),
    httpPort: Number(values['http-port']),
    mockConfigPath: values['mock-config'],
    secureParameters,
    secrets: pairs('secret', values.secret),
    iam: parseIamMode(values.iam),
    faults: parseFaults(process.env.LOCAL_FAULTS, process.env.LOCAL_FAULTS_SEED),
    log,
  }), log);
  console.log(`\n  Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s\n${describeStack(stack).map((line) => `  ${line}`).join('\n')}\n  Stop            Ctrl-C\n`);
  announceReady(stack);
} else {
  console.error(`unknown command ${command}\n\n${USAGE}`);
  process.exit(2);
}
