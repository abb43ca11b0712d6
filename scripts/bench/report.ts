import type { FunctionBundle } from '../packaging/packaged-functions.js';
import type { ColdStartResult } from './cold-start.js';
import type { Machine } from './machine.js';
import type { LatencyRun, ThroughputRun } from './orders.js';
import { FLOOR_SUFFIX } from './sdk-floor.js';
import { bytes, max, median, ms, percentile, seconds, signedMs, table, usd } from './stats.js';
import type { ApprovedOrderCount } from './approvals.js';
import { EXPRESS_PER_GB_SECOND, expressCostPerThousandEvents, type WebhookRun } from './webhooks.js';
import type { DocumentBenchRun, DocumentTiming } from './documents.js';
import type { Evaluation } from './document-eval/evaluate.js';
import { extractionSection as extractionTables } from './document-eval/report.js';
import { expressRequestCostPerThousandOrders, PRICES, standardCostPerThousandOrders, type TransitionCount } from './transitions.js';

export interface BenchResults {
  machine: Machine;
  bundles: FunctionBundle[];
  coldStart?: { results: ColdStartResult[]; runs: number; nodeOptions: string };
  stackStartMs?: number;
  /** LOCAL_IAM of the stack measured: holding calls to their roles costs CPU per call. */
  iam?: string;
  /** `serverless package --stage local` from scratch. */
  packageMs?: number;
  latency?: LatencyRun & { warmups: number; drainMs: number; drained: number };
  throughput?: ThroughputRun;
  /** CPU time used during the throughput run: the emulator's, and this process's (HTTP API, handlers, front, clients). */
  throughputCpu?: { emulatorMs?: number; nodeMs: number };
  transitions?: TransitionCount[];
  approvedOrders?: ApprovedOrderCount[];
  /** One run per setting: a fixed offered rate, then as fast as answered. */
  webhooks?: WebhookRun[];
  documents?: DocumentBenchRun;
  /** Document extraction's accuracy per field on the evaluation set (scripts/bench/document-eval). */
  extraction?: Evaluation;
  /** Per phase: what went wrong, shown in that phase's section. */
  errors: Map<string, string>;
  totalMs: number;
}

const errorNote = (results: BenchResults, phase: string): string[] => {
  const error = results.errors.get(phase);
  return error ? ['', `**Not measured:** ${error}`] : [];
};

const machineSection = (results: BenchResults): string[] => [
  '## Machine',
  '',
  `- CPU: ${results.machine.cpuModel}, ${results.machine.cores} cores`,
  `- Memory: ${results.machine.memory}`,
  `- Node: ${results.machine.node} (${results.machine.os})`,
  `- Date: ${results.machine.date}`,
  `- Load average (1 min) at start: ${results.machine.loadAverage.toFixed(2)}`,
  ...(results.iam ? [`- Local stack: LOCAL_IAM=${results.iam}`] : []),
];

