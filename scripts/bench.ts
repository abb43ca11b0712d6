import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionsFromTemplate, loadZips, type FunctionBundle } from './packaging/packaged-functions.js';
import { killActiveProbes, measureColdStarts, prepareTargets, type ImportTarget } from './bench/cold-start.js';
import { measureApprovedOrders } from './bench/approvals.js';
import { describeMachine, processCpuMs } from './bench/machine.js';
import { measureDocuments } from './bench/documents.js';
import { defaultCacheDirectory, evaluateExtraction } from './bench/document-eval/evaluate.js';
import { createBenchProduct, measureIntakeLatency, measureThroughput, pollUntilTerminal } from './bench/orders.js';
import { Cleanup, divertStdout } from './bench/output.js';
import { measurePackaging } from './bench/packaging.js';
import { renderReport, type BenchResults } from './bench/report.js';
import { buildFloor, FLOOR_SUFFIX } from './bench/sdk-floor.js';
import { allowedActions } from './packaging/iam-sdk.js';
import { measureWebhookIngestion } from './bench/webhooks.js';
import { countTransitions } from './bench/transitions.js';
import { loadCompiledTemplate, parseIamMode, REGION, type RunningStack, type TemplateResolver } from 'local-stack';
import { LOCAL_APPROVAL_LINK_KEY, PACKAGE_SOURCE, startDemoStack } from './demo/stack.js';
import { PROJECT_ROOT } from './workflows.js';

/**
 * `npm run bench`: bundle sizes, cold-start import times, and intake latency, throughput and
 * Step Functions cost through the local stack; documents per minute and latency per page; the
 * document extraction's accuracy per field. The Markdown report goes to stdout and .local/bench.md;
 * progress goes to stderr; the handlers' own logs to .local/logs/bench-stdout.log.
 */
const SETTINGS = {
  coldStartRuns: 21,
  latencyWarmups: 5,
  latencyRequests: 100,
  drainBudgetMs: 60_000,
  throughputOrders: 60,
  throughputConcurrency: 4,
  throughputBudgetMs: 100_000,
  transitionSamples: 5,
  approvedOrders: 3,
  approvedOrdersBudgetMs: 60_000,
  webhooks: {
    // Loads the handlers and fills the engine's caches; not reported.
    warmup: { shipments: 20, events: 40, batchSize: 10, concurrency: 4, budgetMs: 60_000 },
    runs: [
      // The goal: does the stack keep up with 100 events/s, and how long does an event take then?
      { shipments: 250, events: 1000, batchSize: 10, concurrency: 4, offeredPerSecond: 100, budgetMs: 120_000 },
      // The margin: half as much again.
      { shipments: 250, events: 1000, batchSize: 10, concurrency: 4, offeredPerSecond: 150, budgetMs: 120_000 },
      // A replayed backlog: as fast as it answers (batches for the same shipments then contend).
      { shipments: 250, events: 1000, batchSize: 10, concurrency: 4, budgetMs: 120_000 },
    ],
  },
  documents: { latencyRuns: 3, throughputDocuments: 24, concurrency: 4, budgetMs: 600_000 },
};
const CARRIER_WEBHOOK_SECRET = 'bench-carrier-webhook-secret--public';
const REPORT_PATH = join(PROJECT_ROOT, '.local/bench.md');
const HANDLER_LOG = join(PROJECT_ROOT, '.local/logs/bench-stdout.log');

const startedAt = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);
const cleanup = new Cleanup();

/** Runs one phase; a failure is recorded for the report instead of ending the benchmark. */
const phase = async <T>(results: BenchResults, name: string, run: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await run();
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'unknown error';
    results.errors.set(name, message);
    log(`${name} failed: ${message}`);
    return undefined;
  }
};

const loadBundles = async (resolver: TemplateResolver): Promise<FunctionBundle[]> => {
  const bundles = functionsFromTemplate(resolver, PROJECT_ROOT);
  loadZips(bundles, log);
  return bundles;
};

