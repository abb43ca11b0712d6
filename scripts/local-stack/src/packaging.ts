import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * `serverless package` is the only source of the template and the bundles: the stack runs what
 * `sls deploy` ships. It takes seconds, so `.serverless/` is reused while a record written after our
 * own packaging says it holds this stage, built from exactly these inputs and settings, and the
 * template is still the one we built.
 */
export interface PackageOptions {
  serviceDir: string;
  stage: string;
  /** What `serverless package` reads, relative to serviceDir (files or folders): a change means packaging again. */
  inputs: string[];
  log: (line: string) => void;
}

export interface Packaged {
  templatePath: string;
  /** `service` of serverless.yml: with the stage, the stack's name. */
  service: string;
  stage: string;
}

interface PackageStamp {
  stage: string;
  inputs: string;
  settings: string;
  template: string;
}

const ENV_VARIABLE = /\$\{env:([A-Za-z0-9_]+)(?:,\s*'([^']*)')?\}/g;
const FILE_VARIABLE = /\$\{file\(([^)]+)\)/g;

/**
 * Environment settings (`${env:NAME, 'default'}`) in serverless.yml and every file it includes,
 * with their defaults: serverless package compiles them into the template, so a changed value
 * means packaging again.
 */
export const packagedSettings = (serviceDir: string, file = 'serverless.yml', seen = new Set<string>()): Record<string, string> => {
  if (seen.has(file)) return {};
  seen.add(file);
  const text = readFileSync(join(serviceDir, file), 'utf8');
  const settings: Record<string, string> = {};
  for (const [, name, fallback] of text.matchAll(ENV_VARIABLE)) settings[name!] = fallback ?? '';
  for (const [, included] of text.matchAll(FILE_VARIABLE)) Object.assign(settings, packagedSettings(serviceDir, included!.trim(), seen));
  return settings;
};

const filesUnder = (path: string): string[] =>
  statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((entry) => filesUnder(join(path, entry))) : [path];

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** One hash of every input file by content: a checkout that keeps old mtimes still counts. */
const inputsHash = (serviceDir: string, inputs: string[]): string => {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((path) => filesUnder(join(serviceDir, path)))) {
    hash.update(`${relative(serviceDir, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
};

const readJson = <T>(path: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

const paths = (serviceDir: string) => ({
  template: join(serviceDir, '.serverless/cloudformation-template-update-stack.json'),
  state: join(serviceDir, '.serverless/serverless-state.json'),
  stamp: join(serviceDir, '.serverless/local-stack-package.json'),
});

const packagedService = (statePath: string): { service?: string; stage?: string } => {
  const state = readJson<{ service?: { service?: string; provider?: { stage?: string } } }>(statePath);
  return { service: state?.service?.service, stage: state?.service?.provider?.stage };
};

/** Why `.serverless/` cannot be used, or undefined when it can. */
const stalePackage = (serviceDir: string, stage: string, inputs: string, settings: string, names: string[]): string | undefined => {
  const { template, stamp: stampPath } = paths(serviceDir);
  if (!existsSync(template)) return 'no template in .serverless/';
  const stamp = readJson<PackageStamp>(stampPath);
  if (!stamp) return 'no record of what .serverless/ was built from';
  if (stamp.stage !== stage) return `.serverless/ was built for stage ${stamp.stage}`;
  // `npx serverless package` (another stage) or a deploy rewrites the template without telling us.
  if (sha256(readFileSync(template)) !== stamp.template) return '.serverless/ was rebuilt since (another stage?)';
  if (stamp.inputs !== inputs) return 'sources changed since .serverless/ was built';
  if (stamp.settings !== settings) return `settings compiled into the template changed (${names.join(', ')})`;
  return undefined;
};

/** `"localStack": {"packageInputs": [...]}` of the service's package.json, if it says. */
export const configuredInputs = (serviceDir: string): string[] | undefined =>
  readJson<{ localStack?: { packageInputs?: string[] } }>(join(serviceDir, 'package.json'))?.localStack?.packageInputs;

/** The compiled template of `stage`, packaged first when its inputs or settings changed. */
export const ensurePackaged = async ({ serviceDir, stage, inputs: inputPaths, log }: PackageOptions): Promise<Packaged> => {
  const files = paths(serviceDir);
  const defaults = packagedSettings(serviceDir);
  // The processes this stack starts (and a plain `serverless package`) read the values compiled in.
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  const settings = JSON.stringify(Object.fromEntries(Object.keys(defaults).map((name) => [name, process.env[name]])));
  const inputs = inputsHash(serviceDir, inputPaths);
  const stale = stalePackage(serviceDir, stage, inputs, settings, Object.keys(defaults));
  if (!stale) {
    log(`template for stage ${stage} is up to date (.serverless/); skipping serverless package`);
  } else {
    log(`${stale}: running serverless package --stage ${stage} ...`);
    const started = Date.now();
    rmSync(files.stamp, { force: true });
    const child = spawn(join(serviceDir, 'node_modules/.bin/serverless'), ['package', '--stage', stage], {
      cwd: serviceDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`serverless package failed (exit ${code}):\n${output}`);
    const built = packagedService(files.state).stage;
    if (built !== stage) throw new Error(`serverless package built stage ${built ?? '(unknown)'}, not ${stage}; is SLS_STAGE or --stage set somewhere?`);
    const stamp: PackageStamp = { stage, inputs, settings, template: sha256(readFileSync(files.template)) };
    writeFileSync(files.stamp, `${JSON.stringify(stamp, null, 2)}\n`);
    log(`packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const { service } = packagedService(files.state);
  if (!service) throw new Error(`${files.state} names no service`);
  return { templatePath: files.template, service, stage };
};
