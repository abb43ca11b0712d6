import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sleep } from './stats.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const TERMINAL = new Set(['SHIPPED', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'APPROVAL_REJECTED', 'APPROVAL_EXPIRED', 'FAILED']);

export interface OrderView {
  orderId: string;
  status: string;
  executionArn: string | null;
}

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

/** Places `orders` orders with `concurrency` clients while a poller waits for each to be SHIPPED. */
export const measureThroughput = async (httpEndpoint: string, sku: string, orders: number, concurrency: number, budgetMs: number): Promise<ThroughputRun> => {
  const placedAt = new Map<string, number>();
  const placementErrors: string[] = [];
  let next = 0;
  let placing = true;
  const startedAt = performance.now();
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
  const tracker = await pollUntilTerminal(httpEndpoint, () => [...placedAt.keys()], () => !placing, startedAt + budgetMs);
  const placedAllAt = await placed;
  return { orders, concurrency, placedAt, tracker, startedAt, placedAllAt, placementErrors, timedOut: tracker.finishedAt.size < placedAt.size };
};