/** Each function's floor, built now with today's serverless.yml esbuild options, imported with the function's environment. */
/** Each handler followed by its floor, so that the two are measured back to back in every round. */
const withFloors = async (resolver: TemplateResolver, bundles: FunctionBundle[], dir: string, targets: ImportTarget[]): Promise<ImportTarget[]> => {
  const paired: ImportTarget[] = [];
  for (const target of targets) {
    paired.push(target);
    const bundle = bundles.find((candidate) => candidate.name === target.label);
    if (!bundle) continue;
    const floor = await buildFloor(PROJECT_ROOT, dir, bundle.name, allowedActions(resolver, bundle.logicalId));
    bundle.floorSize = floor.size;
    paired.push({ label: `${bundle.name}${FLOOR_SUFFIX}`, moduleFile: floor.moduleFile, env: target.env });
  }
  return paired;
};

const coldStartPhase = async (resolver: TemplateResolver, bundles: FunctionBundle[]): Promise<BenchResults['coldStart']> => {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-orders-bench-'));
  cleanup.add('temp dir', () => rmSync(dir, { recursive: true, force: true }));
  cleanup.add('cold-start probes', killActiveProbes);
  const handlers = prepareTargets(bundles, dir, REGION);
  log('building each function\'s floor (its IAM role\'s SDK clients + Logger + middy)');
  const targets = await withFloors(resolver, bundles, dir, handlers);
  log(`cold start: ${targets.length} bundles × ${SETTINGS.coldStartRuns} runs`);
  const results = await measureColdStarts(dir, targets, SETTINGS.coldStartRuns, log);
  return { results, runs: SETTINGS.coldStartRuns, nodeOptions: bundles[0]?.environment.NODE_OPTIONS ?? '' };
};

const startBenchStack = async (results: BenchResults): Promise<RunningStack> => {
  const started = performance.now();
  log('starting the local stack');
  const stack = await startDemoStack({
    awsPort: 0,
    httpPort: 0,
    approvalLinkKey: LOCAL_APPROVAL_LINK_KEY,
    seedCatalogue: false,
    // As npm start runs it: enforce unless LOCAL_IAM says otherwise (LOCAL_IAM=off measures the stack without the checks).
    iam: parseIamMode(process.env.LOCAL_IAM),
    // No simulated carrier: the orders benchmark measures placed → SHIPPED, not parcels in transit.
    carrierWebhookSecret: CARRIER_WEBHOOK_SECRET,
    log: (line) => log(`[local-stack] ${line}`),
  });
  cleanup.add('local stack', () => stack.stop());
  results.stackStartMs = performance.now() - started;
  results.iam = stack.iam.mode;
  log(`local stack up: ${stack.httpEndpoint}, AWS ${stack.awsEndpoint}`);
  return stack;
};

const latencyPhase = async (stack: RunningStack, sku: string): Promise<BenchResults['latency']> => {
  log(`intake latency: ${SETTINGS.latencyWarmups} warm-ups + ${SETTINGS.latencyRequests} sequential orders`);
  const run = await measureIntakeLatency(stack.httpEndpoint, sku, SETTINGS.latencyWarmups, SETTINGS.latencyRequests);
  // Let their fulfilment finish, so the throughput run does not start with a backlog.
  log('waiting for those orders to finish fulfilment');
  const drainStarted = performance.now();
  const drained = await pollUntilTerminal(stack.httpEndpoint, () => run.orderIds, () => true, drainStarted + SETTINGS.drainBudgetMs);
  return { ...run, warmups: SETTINGS.latencyWarmups, drainMs: performance.now() - drainStarted, drained: drained.finishedAt.size };
};

const transitionsPhase = async (stack: RunningStack, results: BenchResults) => {
  const views = [...(results.throughput?.tracker.views.values() ?? [])];
  const arns = views
    .filter((view) => view.status === 'SHIPPED' && view.executionArn)
    .slice(0, SETTINGS.transitionSamples)
    .map((view) => view.executionArn!);
  if (arns.length === 0) throw new Error('no shipped order with an executionArn to inspect');
  log(`state transitions of ${arns.length} shipped orders`);
  return countTransitions(stack.awsEndpoint, REGION, arns);
};