const bundleSection = (results: BenchResults): string[] => {
  const rows = results.bundles.map((bundle) => [
    bundle.name,
    bundle.zip ? bytes(bundle.zip.length) : 'zip missing',
    bytes(bundle.handlerEntry?.size),
    bytes(bundle.sourceMapEntry?.size),
  ]);
  const missing = results.bundles.filter((bundle) => !bundle.zip).length;
  const newest = results.bundles.map((bundle) => bundle.zipModified?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
  return [
    '## 1. Bundle size per function',
    '',
    'From `.serverless/*.zip` (serverless-esbuild, minified ESM; sizes read from each zip\'s central directory).',
    '',
    table(['Function', 'Zip', 'handler.mjs', 'handler.mjs.map'], rows),
    ...(newest ? ['', `Zips built ${new Date(newest).toISOString()}.`] : []),
    ...(missing ? ['', `${missing} zip(s) were missing although the template exists (another \`serverless package\` may have been running).`] : []),
    ...errorNote(results, 'bundles'),
  ];
};

const coldStartSection = (results: BenchResults): string[] => {
  const coldStart = results.coldStart;
  if (!coldStart) return ['## 2. Cold-start init (module import)', ...errorNote(results, 'coldStart')];
  const baseline = median(coldStart.results[0]?.importMs ?? []);
  const rows = coldStart.results.map((result) => result.error
    ? [result.label, `failed: ${result.error}`, '', '', '']
    : [
        result.label,
        ms(median(result.importMs)),
        ms(percentile(result.importMs, 95)),
        signedMs(median(result.importMs) - baseline),
        ms(median(result.processMs), 0),
      ]);
  return [
    '## 2. Cold-start init (module import)',
    '',
    `Each bundle's \`handler.mjs\` was extracted and imported in a fresh Node ${process.version} process (\`process.execPath\`)`,
    `(${coldStart.runs} runs each after one warm-up, interleaved round by round) with the function's environment from the template`,
    `(NODE_OPTIONS=\`${coldStart.nodeOptions || '(unset)'}\`, table names, AWS_REGION). "Import" is \`performance.now()\` around`,
    '`await import(handler.mjs)`: module evaluation plus top-level SDK client construction, no network. "Process" is',
    'spawn to exit, Node\'s own start-up included. p95 is nearest-rank, so with few runs it is the slowest run.',
    'This is the init work in our code only; Lambda\'s own sandbox and runtime start-up come on top.',
    '',
    table(['Bundle', 'Import median', 'Import p95', 'Δ median vs empty', 'Process median'], rows),
    ...errorNote(results, 'coldStart'),
  ];
};

/** The goal: no handler more than 10% heavier than the SDK clients its role lets it call. */
export const FLOOR_GOAL = 1.1;

const floorSection = (results: BenchResults): string[] => {
  const coldStart = results.coldStart;
  if (!coldStart) return [];
  const samplesOf = (label: string) => coldStart.results.find((result) => result.label === label && !result.error)?.importMs ?? [];
  const shown = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×${r <= FLOOR_GOAL ? '' : ' **over**'}` : 'n/a');
  const rows = results.bundles.filter((bundle) => bundle.floorSize !== undefined).map((bundle) => {
    const handler = samplesOf(bundle.name);
    const floor = samplesOf(`${bundle.name}${FLOOR_SUFFIX}`);
    // Handler and floor ran back to back in each round: the ratio of each pair cancels the machine's drift.
    const pairRatios = handler.length === floor.length ? handler.map((value, index) => value / floor[index]!) : [];
    return [
      bundle.name,
      ms(median(handler)), ms(median(floor)), shown(median(pairRatios)),
      bytes(bundle.handlerEntry?.size), bytes(bundle.floorSize), shown((bundle.handlerEntry?.size ?? Number.NaN) / (bundle.floorSize ?? Number.NaN)),
    ];
  });
  return [
    '## 2b. Each handler against its floor',
    '',
    'A function\'s floor is a bundle of only the AWS SDK clients its IAM role (compiled template) lets it call, each allowed',
    'action called once, plus Powertools Logger and middy, built in this run with the esbuild options of `serverless.yml`',
    '(scripts/bench/sdk-floor.ts) and imported above like the handlers, with the same environment, right after its handler in',
    `every round. The time ratio is the median of those pairs' ratios. Goal: at most ${FLOOR_GOAL.toFixed(2)}× in both.`,
    '',
    table(['Function', 'Import median', 'Floor', 'Ratio', 'handler.mjs', 'Floor', 'Ratio'], rows),
  ];
};

const latencySection = (results: BenchResults): string[] => {
  const latency = results.latency;
  const lines = ['## 3a. Intake latency (POST /orders, EXPRESS intake run synchronously)'];
  if (latency) {
    lines.push(
      '',
      `${latency.latenciesMs.length} sequential requests after ${latency.warmups} warm-ups, each a new order of one item paid with \`tok_visa\`.`,
      'Client-side time from request to fully read 201 response, through the local stack (HTTP API → place-order → StartSyncExecution →',
      'validate-order, DynamoDB put, EventBridge put). Fulfilment of earlier orders runs in the background meanwhile, as it would in AWS.',
      '',
      table(['Requests', 'p50', 'p95', 'max'], [[String(latency.latenciesMs.length), ms(percentile(latency.latenciesMs, 50)), ms(percentile(latency.latenciesMs, 95)), ms(max(latency.latenciesMs))]]),
      '',
      `Afterwards ${latency.drained}/${latency.orderIds.length} of these orders reached a final status within ${seconds(latency.drainMs)} (waited for before the throughput run).`,
    );
  }
  return [...lines, ...errorNote(results, 'latency')];
};

