import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { sleep } from './stats.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const TERMINAL = new Set(['SHIPPED', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'APPROVAL_REJECTED', 'APPROVAL_EXPIRED', 'FAILED']);

export interface OrderView {
  orderId: string;
  status: string;
  /** Not in GET /orders (customers see no execution ARN): read from the order's row when it is needed. */
  executionArn?: string;
}

/** An order's fulfilment execution, found as an operator finds it: by the order's id, on its row. */
export const fulfilmentExecutionOf = async (awsEndpoint: string, region: string, ordersTable: string, orderId: string): Promise<string | undefined> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: awsEndpoint, region, credentials: LOCAL_CREDENTIALS }));
  try {
    const { Item } = await db.send(new GetCommand({ TableName: ordersTable, Key: { orderId }, ProjectionExpression: 'executionArn' }));
    return typeof Item?.executionArn === 'string' ? Item.executionArn : undefined;
  } finally {
    db.destroy();
  }
};

/** A product of the benchmark's own with stock no run can exhaust; the price stays under the approval threshold. */
export const createBenchProduct = async (awsEndpoint: string, productsTable: string, region: string): Promise<string> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: awsEndpoint, region, credentials: LOCAL_CREDENTIALS }));
  const sku = `BENCH-${randomUUID().slice(0, 8).toUpperCase()}`;
  await db.send(new PutCommand({ TableName: productsTable, Item: { sku, name: `Benchmark product ${sku}`, priceAmount: 1500, currency: 'EUR', stock: 1_000_000 } }));
  db.destroy();
  return sku;
};

const tokens = new Map<string, Promise<string>>();
/** The benchmark's customer signs in once per stack, at the local issuer. */
const authorization = async (httpEndpoint: string): Promise<Record<string, string>> => {
  let token = tokens.get(httpEndpoint);
  if (!token) {
    token = fetch(`${httpEndpoint}/_local/token`, { method: 'POST', body: JSON.stringify({ sub: 'cust-bench', expiresIn: 24 * 60 * 60 }) })
      .then(async (response) => ((await response.json()) as { accessToken: string }).accessToken);
    tokens.set(httpEndpoint, token);
  }
  return { authorization: `Bearer ${await token}` };
};

const orderBody = (sku: string) => JSON.stringify({
  email: `bench-${randomUUID().slice(0, 8)}@example.com`,
  items: [{ sku, quantity: 1 }],
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Grace Hopper', line1: 'Invalidenstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
});