const productsTableOf = (stack: RunningStack): string => stack.provisioned.tables.find((name) => name.endsWith('-products')) ?? 'products';
const ordersTableOf = (stack: RunningStack): string => stack.provisioned.tables.find((name) => name.endsWith('-orders')) ?? 'orders';

/** Intake latency, placed → SHIPPED throughput and transitions per order; false when the stack could not take orders. */
const orderPhases = async (stack: RunningStack, results: BenchResults): Promise<boolean> => {
  const sku = await phase(results, 'latency', () => createBenchProduct(stack.awsEndpoint, productsTableOf(stack), REGION));
  if (!sku) return false;
  results.latency = await phase(results, 'latency', () => latencyPhase(stack, sku));
  log(`throughput: ${SETTINGS.throughputOrders} orders, concurrency ${SETTINGS.throughputConcurrency}`);
  const fulfilment = stack.provisioned.stateMachines.find((machine) => machine.type === 'STANDARD' && machine.name.endsWith('-order-fulfilment'));
  const emulatorCpuBefore = processCpuMs(stack.emulatorPid);
  const nodeCpuBefore = process.cpuUsage();
  results.throughput = await phase(results, 'throughput', () => {
    if (!fulfilment) throw new Error('no order-fulfilment state machine provisioned');
    return measureThroughput(stack.httpEndpoint, sku, SETTINGS.throughputOrders, SETTINGS.throughputConcurrency, SETTINGS.throughputBudgetMs,
      { awsEndpoint: stack.awsEndpoint, region: REGION, stateMachineArn: fulfilment.arn, ordersTable: ordersTableOf(stack) });
  });
  // CPU time, unlike wall time, does not depend on what else this machine runs meanwhile.
  const emulatorCpuAfter = processCpuMs(stack.emulatorPid);
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  results.throughputCpu = {
    emulatorMs: emulatorCpuBefore !== undefined && emulatorCpuAfter !== undefined ? emulatorCpuAfter - emulatorCpuBefore : undefined,
    nodeMs: (nodeCpu.user + nodeCpu.system) / 1000,
  };
  results.transitions = await phase(results, 'transitions', () => transitionsPhase(stack, results));
  return true;
};

const stackPhases = async (results: BenchResults): Promise<void> => {
  const stack = await phase(results, 'latency', () => startBenchStack(results));
  if (!stack || !(await orderPhases(stack, results))) return;
  log(`approved orders: ${SETTINGS.approvedOrders} over 500.00, each approved through its emailed link`);
  results.approvedOrders = await phase(results, 'approvedOrders', () => measureApprovedOrders({
    awsEndpoint: stack.awsEndpoint,
    httpEndpoint: stack.httpEndpoint,
    productsTable: productsTableOf(stack),
    ordersTable: ordersTableOf(stack),
    region: REGION,
    orders: SETTINGS.approvedOrders,
    budgetMs: SETTINGS.approvedOrdersBudgetMs,
  }));
  results.webhooks = await phase(results, 'webhooks', () => webhooksPhase(stack));
  log('documents: latency per page, then documents per minute');
  results.documents = await phase(results, 'documents', () => measureDocuments(stack.httpEndpoint, SETTINGS.documents, log));
};