/** CPU per completed order: what a core can sustain, whatever else the machine ran meanwhile. */
const cpuRows = (results: BenchResults, completed: number, elapsedMs: number): string[][] => {
  const cpu = results.throughputCpu;
  if (!cpu || completed === 0) return [];
  const rows: string[][] = [];
  if (cpu.emulatorMs !== undefined) {
    const perOrder = cpu.emulatorMs / completed;
    rows.push(['Emulator CPU per completed order (one core caps it at)', `${ms(perOrder, 0)} (${(1000 / perOrder).toFixed(1)} orders/s); busy ${((cpu.emulatorMs / elapsedMs) * 100).toFixed(0)}% of the run`]);
  }
  rows.push(['Node CPU per completed order (HTTP API, handlers, front, bench clients)', `${ms(cpu.nodeMs / completed, 0)}; busy ${((cpu.nodeMs / elapsedMs) * 100).toFixed(0)}% of the run`]);
  return rows;
};

const throughputSection = (results: BenchResults): string[] => {
  const run = results.throughput;
  const lines = ['## 3b. Throughput (placed → SHIPPED)'];
  if (run) {
    const views = [...run.tracker.views.values()];
    const shipped = views.filter((view) => view.status === 'SHIPPED');
    const otherStatuses = views.filter((view) => view.status !== 'SHIPPED').map((view) => view.status);
    const lastShipped = Math.max(...shipped.map((view) => run.tracker.finishedAt.get(view.orderId) ?? 0));
    const elapsed = lastShipped - run.startedAt;
    const endToEnd = shipped.map((view) => (run.tracker.finishedAt.get(view.orderId) ?? 0) - (run.placedAt.get(view.orderId) ?? 0));
    lines.push(
      '',
      `${run.orders} orders placed by ${run.concurrency} concurrent clients. An order completes when its fulfilment execution stops (its`,
      '`stopDate`, from one ListExecutions a second, not a GET per open order, which would load the emulator like a fifth client);',
      'afterwards each order is read once through GET /orders/{id} for its status and the execution that fulfilled it.',
      '',
      table(['Metric', 'Value'], [
        ['Orders accepted (201)', `${run.placedAt.size}/${run.orders}`],
        ['Orders SHIPPED', `${shipped.length}/${run.placedAt.size}${otherStatuses.length ? ` (other: ${otherStatuses.join(', ')})` : ''}${run.timedOut ? ' — time budget ran out' : ''}`],
        ['Placement rate', `${(run.placedAt.size / ((run.placedAllAt - run.startedAt) / 1000)).toFixed(1)} orders/s`],
        ['First POST → last SHIPPED', shipped.length ? seconds(elapsed) : 'n/a'],
        ['**Completed orders per second**', shipped.length ? `**${(shipped.length / (elapsed / 1000)).toFixed(2)}**` : 'n/a'],
        ['Per order, POST → SHIPPED p50 / p95 / max', `${ms(percentile(endToEnd, 50), 0)} / ${ms(percentile(endToEnd, 95), 0)} / ${ms(max(endToEnd), 0)}`],
        ...cpuRows(results, shipped.length, elapsed),
      ], [false, true]),
    );
    if (run.placementErrors.length) lines.push('', `Placement errors: ${run.placementErrors.slice(0, 3).join('; ')}`);
  }
  return [...lines, ...errorNote(results, 'throughput')];
};

