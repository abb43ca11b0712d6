import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { signCarrierWebhook, type TrackingEvent } from '../../functions/shared/shipping/carrier-webhook.js';
import { LOCAL_CREDENTIALS } from './orders.js';
import { sleep } from './stats.js';
import { countTransitions, PRICES } from './transitions.js';

/**
 * Carrier webhook ingestion through the local stack: signed batches POSTed by several clients at
 * once, each event timed from its POST to the moment its shipment row shows it, and every event
 * accounted for at the end. The shipments are the benchmark's own (no order behind them), and
 * their events stop short of DELIVERED, so the run measures ingestion rather than order updates.
 */
export interface WebhookSettings {
  shipments: number;
  events: number;
  batchSize: number;
  concurrency: number;
  budgetMs: number;
}

export interface WebhookRun {
  settings: WebhookSettings;
  /** POST → row shows the event, per event seen. */
  latenciesMs: number[];
  sent: number;
  seen: number;
  /** Batches answered other than 202 (the carrier posts them again, as carriers do), by status. */
  retried: Record<string, number>;
  /** Batches still refused after every retry. */
  abandoned: number;
  wallMs: number;
  eventsPerSecond: number;
  transitionsPerBatch: number;
  /** Billed duration of the sampled EXPRESS executions, rounded up to 100 ms as AWS bills it. */
  billedMsPerBatch: number;
}

/** us-east-1: EXPRESS duration for the first 1,000 GB-hours; 64 MB is the smallest memory step. */
const EXPRESS_PER_GB_SECOND = 0.00001667;
const EXPRESS_MEMORY_GB = 64 / 1024;

export const expressCostPerThousandEvents = (run: Pick<WebhookRun, 'settings' | 'billedMsPerBatch'>): number => {
  const executions = 1000 / run.settings.batchSize;
  const requests = (executions * PRICES.expressPerMillionRequests) / 1_000_000;
  const duration = executions * (run.billedMsPerBatch / 1000) * EXPRESS_MEMORY_GB * EXPRESS_PER_GB_SECOND;
  return requests + duration;
};

const trackingNumberFor = (index: number) => `DPBENCH${String(index).padStart(6, '0')}${randomUUID().slice(0, 4).toUpperCase()}`;

const createShipments = async (db: DynamoDBDocumentClient, table: string, count: number): Promise<string[]> => {
  const trackingNumbers = Array.from({ length: count }, (_, index) => trackingNumberFor(index));
  for (let start = 0; start < count; start += 25) {
    await db.send(new BatchWriteCommand({
      RequestItems: {
        [table]: trackingNumbers.slice(start, start + 25).map((trackingNumber) => ({
          PutRequest: { Item: { orderId: `ord_${randomUUID().replaceAll('-', '')}`, trackingNumber, carrier: 'DEMO-PARCEL', createdAt: new Date().toISOString() } },
        })),
      },
    }));
  }
  return trackingNumbers;
};

/** Events spread over the shipments, alternating statuses with rising times, so each applies (none is a duplicate). */
const eventsFor = (trackingNumbers: string[], count: number): TrackingEvent[] => {
  const base = Date.now() - 24 * 60 * 60_000;
  return Array.from({ length: count }, (_, index) => ({
    eventId: `bench-${randomUUID()}`,
    trackingNumber: trackingNumbers[index % trackingNumbers.length]!,
    status: index % 2 === 0 ? 'IN_TRANSIT' : 'OUT_FOR_DELIVERY',
    occurredAt: new Date(base + index * 1000).toISOString(),
  }));
};

export const measureWebhookIngestion = async (
  stack: { httpEndpoint: string; awsEndpoint: string; region: string; shipmentsTable: string; stateMachineArn: string; secret: string },
  settings: WebhookSettings,
  log: (line: string) => void,
): Promise<WebhookRun> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.awsEndpoint, region: stack.region, credentials: LOCAL_CREDENTIALS }));
  const sfn = new SFNClient({ endpoint: stack.awsEndpoint, region: stack.region, credentials: LOCAL_CREDENTIALS });
  try {
    const trackingNumbers = await createShipments(db, stack.shipmentsTable, settings.shipments);
    const events = eventsFor(trackingNumbers, settings.events);
    const batches: TrackingEvent[][] = [];
    for (let start = 0; start < events.length; start += settings.batchSize) batches.push(events.slice(start, start + settings.batchSize));
    const postedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const retried: Record<string, number> = {};
    let abandoned = 0;

    const started = performance.now();
    // Watch the shipments rows while the clients post: an event counts once its row shows it.
    let watching = true;
    const watcher = (async () => {
      while (watching || seenAt.size < postedAt.size) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await db.send(new ScanCommand({ TableName: stack.shipmentsTable, ProjectionExpression: 'history', ExclusiveStartKey: startKey }));
          const now = performance.now();
          for (const item of page.Items ?? []) {
            for (const { eventId } of (item.history as { eventId: string }[] | undefined) ?? []) {
              if (postedAt.has(eventId) && !seenAt.has(eventId)) seenAt.set(eventId, now);
            }
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        if (performance.now() - started > settings.budgetMs) break;
        await sleep(100);
      }
    })();

    let next = 0;
    const client = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const body = JSON.stringify({ events: batch });
        const sentAt = performance.now();
        batch.forEach(({ eventId }) => postedAt.set(eventId, sentAt));
        for (let attempt = 1; ; attempt += 1) {
          const response = await fetch(`${stack.httpEndpoint}/webhooks/carrier`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'carrier-signature': signCarrierWebhook(stack.secret, body) },
            body,
          }).catch(() => undefined);
          await response?.text();
          if (response?.status === 202) break;
          const status = String(response?.status ?? 'no answer');
          retried[status] = (retried[status] ?? 0) + 1;
          if (attempt === 5) {
            abandoned += 1;
            break;
          }
          await sleep(attempt * 1000);
        }
      }
    };
    log(`webhooks: ${events.length} events in ${batches.length} batches of ${settings.batchSize}, ${settings.concurrency} clients`);
    await Promise.all(Array.from({ length: settings.concurrency }, client));
    watching = false;
    await watcher;
    const lastSeen = Math.max(...seenAt.values());
    const latenciesMs = [...seenAt].map(([eventId, at]) => at - (postedAt.get(eventId) ?? at));

    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn, maxResults: 20 }));
    const sample = executions.filter((execution) => execution.status === 'SUCCEEDED').slice(0, 10);
    const transitions = await countTransitions(stack.awsEndpoint, stack.region, sample.map(({ executionArn }) => executionArn!));
    const durations = await Promise.all(sample.map(async ({ executionArn }) => {
      const { startDate, stopDate } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return Math.ceil(((stopDate?.getTime() ?? 0) - (startDate?.getTime() ?? 0)) / 100) * 100;
    }));
    const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return {
      settings,
      latenciesMs,
      sent: events.length,
      seen: seenAt.size,
      retried,
      abandoned,
      wallMs: lastSeen - started,
      eventsPerSecond: seenAt.size / ((lastSeen - started) / 1000),
      transitionsPerBatch: average(transitions.map(({ transitions: count }) => count)),
      billedMsPerBatch: average(durations),
    };
  } finally {
    db.destroy();
    sfn.destroy();
  }
};
