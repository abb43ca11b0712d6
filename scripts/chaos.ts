import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { parseFaults, REGION, seededRandom, type FaultSettings, type RunningStack } from 'local-stack';
import { Cleanup, divertStdout } from './bench/output.js';
import { checkInvariants, FINAL_STATUSES, type ChaosSnapshot, type OrderRow, type PaymentRow, type ProductCount, type ReservationRow, type RunningExecution } from './chaos/invariants.js';
import { LOCAL_APPROVAL_LINK_KEY, startDemoStack } from './demo/stack.js';
import { PROJECT_ROOT } from './workflows.js';

/**
 * `npm run chaos`: orders through a local stack with every LOCAL_FAULTS kind on, then the
 * invariants that must hold whatever AWS did underneath (scripts/chaos/invariants.ts). A report on
 * stdout; exit 1 on any violation. docs/chaos.md has the figures of a full run.
 *
 *   npm run chaos                         1,000 orders, seed 21
 *   npm run chaos -- --orders 100         the version npm test runs
 *   npm run chaos -- --seed 7 --faults dynamodb-throttle=0.2
 */
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '21' },
    concurrency: { type: 'string', default: '6' },
    faults: { type: 'string', default: 'dynamodb-throttle=0.12,lambda-service-error=0.05,lambda-crash-after=0.05,events-put-failure=0.12,sns-publish-error=0.12' },
    'settle-seconds': { type: 'string', default: '180' },
    // Leaves the stack up after the report, for reading what happened (console, tables); Ctrl-C ends it.
    keep: { type: 'boolean', default: false },
  },
});
const ORDERS = Number(values.orders);
const CONCURRENCY = Number(values.concurrency);
const SETTLE_MS = Number(values['settle-seconds']) * 1000;
// The tests' values, so that npm test's earlier tiers leave a template this run can use as it is.
process.env.APPROVAL_TIMEOUT_SECONDS ??= '20';
process.env.BACKORDER_WINDOW_SECONDS ??= '20';
// Chaos signs nobody up, so no billing provider listens; the URL is the test stacks' one
// (test/support/global-setup.ts keeps its port there) only because the template compiles it in.
const TEST_BILLING_PORT = join(PROJECT_ROOT, '.local/test-billing-port');
if (existsSync(TEST_BILLING_PORT)) process.env.BILLING_API_URL ??= `http://127.0.0.1:${readFileSync(TEST_BILLING_PORT, 'utf8').trim()}`;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const HANDLER_LOG = join(PROJECT_ROOT, '.local/logs/chaos-stdout.log');