const costSection = (results: BenchResults): string[] => {
  const counts = results.transitions ?? [];
  const lines = ['## 4. State transitions and Step Functions cost per shipped order'];
  if (counts.length) {
    const perOrder = median(counts.map((count) => count.transitions));
    const standard = standardCostPerThousandOrders(perOrder);
    const express = expressRequestCostPerThousandOrders();
    const distinct = [...new Set(counts.map((count) => count.statesEntered.join(' → ')))];
    lines.push(
      '',
      `Counted from GetExecutionHistory of ${counts.length} shipped orders' fulfilment executions (found by order id, on the order's row).`,
      'Approximation of AWS billing: every `*StateEntered` event is one transition, Parallel branch states included;',
      'retries (none on this happy path) would add transitions that this count does not see.',
      '',
      table(['Executions', 'Transitions per order (min / median / max)'], [[
        String(counts.length),
        `${Math.min(...counts.map((count) => count.transitions))} / ${perOrder} / ${Math.max(...counts.map((count) => count.transitions))}`,
      ]]),
      '',
      `States entered: ${distinct.map((path) => `\`${path}\``).join('; or ')}`,
      '',
      'us-east-1 list prices:',
      '',
      table(['Workflow', 'Price', 'Per 1,000 orders'], [
        ['order-fulfilment (STANDARD)', `$${PRICES.standardPerThousandTransitions} per 1,000 state transitions × ${perOrder}`, usd(standard)],
        ['order-intake (EXPRESS), requests only', `$${PRICES.expressPerMillionRequests.toFixed(2)} per 1 million requests × 1`, usd(express)],
        ['**Step Functions total**', 'Express duration (GB-seconds) not included', `**${usd(standard + express)}**`],
      ], [false, false, true]),
      '',
      'Lambda, DynamoDB, EventBridge, SNS and API Gateway charges are not included.',
    );
  }
  return [...lines, ...errorNote(results, 'transitions')];
};

const approvalCostSection = (results: BenchResults): string[] => {
  const counts = results.approvedOrders ?? [];
  const plain = results.transitions ?? [];
  const lines = ['## 5. An approved order next to a plain one'];
  if (counts.length) {
    const fulfilment = median(counts.map((count) => count.fulfilment.transitions));
    const approval = median(counts.map((count) => count.approval.transitions));
    const plainPerOrder = plain.length ? median(plain.map((count) => count.transitions)) : undefined;
    lines.push(
      '',
      `${counts.length} orders over 500.00, each approved by a POST to the link in its approval email; transitions counted`,
      'as in section 4, for the fulfilment execution and for its nested approval execution. Waiting for the approver costs',
      'nothing on STANDARD (billed per transition, not per second).',
      '',
      table(['Order', 'Fulfilment', 'Approval (nested)', 'Total', 'Per 1,000 orders'], [
        ...(plainPerOrder === undefined ? [] : [['plain (≤ 500.00)', String(plainPerOrder), '–', String(plainPerOrder), usd(standardCostPerThousandOrders(plainPerOrder))]]),
        ['approved (> 500.00)', String(fulfilment), String(approval), String(fulfilment + approval), usd(standardCostPerThousandOrders(fulfilment + approval))],
      ]),
      '',
      `Approval states: \`${counts[0]?.approval.statesEntered.join(' → ')}\`. Not included: the approval-requests queue, its`,
      'consumer and approval-callback invocations, the approvals table and the approver email.',
    );
  }
  return [...lines, ...errorNote(results, 'approvedOrders')];
};

/** Fractions of a cent, which `usd` rounds away. */
const smallUsd = (value: number): string => `$${value.toFixed(6)}`;

