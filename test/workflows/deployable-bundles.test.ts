import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionsFromTemplate, loadZips, type FunctionBundle } from '../../scripts/packaging/packaged-functions.js';
import { allowedActions, sdkPackagesFor, sdkPackagesInSourceMap } from '../../scripts/packaging/iam-sdk.js';
import { extractEntry } from '../../scripts/packaging/zip.js';
import { loadTemplate, TemplateResolver } from 'local-stack';

/**
 * The local stack runs the TypeScript sources; what deploys is each function's esbuild bundle.
 * Load every bundle from its zip in a fresh Node 24 process with the function's environment, as
 * Lambda's init would, so a bundling mistake (ESM/require interop, a missing module) fails here.
 */
const root = resolve(import.meta.dirname, '../..');
const resolver = new TemplateResolver(loadTemplate(join(root, '.serverless/cloudformation-template-update-stack.json')), 'us-east-1', 'sfn-orders-local');
const bundles = functionsFromTemplate(resolver, root);
const workDir = mkdtempSync(join(tmpdir(), 'bundles-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The bundle and its source map, extracted from the zip side by side as Lambda unpacks them. */
const extractBundle = (bundle: FunctionBundle): string => {
  loadZips([bundle], () => undefined);
  const entry = bundle.handlerEntry;
  if (!bundle.zip || !entry) throw new Error(`${bundle.zipPath} has no handler bundle`);
  const file = join(workDir, bundle.name, entry.name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, extractEntry(bundle.zip, entry));
  if (bundle.sourceMapEntry) writeFileSync(`${file}.map`, extractEntry(bundle.zip, bundle.sourceMapEntry));
  return file;
};

const runOnNode24 = (bundle: FunctionBundle, script: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...bundle.environment, AWS_REGION: 'us-east-1' },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('deployable bundles', () => {
  it('packages every function of the template: one per folder of functions/', () => {
    const folders = readdirSync(join(root, 'functions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
      .map((entry) => entry.name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()));

    expect(folders.length).toBeGreaterThan(30);
    expect(bundles.map((bundle) => bundle.name).sort()).toEqual(folders.sort());
  });

  it.each(bundles.map((bundle) => [bundle.name, bundle] as const))('%s loads on Node 24 and exports its handler', (_, bundle) => {
    const file = extractBundle(bundle);

    const probe = runOnNode24(bundle, `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(typeof m.handler);`);

    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toBe('function');
  });

  // A bundle is as heavy to load as the clients in it: one the role cannot use is dead weight at every cold start.
  it.each(bundles.map((bundle) => [bundle.name, bundle] as const))('%s carries no AWS SDK client its IAM role gives it no permission for', (_, bundle) => {
    loadZips([bundle], () => undefined);
    if (!bundle.zip || !bundle.sourceMapEntry) throw new Error(`${bundle.zipPath} has no source map to list the bundle's modules`);
    const permitted = sdkPackagesFor(allowedActions(resolver, bundle.logicalId));

    const bundled = sdkPackagesInSourceMap(extractEntry(bundle.zip, bundle.sourceMapEntry).toString('utf8'));

    // A role that allows calls means clients in the bundle (none found: the reader missed them); one that allows none, no client at all.
    expect(bundled.length > 0).toBe(permitted.length > 0);
    expect(bundled.filter((name) => !permitted.includes(name))).toEqual([]);
  });

  it('maps a deployed handler\'s stack trace to the TypeScript sources, without --enable-source-maps', () => {
    const bundle = bundles.find((candidate) => candidate.name === 'validateOrder');
    if (!bundle) throw new Error('no validateOrder bundle');
    const file = extractBundle(bundle);

    // No input at all: the step throws from inside the bundle, before any AWS call.
    const probe = runOnNode24(bundle, `const m = await import(${JSON.stringify(pathToFileURL(file).href)});
      try { await m.handler(undefined, { functionName: 'validateOrder', awsRequestId: 'r-1' }); } catch (error) { console.log('STACK ' + error.stack); }`);

    expect(bundle.environment.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    const stack = probe.stdout.slice(probe.stdout.indexOf('STACK '));
    expect(stack).toMatch(/^STACK InvalidOrder: /);
    expect(stack).toMatch(/\n {4}at \S+ \(functions\/shared\/orders\/validate-order\.ts:\d+:\d+\)/);
    expect(stack).toMatch(/\n {4}at \S+ \(functions\/shared\/workflow-task\.ts:\d+:\d+\)/);
  });
});
