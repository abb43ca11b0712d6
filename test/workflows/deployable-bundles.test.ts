import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionsFromTemplate, loadZips } from '../../scripts/bench/bundles.js';
import { extractEntry } from '../../scripts/bench/zip.js';
import { loadTemplate, TemplateResolver } from '../../scripts/local-stack/template.js';

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

describe('deployable bundles', () => {
  it('packages every function of the template', () => {
    expect(bundles.map((bundle) => bundle.name).sort()).toEqual([
      'applyTrackingEvent', 'approvalCallback', 'chargePayment', 'createShipment', 'deliverApprovalRequest', 'getOrder', 'listProducts', 'notify', 'placeOrder',
      'receiveCarrierWebhook', 'reconcileRefunds', 'refundPayment', 'releaseInventory', 'reserveInventory', 'restockProduct', 'validateOrder',
    ]);
  });

  it.each(bundles.map((bundle) => [bundle.name, bundle] as const))('%s loads on Node 24 and exports its handler', (_, bundle) => {
    loadZips([bundle], () => undefined);
    const entry = bundle.handlerEntry;
    if (!bundle.zip || !entry) throw new Error(`${bundle.zipPath} has no handler bundle`);
    const file = join(workDir, bundle.name, entry.name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, extractEntry(bundle.zip, entry));

    const probe = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(typeof m.handler);`], {
      env: { PATH: process.env.PATH, ...bundle.environment, NODE_OPTIONS: '', AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toBe('function');
  });
});