const webhookSection = (results: BenchResults): string[] => {
  const runs = results.webhooks ?? [];
  const lines = ['## 6. Carrier webhook ingestion (POST /webhooks/carrier → carrier-events, EXPRESS)'];
  const [first] = runs;
  if (first) {
    const rows = runs.map((run) => {
      const retried = Object.entries(run.retried).map(([status, count]) => `${count}× ${status}`).join(', ') || 'none';
      return [
        run.settings.offeredPerSecond ? `${run.settings.offeredPerSecond} events/s` : 'as fast as answered',
        `${run.sent} (${run.settings.shipments} shipments)`,
        `${run.postedPerSecond.toFixed(1)}/s`,
        String(run.sent - run.recorded),
        String(run.duplicated),
        String(run.failedExecutions),
        `**${run.eventsPerSecond.toFixed(1)} events/s**`,
        ms(percentile(run.latenciesMs, 50), 0),
        ms(percentile(run.latenciesMs, 95), 0),
        run.cpuMsPerEvent.emulator === undefined ? 'n/a' : ms(run.cpuMsPerEvent.emulator),
        ms(run.cpuMsPerEvent.node),
        retried,
      ];
    });
    // The paced run's executions did not wait behind a backlog: their duration is the work of a batch.
    const paced = runs.find((run) => run.settings.offeredPerSecond) ?? first;
    const batchSize = paced.settings.batchSize;
    const express = expressCostPerThousandEvents(paced);
    const transitionsPerThousand = (paced.transitionsPerBatch * 1000) / batchSize;
    lines.push(
      '',
      `Signed batches of ${batchSize} events (each for a different shipment, as a carrier's batch of the last few seconds`,
      `would be) POSTed by ${first.settings.concurrency} clients, either at a fixed offered rate or as fast as the stack answers 202.`,
      'Each event is timed from its POST to its write to the shipment row (the history entry\'s `recordedAt`, stamped',
      'by apply-tracking-events as it issues the write); sustained = events recorded ÷ (last write − first POST).',
      'Lost = never in its shipment\'s history; duplicated = in it twice. Batches answered other than 202 are posted',
      'again, as a carrier retries. CPU per event recorded, over the whole run (the Node process includes the clients).',
      `A shipment has an event every ${first.settings.shipments / batchSize} batches: as fast as answered, the HTTP API accepts batches faster than`,
      'they are applied, every execution starts at once, and batches for the same shipment contend for its row (a lost',
      'conditional write is applied again on top of the winner\'s row), so that run measures a replayed backlog, not capacity.',
      '',
      table(['Offered', 'Events', 'Posted', 'Lost', 'Duplicated', 'Failed executions', 'Sustained', 'p50', 'p95', 'Emulator CPU', 'Node CPU', 'Retried batches'], rows),
      '',
      `Per batch of ${batchSize}: ${paced.transitionsPerBatch.toFixed(0)} state transitions (${transitionsPerThousand.toFixed(0)} per 1,000 events), ${ms(paced.billedMsPerBatch, 0)}`,
      'billed duration here (100 ms steps; a batch takes far less on AWS, where DynamoDB answers in a few ms). us-east-1:',
      '',
      table(['Per 1,000 events', 'Price', 'Cost'], [
        ['EXPRESS requests', `$${PRICES.expressPerMillionRequests.toFixed(2)} per 1 million × ${(1000 / batchSize).toFixed(0)} executions`, smallUsd(express.requests)],
        ['EXPRESS duration', `$${EXPRESS_PER_GB_SECOND} per GB-second, 64 MB, ${ms(paced.billedMsPerBatch, 0)} each`, smallUsd(express.duration)],
        ['**carrier-events on EXPRESS**', '', `**${smallUsd(express.requests + express.duration)}**`],
        ['(the same on STANDARD)', `$${PRICES.standardPerThousandTransitions} per 1,000 transitions × ${transitionsPerThousand.toFixed(0)}`, usd((transitionsPerThousand * PRICES.standardPerThousandTransitions) / 1000)],
      ], [false, false, true]),
      '',
      'Lambda (receive-carrier-webhook and apply-tracking-events, one invocation each per batch), API Gateway and',
      'DynamoDB charges are not included.',
    );
  }
  return [...lines, ...errorNote(results, 'webhooks')];
};