/** POST /orders; returns the new order id, or throws with the API's answer. */
export const placeOrder = async (httpEndpoint: string, sku: string): Promise<string> => {
  const response = await fetch(`${httpEndpoint}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authorization(httpEndpoint)) },
    body: orderBody(sku),
    signal: AbortSignal.timeout(35_000),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { orderId: string }).orderId;
};

export const getOrder = async (httpEndpoint: string, orderId: string): Promise<OrderView | undefined> => {
  const response = await fetch(`${httpEndpoint}/orders/${orderId}`, { headers: await authorization(httpEndpoint), signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return response.status === 200 ? (JSON.parse(text) as OrderView) : undefined;
};

export interface LatencyRun {
  latenciesMs: number[];
  orderIds: string[];
}

/** Sequential POST /orders, timed from request to fully read response; warm-ups are placed but not timed. */
export const measureIntakeLatency = async (httpEndpoint: string, sku: string, warmups: number, requests: number): Promise<LatencyRun> => {
  const run: LatencyRun = { latenciesMs: [], orderIds: [] };
  for (let index = 0; index < warmups + requests; index += 1) {
    const started = performance.now();
    const orderId = await placeOrder(httpEndpoint, sku);
    const elapsed = performance.now() - started;
    run.orderIds.push(orderId);
    if (index >= warmups) run.latenciesMs.push(elapsed);
  }
  return run;
};

export interface Tracker {
  /** When the order reached a terminal status (as first seen by the poller), ms on performance.now(). */
  finishedAt: Map<string, number>;
  views: Map<string, OrderView>;
}

/**
 * Polls GET /orders/{id} for every order in `pending()` until all reach a terminal status, `isDone()`
 * says no more will come, or the deadline passes. One request at a time, so polling adds little load.
 */
export const pollUntilTerminal = async (
  httpEndpoint: string,
  pending: () => string[],
  isDone: () => boolean,
  deadline: number,
  tracker: Tracker = { finishedAt: new Map(), views: new Map() },
): Promise<Tracker> => {
  while (performance.now() < deadline) {
    const open = pending().filter((orderId) => !tracker.finishedAt.has(orderId));
    if (open.length === 0 && isDone()) break;
    for (const orderId of open) {
      const view = await getOrder(httpEndpoint, orderId);
      if (view && TERMINAL.has(view.status)) {
        tracker.finishedAt.set(orderId, performance.now());
        tracker.views.set(orderId, view);
      }
    }
    await sleep(200);
  }
  return tracker;
};

export interface ThroughputRun {
  orders: number;
  concurrency: number;
  placedAt: Map<string, number>;
  tracker: Tracker;
  startedAt: number;
  placedAllAt: number;
  placementErrors: string[];
  timedOut: boolean;
}

/** Where the fulfilment executions run, so completions can be watched without asking per order. */
export interface FulfilmentMachine {
  awsEndpoint: string;
  region: string;
  stateMachineArn: string;
  /** Where each order's row names its fulfilment execution. */
  ordersTable: string;
}

/**
 * When each fulfilment execution started since `sinceEpochMs` ended, on the performance.now() clock,
 * by execution ARN. One ListExecutions per pass, however many orders are open: asking GET /orders for
 * every open order would put a load on the emulator as large as a fifth client's.
 */
const endedFulfilments = async (sfn: SFNClient, machine: FulfilmentMachine, sinceEpochMs: number): Promise<Map<string, number>> => {
  const ended = new Map<string, number>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, maxResults: 1000, nextToken }));
    for (const execution of page.executions ?? []) {
      if ((execution.startDate?.getTime() ?? 0) < sinceEpochMs - 1_000 || !execution.stopDate) continue;
      ended.set(execution.executionArn!, execution.stopDate.getTime() - performance.timeOrigin);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return ended;
};

/**
 * Places `orders` orders with `concurrency` clients while a watcher lists the fulfilment executions
 * that ended. Once there are as many as orders placed, each order is read once through the API: its
 * status (SHIPPED or not) and its execution, whose stop time is when the order completed. Orders whose
 * execution had not ended by then are polled through the API until they have.
 */
export const measureThroughput = async (httpEndpoint: string, sku: string, orders: number, concurrency: number, budgetMs: number, machine: FulfilmentMachine): Promise<ThroughputRun> => {
  const placedAt = new Map<string, number>();
  const placementErrors: string[] = [];
  let next = 0;
  let placing = true;
  const startedAt = performance.now();
  const startedAtEpochMs = performance.timeOrigin + startedAt;
  const deadline = startedAt + budgetMs;
  const client = async () => {
    while (next < orders) {
      next += 1;
      const started = performance.now();
      try {
        placedAt.set(await placeOrder(httpEndpoint, sku), started);
      } catch (error) {
        placementErrors.push((error as Error).message);
      }
    }
  };
  const placed = Promise.all(Array.from({ length: concurrency }, client)).then(() => {
    placing = false;
    return performance.now();
  });
  const sfn = new SFNClient({ endpoint: machine.awsEndpoint, region: machine.region, credentials: LOCAL_CREDENTIALS });
  let ended = new Map<string, number>();
  // Completion times are the executions' own stopDates, so polling less often costs no precision;
  // each ListExecutions lists every execution of the machine, which is emulator time the orders need.
  while (performance.now() < deadline && (placing || ended.size < placedAt.size)) {
    await sleep(1000);
    ended = await endedFulfilments(sfn, machine, startedAtEpochMs);
  }
  sfn.destroy();
  const placedAllAt = await placed;
  const tracker: Tracker = { finishedAt: new Map(), views: new Map() };
  for (const orderId of placedAt.keys()) {
    const view = await getOrder(httpEndpoint, orderId);
    const executionArn = view && TERMINAL.has(view.status) ? await fulfilmentExecutionOf(machine.awsEndpoint, machine.region, machine.ordersTable, orderId) : undefined;
    const stoppedAt = executionArn ? ended.get(executionArn) : undefined;
    if (view && stoppedAt !== undefined) {
      tracker.finishedAt.set(orderId, stoppedAt);
      tracker.views.set(orderId, { ...view, executionArn });
    }
  }
  await pollUntilTerminal(httpEndpoint, () => [...placedAt.keys()], () => true, deadline, tracker);
  return { orders, concurrency, placedAt, tracker, startedAt, placedAllAt, placementErrors, timedOut: tracker.finishedAt.size < placedAt.size };
};