const webhooksPhase = async (stack: RunningStack) => {
  const carrierEvents = stack.provisioned.stateMachines.find((machine) => machine.name.endsWith('-carrier-events'));
  if (!carrierEvents) throw new Error('no carrier-events state machine provisioned');
  const target = {
    httpEndpoint: stack.httpEndpoint,
    awsEndpoint: stack.awsEndpoint,
    region: REGION,
    shipmentsTable: stack.provisioned.tables.find((name) => name.endsWith('-shipments')) ?? 'shipments',
    stateMachineArn: carrierEvents.arn,
    secret: CARRIER_WEBHOOK_SECRET,
    emulatorPid: stack.emulatorPid,
  };
  await measureWebhookIngestion(target, SETTINGS.webhooks.warmup, (line) => log(`warm-up ${line}`));
  const runs = [];
  for (const settings of SETTINGS.webhooks.runs) {
    const run = await measureWebhookIngestion(target, settings, log);
    log(`webhooks: ${run.eventsPerSecond.toFixed(1)} events/s sustained, ${run.sent - run.recorded} lost`);
    runs.push(run);
  }
  return runs;
};

/** `npm run bench -- webhooks`: the local stack and the webhook runs only, for repeating them. */
const webhooksOnly = async (results: BenchResults): Promise<void> => {
  const stack = await phase(results, 'webhooks', () => startBenchStack(results));
  if (stack) results.webhooks = await phase(results, 'webhooks', () => webhooksPhase(stack));
};

/**
 * The extraction's accuracy on the evaluation set: needs no stack (it calls the local Textract's
 * OCR in process) and reads each document once; later runs score the cached OCR output.
 */
const extractionPhase = async (results: BenchResults): Promise<void> => {
  log('document extraction: evaluation set (rendered and read once, then cached in .local/document-eval)');
  results.extraction = await phase(results, 'extraction', () => evaluateExtraction({ cacheDirectory: defaultCacheDirectory(PROJECT_ROOT), log: (line) => log(`extraction: ${line}`) }));
};

/** `npm run bench -- orders`: the local stack and the order runs only (sections 3 and 4). */
const ordersOnly = async (results: BenchResults): Promise<void> => {
  const stack = await phase(results, 'latency', () => startBenchStack(results));
  if (stack) await orderPhases(stack, results);
};

const allPhases = async (results: BenchResults): Promise<void> => {
  log('packaging from scratch (serverless package --stage local into a folder of its own)');
  results.packageMs = await phase(results, 'packaging', () => measurePackaging(PROJECT_ROOT));
  const resolver = await phase(results, 'bundles', () => loadCompiledTemplate(PACKAGE_SOURCE, log));
  results.bundles = (resolver && await phase(results, 'bundles', () => loadBundles(resolver))) || [];
  if (resolver && results.bundles.some((bundle) => bundle.zip)) {
    results.coldStart = await phase(results, 'coldStart', () => coldStartPhase(resolver, results.bundles));
  } else {
    results.errors.set('coldStart', 'no function zip to measure');
  }
  await stackPhases(results);
  await extractionPhase(results);
};

const main = async (): Promise<number> => {
  const stdout = divertStdout(HANDLER_LOG);
  cleanup.add('stdout', stdout.restore);
  const results: BenchResults = { machine: describeMachine(), bundles: [], errors: new Map(), totalMs: 0 };
  try {
    const phases = process.argv.includes('webhooks') ? webhooksOnly : process.argv.includes('orders') ? ordersOnly
      : process.argv.includes('extraction') ? extractionPhase : allPhases;
    await phases(results);
  } finally {
    log('stopping everything the benchmark started');
    await cleanup.run(log);
  }
  results.totalMs = performance.now() - startedAt;
  const report = renderReport(results);
  await stdout.write(report);
  mkdirSync(join(PROJECT_ROOT, '.local'), { recursive: true });
  writeFileSync(REPORT_PATH, report);
  log(`report written to ${REPORT_PATH} (total ${(results.totalMs / 1000).toFixed(1)} s)`);
  return results.errors.size === 0 ? 0 : 1;
};

const stopOnSignal = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping`);
  void cleanup.run(log).finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

// The in-process handlers' SDK clients keep sockets and timers alive; everything of ours is stopped
// by now, so leave explicitly rather than wait for them.
process.exit(await main().catch(async (error: Error) => {
  log(`failed: ${error.stack ?? error.message}`);
  await cleanup.run(log);
  return 1;
}));