const statuses = (timings: DocumentTiming[]) => {
  const counts = new Map<string, number>();
  for (const { status } of timings) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}× ${status}`).join(', ');
};

const documentSection = (results: BenchResults): string[] => {
  const run = results.documents;
  const lines = ['## 7. Documents (upload → FILED through document-processing, OCR by tesseract)'];
  if (run) {
    const kinds = [...new Map(run.latency.map((timing) => [`${timing.kind}|${timing.pages}`, timing])).values()];
    const latencyRows = kinds.map(({ kind, pages }) => {
      const runs = run.latency.filter((timing) => timing.kind === kind && timing.pages === pages);
      const latencies = runs.map((timing) => timing.latencyMs);
      return [kind, String(pages), String(runs.length), statuses(runs), ms(median(latencies), 0), ms(max(latencies), 0), `**${ms(median(latencies) / pages, 0)}**`];
    });
    const { throughput } = run;
    const filed = throughput.timings.filter((timing) => timing.status === 'FILED');
    const pages = filed.reduce((sum, timing) => sum + timing.pages, 0);
    const minutes = throughput.wallMs / 60_000;
    const latencies = throughput.timings.map((timing) => timing.latencyMs);
    lines.push(
      '',
      'Each document goes in as a client sends it (POST /documents, PUT to the presigned URL) and is timed from the end of its PUT',
      `to the first GET /documents/{id} that shows it FILED (one GET per open document every ${run.pollIntervalMs} ms). In between: S3's`,
      'Object Created event, the EventBridge rule, document-processing (type check, text detection, pages Map, classify, checks, file),',
      'and the local Textract, which runs tesseract on every page (PDF pages rendered at 200 dpi by pdftoppm, at most 2 at once).',
      'The documents are the test set (test/support/test-documents.ts).',
      '',
      `Latency, one document in the stack at a time (${run.settings.latencyRuns} runs of each):`,
      '',
      table(['Document', 'Pages', 'Runs', 'Ended', 'PUT → FILED p50', 'max', 'Per page (p50 / pages)'], latencyRows),
      '',
      `Throughput: ${throughput.uploaded} documents (invoices, receipts and 2-page contracts in turn) uploaded by ${run.settings.concurrency} clients at once:`,
      '',
      table(['Metric', 'Value'], [
        ['Documents ended', `${throughput.timings.length}/${throughput.uploaded} (${statuses(throughput.timings)})${throughput.timedOut ? ' — time budget ran out' : ''}`],
        ['First PUT → last FILED', seconds(throughput.wallMs)],
        ['**Documents per minute**', filed.length ? `**${(filed.length / minutes).toFixed(1)}**` : 'n/a'],
        ['Pages per minute', filed.length ? (pages / minutes).toFixed(1) : 'n/a'],
        ['Per document, PUT → FILED p50 / p95 / max', `${ms(percentile(latencies, 50), 0)} / ${ms(percentile(latencies, 95), 0)} / ${ms(max(latencies), 0)}`],
      ], [false, true]),
    );
  }
  return [...lines, ...errorNote(results, 'documents')];
};

const extractionSection = (results: BenchResults): string[] => [
  '## 8. Document extraction (accuracy per field, generated evaluation set)',
  ...(results.extraction ? ['', ...extractionTables(results.extraction, results.machine)] : []),
  ...errorNote(results, 'extraction'),
];

export const renderReport = (results: BenchResults): string => [
  '# Benchmark: sfn-orders (local stack)',
  '',
  ...machineSection(results),
  '',
  ...bundleSection(results),
  '',
  ...coldStartSection(results),
  '',
  ...floorSection(results),
  '',
  ...latencySection(results),
  '',
  ...throughputSection(results),
  '',
  ...costSection(results),
  '',
  ...approvalCostSection(results),
  '',
  ...webhookSection(results),
  '',
  ...documentSection(results),
  '',
  ...extractionSection(results),
  '',
  '## Run',
  '',
  `Total run time ${seconds(results.totalMs)}${results.stackStartMs === undefined ? '' : `, of which ${seconds(results.stackStartMs)} starting the local stack with a current template`}.`,
  ...(results.packageMs === undefined ? [] : [`\`serverless package --stage local\` from scratch (what \`npm start\` pays once after a source change): ${seconds(results.packageMs)}.`]),
  'Numbers from the local stack (moto\'s Step Functions engine, handlers in one Node process on this machine) compare runs and changes;',
  'they are not AWS latencies.',
  '',
].join('\n');