const startedAt = performance.now();
const elapsed = () => ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
const stderrWrite = process.stderr.write.bind(process.stderr);
const progress = (line: string) => stderrWrite(`[chaos ${elapsed()}s] ${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A PRNG of its own for the order mix (the faults draw from theirs), so the same seed places the same orders. */
const mixRandom = seededRandom((Number(values.seed) * 2654435761) >>> 0);

type Kind = 'plain' | 'approval' | 'backorder';
interface PlannedOrder {
  key: string;
  kind: Kind;
  paymentToken: string;
  postalCode: string;
}

/** About 70% plain, 15% over the approval threshold, 15% backordered; the demo's business switches among the plain ones. */
const planOrders = (count: number): PlannedOrder[] => Array.from({ length: count }, (_, index) => {
  const draw = mixRandom();
  const kind: Kind = draw < 0.7 ? 'plain' : draw < 0.85 ? 'approval' : 'backorder';
  const business = mixRandom();
  let paymentToken = 'tok_visa';
  let postalCode = '10115';
  if (kind === 'plain') {
    if (business < 0.06) paymentToken = 'tok_declined';
    else if (business < 0.12) paymentToken = 'tok_flaky';
    else if (business < 0.15) paymentToken = 'tok_gateway_down';
    else if (business < 0.18) postalCode = '99999';
    else if (business < 0.21) postalCode = '99998';
  }
  return { key: `chaos-${values.seed}-${index}`, kind, paymentToken, postalCode };
});

interface Products { plain: string; approval: string; backorder: string }

const cleanup = new Cleanup();
// Ctrl-C stops the stack too (its emulator is a process group of its own); a closed terminal must not stop the stopping.
const stopOnSignal = (signal: NodeJS.Signals) => {
  progress(`${signal}: stopping`);
  void cleanup.run(progress).finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);
process.stderr.on('error', () => undefined);

const main = async (): Promise<number> => {
  const faults: FaultSettings | undefined = parseFaults(values.faults, values.seed);
  if (!faults) throw new Error('chaos needs at least one fault: --faults kind=rate,...');
  const stdout = divertStdout(HANDLER_LOG);
  cleanup.add('stdout', () => stdout.restore());
  // The handlers' warnings and errors (console.warn, console.error) go to the same file.
  process.stderr.write = process.stdout.write;
  cleanup.add('stderr', () => { process.stderr.write = stderrWrite; });
  const injections: string[] = [];
  let stack: RunningStack | undefined;
  try {
    progress(`starting the local stack with LOCAL_FAULTS=${values.faults} LOCAL_FAULTS_SEED=${values.seed}; handler logs in ${HANDLER_LOG}`);
    stack = await startDemoStack({
      awsPort: 0,
      httpPort: 0,
      seedCatalogue: false,
      carrierWebhookSecret: 'chaos-carrier-webhook-secret--public',
      approvalLinkKey: LOCAL_APPROVAL_LINK_KEY,
      carrierEventIntervalSeconds: 1,
      faults,
      log: (line) => {
        if (line.startsWith('injected ')) injections.push(line);
        else if (!line.startsWith('simulated carrier')) progress(line);
      },
    });
    const running = stack;
    cleanup.add('stack', () => running.stop());
    const report = await run(running);
    await stdout.write(report.text);
    if (values.keep) {
      await stdout.write(`stack kept: API ${running.httpEndpoint}, AWS ${running.awsEndpoint}, console ${running.httpEndpoint}/_local/console; Ctrl-C stops it\n`);
      await new Promise(() => undefined);
    }
    return report.violations > 0 ? 1 : 0;
  } finally {
    progress(`${injections.length} faults injected; stopping`);
    await cleanup.run(progress);
  }

  async function run(running: RunningStack): Promise<{ text: string; violations: number }> {
    const { httpEndpoint, awsEndpoint, resolver } = running;
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: awsEndpoint, region: REGION, credentials: CREDENTIALS }));
    const sfn = new SFNClient({ endpoint: awsEndpoint, region: REGION, credentials: CREDENTIALS });
    cleanup.add('clients', () => { db.destroy(); sfn.destroy(); });
    const tables = {
      orders: resolver.physicalName('OrdersTable'),
      products: resolver.physicalName('ProductsTable'),
      payments: resolver.physicalName('PaymentsTable'),
      reservations: resolver.physicalName('ReservationsTable'),
    };
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    const products: Products = { plain: `CHAOS-PLAIN-${suffix}`, approval: `CHAOS-APPROVE-${suffix}`, backorder: `CHAOS-BACK-${suffix}` };
    const initial: Record<string, number> = { [products.plain]: 100_000, [products.approval]: 100_000, [products.backorder]: 0 };
    await db.send(new PutCommand({ TableName: tables.products, Item: { sku: products.plain, name: 'Chaos plain', priceAmount: 1500, currency: 'EUR', stock: initial[products.plain] } }));
    await db.send(new PutCommand({ TableName: tables.products, Item: { sku: products.approval, name: 'Chaos approval', priceAmount: 60_000, currency: 'EUR', stock: initial[products.approval] } }));
    await db.send(new PutCommand({ TableName: tables.products, Item: { sku: products.backorder, name: 'Chaos backorder', priceAmount: 2500, currency: 'EUR', stock: initial[products.backorder] } }));

    const tokenOf = async (body: object) => ((await (await fetch(`${httpEndpoint}/_local/token`, { method: 'POST', body: JSON.stringify(body) })).json()) as { accessToken: string }).accessToken;
    const customer = await tokenOf({ sub: 'chaos-customer', expiresIn: 24 * 60 * 60 });
    const admin = await tokenOf({ sub: 'chaos-operator', scope: 'admin', expiresIn: 24 * 60 * 60 });

    const plan = planOrders(ORDERS);
    const placed = new Map<string, PlannedOrder>();
    const unplaced: ChaosSnapshot['unplaced'] = [];
    const status = new Map<string, string>();
    const approved = new Set<string>();
    const alerted = new Set<string>();
    const seenEmails = new Set<string>();
    /** How often each (recipient, subject) was sent: a step re-run after a crash may send its email again. */
    const emailsBySubject = new Map<string, number>();
    const approvalLinks = new Map<string, { link: string; sentAt: string }>();
    const restocks = { units: 0, calls: 0, retries: 0 };
    let placementRetries = 0;
    let approvalAttempts = 0;
    let placing = true;
    const operationsTopic = resolver.physicalName('OperationsAlertsTopic');

    /** A client retries a 5xx or a 409 (still in progress) with the same Idempotency-Key, as the API asks. */
    const place = async (order: PlannedOrder): Promise<void> => {
      const sku = order.kind === 'approval' ? products.approval : order.kind === 'backorder' ? products.backorder : products.plain;
      const body = JSON.stringify({
        email: `${order.key}@example.com`,
        items: [{ sku, quantity: 1 }],
        paymentToken: order.paymentToken,
        shippingAddress: { name: 'Chaos Monkey', line1: '1 Fault Lane', city: 'Berlin', postalCode: order.postalCode, country: 'DE' },
      });
      let answer = '';
      for (let attempt = 1; attempt <= 8; attempt += 1) {
        try {
          const response = await fetch(`${httpEndpoint}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}`, 'idempotency-key': order.key },
            body,
            signal: AbortSignal.timeout(60_000),
          });
          answer = `${response.status} ${(await response.text()).slice(0, 200)}`;
          if (response.status === 201) {
            const { orderId } = JSON.parse(answer.slice(4)) as { orderId: string };
            placed.set(orderId, order);
            return;
          }
          if (response.status < 500 && response.status !== 409) break;
        } catch (error) {
          answer = (error as Error).message;
        }
        placementRetries += 1;
        await sleep(500 * attempt);
      }
      unplaced.push({ key: order.key, answer });
    };

    /** Every email in the outbox, collected as it comes (the outbox keeps the newest 1,000). */
    const readOutbox = async () => {
      const emails = (await (await fetch(`${httpEndpoint}/_local/outbox`)).json()) as { to?: string; subject: string; links: string[]; topicArn: string; attributes?: Record<string, string>; sentAt: string; text: string }[];
      for (const email of emails) {
        const id = `${email.sentAt}|${email.topicArn}|${email.subject}|${email.text}`;
        if (seenEmails.has(id)) continue;
        seenEmails.add(id);
        const sameEmail = `${email.to ?? ''}|${email.subject}|${email.attributes?.orderId ?? ''}`;
        emailsBySubject.set(sameEmail, (emailsBySubject.get(sameEmail) ?? 0) + 1);
        if (email.topicArn.endsWith(`:${operationsTopic}`) && email.attributes?.orderId) alerted.add(email.attributes.orderId);
        const approve = email.links.find((link) => link.endsWith('intent=approve'));
        const orderId = /ord_[0-9a-f]+/.exec(email.subject + email.text)?.[0];
        if (approve && orderId && (approvalLinks.get(orderId)?.sentAt ?? '') < email.sentAt) approvalLinks.set(orderId, { link: approve, sentAt: email.sentAt });
      }
    };

    const approve = async (orderId: string) => {
      const link = approvalLinks.get(orderId)?.link;
      if (!link || approved.has(`${orderId}|${link}`)) return;
      approved.add(`${orderId}|${link}`);
      // An approver whose click met an error (a 5xx, no answer) clicks again; a 4xx is an answer.
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        approvalAttempts += 1;
        const response = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=APPROVE&comment=chaos', signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
        if (response && response.status < 500) return;
        await sleep(500 * attempt);
      }
    };

    const lastRestockAt = { at: 0 };
    /** Backordered orders get stock: one unit per order waiting, at most every 3 s; an operator retries a 5xx with the same key. */
    const restockFor = async (waiting: number) => {
      if (waiting === 0 || performance.now() - lastRestockAt.at < 3000) return;
      lastRestockAt.at = performance.now();
      const key = `restock-${randomUUID()}`;
      for (let attempt = 1; attempt <= 8; attempt += 1) {
        restocks.calls += 1;
        const response = await fetch(`${httpEndpoint}/admin/products/${products.backorder}/restock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'idempotency-key': key },
          body: JSON.stringify({ quantity: waiting }),
          signal: AbortSignal.timeout(30_000),
        }).catch(() => undefined);
        if (response?.status === 200) {
          restocks.units += waiting;
          return;
        }
        restocks.retries += 1;
        await sleep(500 * attempt);
      }
    };

    /** Reads the open orders' statuses, approves what waits for approval, restocks what waits for stock. */
    const watch = async () => {
      await readOutbox();
      const open = [...placed.keys()].filter((orderId) => !FINAL_STATUSES.has(status.get(orderId) ?? ''));
      for (let index = 0; index < open.length; index += 25) {
        const batch = open.slice(index, index + 25);
        await Promise.all(batch.map(async (orderId) => {
          const { Item } = await db.send(new GetCommand({ TableName: tables.orders, Key: { orderId }, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } }));
          if (typeof Item?.status === 'string') status.set(orderId, Item.status);
        }));
      }
      const awaiting = open.filter((orderId) => status.get(orderId) === 'AWAITING_APPROVAL');
      await Promise.all(awaiting.map((orderId) => approve(orderId)));
      await restockFor(open.filter((orderId) => status.get(orderId) === 'BACKORDERED').length);
      return open.length;
    };

    progress(`placing ${ORDERS} orders, ${CONCURRENCY} at a time`);
    const queue = [...plan];
    const watcher = (async () => {
      while (placing) {
        await watch();
        await sleep(1000);
      }
    })();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let order = queue.shift(); order; order = queue.shift()) {
        await place(order);
        if ((placed.size + unplaced.length) % 100 === 0) progress(`${placed.size + unplaced.length} of ${ORDERS} orders placed`);
      }
    }));
    placing = false;
    await watcher;
    const placedAllAt = performance.now();
    progress(`all placed in ${((placedAllAt - startedAt) / 1000).toFixed(0)} s; waiting for them to settle`);

    const settleDeadline = performance.now() + SETTLE_MS;
    let open = await watch();
    while (open > 0 && performance.now() < settleDeadline) {
      await sleep(1000);
      open = await watch();
    }
    // What is still running after the orders settled: duplicates and tails of work, then stuck ones.
    await sleep(3000);
    await readOutbox();
    const settledAt = performance.now();

    const scan = async <T>(table: string): Promise<T[]> => {
      const items: T[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        items.push(...((page.Items ?? []) as T[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const orders: (OrderRow & { failure?: string })[] = (await scan<Record<string, unknown>>(tables.orders))
      .filter((row) => placed.has(String(row.orderId)))
      .map((row) => ({ orderId: String(row.orderId), status: String(row.status), totalAmount: Number(row.totalAmount), failure: row.failureError ? `${String(row.failureError)}: ${String(row.failureCause ?? '').slice(0, 160)}` : undefined }));
    const payments = (await scan<PaymentRow>(tables.payments)).filter((row) => placed.has(row.orderId.replace(/\/backorder$/, '')));
    const reservations = (await scan<ReservationRow>(tables.reservations)).filter((row) => placed.has(row.orderId));
    const productRows = await scan<{ sku: string; stock: number }>(tables.products);
    const productCounts: ProductCount[] = Object.entries(initial).map(([sku, units]) => ({
      sku,
      initial: units,
      restocked: sku === products.backorder ? restocks.units : 0,
      available: Number(productRows.find((row) => row.sku === sku)?.stock ?? Number.NaN),
    }));
    const runningExecutions: RunningExecution[] = [];
    for (const machine of running.provisioned.stateMachines) {
      let nextToken: string | undefined;
      const items: ExecutionListItem[] = [];
      do {
        const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.arn, statusFilter: 'RUNNING', nextToken, maxResults: 1000 }));
        items.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      for (const execution of items) {
        // Work in flight when the orders settled (a carrier webhook just received) is not stuck: it gets a minute to end.
        const graceEnds = performance.now() + 60_000;
        let described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
        while (described.status === 'RUNNING' && performance.now() < graceEnds) {
          await sleep(1000);
          described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
        }
        if (described.status !== 'RUNNING') continue;
        const orderId = /ord_[0-9a-f]+/.exec(`${execution.name ?? ''} ${described.input ?? ''}`)?.[0];
        runningExecutions.push({ machine: machine.arn.split(':').pop() ?? machine.arn, executionArn: execution.executionArn ?? '', ...(orderId ? { orderId } : {}) });
      }
    }

    const invariants = checkInvariants({ orders, unplaced, payments, reservations, products: productCounts, running: runningExecutions, alerted });
    const violations = invariants.reduce((total, invariant) => total + invariant.violations.length, 0);
    const byStatus = new Map<string, number>();
    orders.forEach((order) => byStatus.set(order.status, (byStatus.get(order.status) ?? 0) + 1));
    const byKind = new Map<string, number>();
    plan.forEach((order) => byKind.set(order.kind, (byKind.get(order.kind) ?? 0) + 1));
    // What each kind of order ended as: a plain tok_visa order anywhere but SHIPPED/DELIVERED did not survive the faults.
    const scenarioOf = (order: PlannedOrder) => [order.kind, order.paymentToken === 'tok_visa' ? '' : order.paymentToken, order.postalCode === '10115' ? '' : `postal ${order.postalCode}`].filter(Boolean).join(' ');
    const outcomes = new Map<string, Map<string, number>>();
    for (const order of orders) {
      const planned = placed.get(order.orderId);
      if (!planned) continue;
      const scenario = scenarioOf(planned);
      const statuses = outcomes.get(scenario) ?? new Map<string, number>();
      statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);
      outcomes.set(scenario, statuses);
    }
    const counts = running.faults.counts;
    const calls = running.faults.calls;
    const injected = Object.values(counts).reduce((total, count) => total + count, 0);
    const eligible = Object.values(calls).reduce((total, count) => total + count, 0);
    const lines = [
      `# Chaos run: ${ORDERS} orders, seed ${values.seed}`,
      '',
      `LOCAL_FAULTS=${values.faults}`,
      `orders: ${[...byKind].map(([kind, count]) => `${count} ${kind}`).join(', ')}; business switches among the plain ones (tok_declined, tok_flaky, tok_gateway_down, postal codes 99999 and 99998)`,
      `faults injected: ${injected} into ${eligible} eligible calls (${((100 * injected) / Math.max(1, eligible)).toFixed(1)}%): ${Object.entries(counts).map(([kind, count]) => `${kind} ${count}/${calls[kind as keyof typeof calls]}`).join(', ')}`,
      `placed: ${placed.size} (${placementRetries} client retries), not placed: ${unplaced.length}; approval clicks: ${approvalAttempts}; restocks: ${restocks.units} units in ${restocks.calls} calls (${restocks.retries} retried)`,
      `statuses: ${[...byStatus].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => `${name} ${count}`).join(', ')}`,
      'outcomes by scenario:',
      ...[...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([scenario, statuses]) => `  ${scenario.padEnd(36)} ${[...statuses].map(([name, count]) => `${name} ${count}`).join(', ')}`),
      'orders the faults closed (plain, approval or backorder orders with a good card and address that did not ship):',
      ...orders.filter((order) => { const planned = placed.get(order.orderId); return planned && planned.paymentToken === 'tok_visa' && planned.postalCode === '10115' && !['SHIPPED', 'DELIVERED'].includes(order.status); })
        .map((order) => `  ${order.orderId} ${placed.get(order.orderId)?.kind} ${order.status} ${order.failure ?? ''}`),
      `emails sent more than once (same recipient and subject; at-least-once delivery, not checked): ${[...emailsBySubject.values()].filter((count) => count > 1).length} of ${emailsBySubject.size}`,
      ...[...emailsBySubject].filter(([, count]) => count > 1).slice(0, 10).map(([email, count]) => `  ${count}× ${email}`),
      `executions still RUNNING at the end: ${runningExecutions.length}`,
      `time: ${((placedAllAt - startedAt) / 1000).toFixed(0)} s to place, ${((settledAt - placedAllAt) / 1000).toFixed(0)} s to settle`,
      '',
      ...invariants.flatMap((invariant) => [
        `${invariant.violations.length === 0 ? 'ok  ' : 'FAIL'} ${invariant.name}${invariant.violations.length === 0 ? '' : `: ${invariant.violations.length} violations`}`,
        ...invariant.violations.slice(0, 20).map((violation) => `       ${violation}`),
      ]),
      '',
      `chaos: ${invariants.filter((invariant) => invariant.violations.length === 0).length} invariants held, ${invariants.filter((invariant) => invariant.violations.length > 0).length} violated (${violations} violations)`,
      '',
    ];
    return { text: lines.join('\n'), violations };
  }
};

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${(error as Error).stack ?? String(error)}\n`);
  return 2;
});
