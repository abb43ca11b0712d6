import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { signCarrierWebhook, type TrackingEvent } from '../../functions/shared/shipping/carrier-webhook.js';
import type { TrackingEntry } from '../../functions/shared/shipping/tracking.js';
import { processCpuMs } from './machine.js';
import { LOCAL_CREDENTIALS } from './orders.js';
import { sleep } from './stats.js';
import { countTransitions, PRICES } from './transitions.js';

/**
 * Carrier webhook ingestion through the local stack: signed batches POSTed by several clients,
 * either as fast as the stack answers (a replayed backlog) or at a fixed offered rate, and every event
 * timed from its POST to the moment it was written to its shipment row.
 *
 * The row says when: each history entry carries `recordedAt`, stamped by apply-tracking-events as
 * it issues the write (so one DynamoDB round trip, a few ms here, before the write completes).
 * The handlers run in this process, so both times come from one clock. Watching the rows instead
 * (the benchmark scanned the table ten times a second) took a large share of the emulator's CPU
 * from the system it measured; now the rows are read about once a second, only their `lastEventAt`,
 * only once every batch is posted, and only for the twenty shipments whose newest event was posted
 * last until those have it (then for all that still wait); each shipment's history is read once at
 * the end, which is also where every event is checked to be there exactly once.
 *
 * The shipments are the benchmark's own (no order behind them), and their events stop short of
 * DELIVERED, so the run measures ingestion rather than order updates.
 */
export interface WebhookSettings {
  shipments: number;
  events: number;
  batchSize: number;
  concurrency: number;
  /** Events per second to offer; absent: each client posts its next batch as soon as the last was answered. */
  offeredPerSecond?: number;
  budgetMs: number;
}

export interface WebhookRun {
  settings: WebhookSettings;
  /** POST → written to the shipment row, per event recorded. */
  latenciesMs: number[];
  sent: number;
  /** Events found in their shipment's history. */
  recorded: number;
  /** Events found more than once (must be none). */
  duplicated: number;
  /** Batches answered other than 202 (the carrier posts them again, as carriers do), by status. */
  retried: Record<string, number>;
  /** Batches still refused after every retry. */
  abandoned: number;
  failedExecutions: number;
  /** First POST → last event recorded. */
  wallMs: number;
  /** Events POSTed per second, first POST to last 202. */
  postedPerSecond: number;
  eventsPerSecond: number;
  transitionsPerBatch: number;
  /** Billed duration of the sampled EXPRESS executions, rounded up to 100 ms as AWS bills it. */
  billedMsPerBatch: number;
  /** CPU time per event recorded, over the whole run: the emulator's and this process's (HTTP API, handlers, clients). */
  cpuMsPerEvent: { emulator?: number; node: number };
}

/** us-east-1: EXPRESS duration for the first 1,000 GB-hours; 64 MB is the smallest memory step. */
export const EXPRESS_PER_GB_SECOND = 0.00001667;
const EXPRESS_MEMORY_GB = 64 / 1024;
const OBSERVE_EVERY_MS = 1000;
const OBSERVED_WHILE_DRAINING = 20;

export const expressCostPerThousandEvents = (run: Pick<WebhookRun, 'settings' | 'billedMsPerBatch'>): { requests: number; duration: number } => {
  const executions = 1000 / run.settings.batchSize;
  return {
    requests: (executions * PRICES.expressPerMillionRequests) / 1_000_000,
    duration: executions * (run.billedMsPerBatch / 1000) * EXPRESS_MEMORY_GB * EXPRESS_PER_GB_SECOND,
  };
};

interface BenchShipment {
  orderId: string;
  trackingNumber: string;
  /** The occurredAt of its newest event: once lastEventAt shows it, its history is worth reading. */
  lastOccurredAt: string;
  eventIds: string[];
}

const createShipments = async (db: DynamoDBDocumentClient, table: string, count: number): Promise<BenchShipment[]> => {
  const shipments = Array.from({ length: count }, (_, index): BenchShipment => ({
    orderId: `ord_${randomUUID().replaceAll('-', '')}`,
    trackingNumber: `DPBENCH${String(index).padStart(6, '0')}${randomUUID().slice(0, 4).toUpperCase()}`,
    lastOccurredAt: '',
    eventIds: [],
  }));
  for (let start = 0; start < count; start += 25) {
    await db.send(new BatchWriteCommand({
      RequestItems: {
        [table]: shipments.slice(start, start + 25).map(({ orderId, trackingNumber }) => ({
          PutRequest: { Item: { orderId, trackingNumber, carrier: 'DEMO-PARCEL', createdAt: new Date().toISOString() } },
        })),
      },
    }));
  }
  return shipments;
};

/**
 * Events spread over the shipments, alternating statuses with rising times, so each applies (none
 * is a duplicate) and a batch's events are for different shipments, as a carrier's batch of the
 * last few seconds would be.
 */
const eventsFor = (shipments: BenchShipment[], count: number): TrackingEvent[] => {
  const base = Date.now() - 24 * 60 * 60_000;
  return Array.from({ length: count }, (_, index) => {
    const shipment = shipments[index % shipments.length]!;
    const event: TrackingEvent = {
      eventId: `bench-${randomUUID()}`,
      trackingNumber: shipment.trackingNumber,
      status: index % 2 === 0 ? 'IN_TRANSIT' : 'OUT_FOR_DELIVERY',
      occurredAt: new Date(base + index * 1000).toISOString(),
    };
    shipment.eventIds.push(event.eventId);
    shipment.lastOccurredAt = event.occurredAt;
    return event;
  });
};

const batchGet = async (db: DynamoDBDocumentClient, table: string, orderIds: string[], projection: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < orderIds.length; start += 100) {
    let keys: Record<string, unknown>[] | undefined = orderIds.slice(start, start + 100).map((orderId) => ({ orderId }));
    while (keys && keys.length > 0) {
      const page: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: projection } } }));
      items.push(...(page.Responses?.[table] ?? []));
      keys = page.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
};

const listExecutions = async (sfn: SFNClient, stateMachineArn: string, statusFilter?: 'FAILED' | 'SUCCEEDED'): Promise<ExecutionListItem[]> => {
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults: 1000, nextToken }));
    executions.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return executions;
};

export const measureWebhookIngestion = async (
  stack: { httpEndpoint: string; awsEndpoint: string; region: string; shipmentsTable: string; stateMachineArn: string; secret: string; emulatorPid?: number },
  settings: WebhookSettings,
  log: (line: string) => void,
): Promise<WebhookRun> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.awsEndpoint, region: stack.region, credentials: LOCAL_CREDENTIALS }));
  const sfn = new SFNClient({ endpoint: stack.awsEndpoint, region: stack.region, credentials: LOCAL_CREDENTIALS });
  try {
    const shipments = await createShipments(db, stack.shipmentsTable, settings.shipments);
    const events = eventsFor(shipments, settings.events);
    const batches: TrackingEvent[][] = [];
    for (let start = 0; start < events.length; start += settings.batchSize) batches.push(events.slice(start, start + settings.batchSize));
    const executionsBefore = new Set((await listExecutions(sfn, stack.stateMachineArn)).map(({ executionArn }) => executionArn));
    const postedAt = new Map<string, number>();
    const retried: Record<string, number> = {};
    let abandoned = 0;

    const emulatorCpuBefore = processCpuMs(stack.emulatorPid);
    const nodeCpuBefore = process.cpuUsage();
    const started = Date.now();
    let next = 0;
    const client = async () => {
      while (next < batches.length) {
        const index = next++;
        const batch = batches[index]!;
        if (settings.offeredPerSecond) {
          const due = started + (index * settings.batchSize * 1000) / settings.offeredPerSecond;
          if (due > Date.now()) await sleep(due - Date.now());
        }
        const body = JSON.stringify({ events: batch });
        const sentAt = Date.now();
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
    const offered = settings.offeredPerSecond ? `offered at ${settings.offeredPerSecond} events/s` : 'as fast as answered';
    log(`webhooks: ${events.length} events for ${shipments.length} shipments in ${batches.length} batches of ${settings.batchSize}, ${settings.concurrency} clients, ${offered}`);
    await Promise.all(Array.from({ length: settings.concurrency }, client));
    const postedMs = Date.now() - started;

    // Wait until every shipment's newest event is on its row. Reading every waiting row each second
    // while a backlog drained was the benchmark's own load on what it measured (side by side, as
    // fast as answered: 124-125 events/s reading them all, 128-130 reading twenty).
    const lastPostedAt = (shipment: BenchShipment) => postedAt.get(shipment.eventIds.at(-1)!) ?? 0;
    let waiting = [...shipments].sort((a, b) => lastPostedAt(b) - lastPostedAt(a));
    let observed = waiting.slice(0, OBSERVED_WHILE_DRAINING);
    while (waiting.length > 0 && Date.now() - started < settings.budgetMs) {
      await sleep(OBSERVE_EVERY_MS);
      const lastEventAt = new Map((await batchGet(db, stack.shipmentsTable, observed.map(({ orderId }) => orderId), 'orderId, lastEventAt'))
        .map((item) => [String(item.orderId), String(item.lastEventAt ?? '')]));
      const arrived = new Set(observed.filter((shipment) => lastEventAt.get(shipment.orderId) === shipment.lastOccurredAt));
      waiting = waiting.filter((shipment) => !arrived.has(shipment));
      observed = arrived.size === observed.length ? waiting : observed.filter((shipment) => !arrived.has(shipment));
    }
    // An older event of a shipment may still be in flight behind its newest: read the histories until every event is there.
    const recordedAt = new Map<string, number>();
    const found = new Set<string>();
    const duplicatesOf = new Map<string, number>();
    let incomplete = shipments;
    do {
      if (incomplete !== shipments) await sleep(OBSERVE_EVERY_MS);
      const histories = new Map((await batchGet(db, stack.shipmentsTable, incomplete.map(({ orderId }) => orderId), 'orderId, history'))
        .map((item) => [String(item.orderId), (item.history as TrackingEntry[] | undefined) ?? []]));
      incomplete = incomplete.filter((shipment) => {
        const history = histories.get(shipment.orderId) ?? [];
        const times = new Map<string, number>();
        for (const { eventId } of history) times.set(eventId, (times.get(eventId) ?? 0) + 1);
        duplicatesOf.set(shipment.orderId, [...times.values()].filter((count) => count > 1).length);
        for (const entry of history) {
          if (!postedAt.has(entry.eventId)) continue;
          found.add(entry.eventId);
          if (entry.recordedAt) recordedAt.set(entry.eventId, Date.parse(entry.recordedAt));
        }
        return shipment.eventIds.some((eventId) => !times.has(eventId));
      });
    } while (incomplete.length > 0 && Date.now() - started < settings.budgetMs);
    const duplicated = [...duplicatesOf.values()].reduce((sum, count) => sum + count, 0);
    const emulatorCpuAfter = processCpuMs(stack.emulatorPid);
    const nodeCpu = process.cpuUsage(nodeCpuBefore);

    const lastRecorded = Math.max(...recordedAt.values());
    const latenciesMs = [...recordedAt].map(([eventId, at]) => at - (postedAt.get(eventId) ?? at));
    const ours = (await listExecutions(sfn, stack.stateMachineArn)).filter(({ executionArn }) => !executionsBefore.has(executionArn));
    const sample = ours.filter(({ status }) => status === 'SUCCEEDED').slice(0, 10);
    const transitions = await countTransitions(stack.awsEndpoint, stack.region, sample.map(({ executionArn }) => executionArn!));
    const durations = await Promise.all(sample.map(async ({ executionArn }) => {
      const { startDate, stopDate } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return Math.ceil(((stopDate?.getTime() ?? 0) - (startDate?.getTime() ?? 0)) / 100) * 100;
    }));
    const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    const recorded = found.size;
    return {
      settings,
      latenciesMs,
      sent: events.length,
      recorded,
      duplicated,
      retried,
      abandoned,
      failedExecutions: ours.filter(({ status }) => status === 'FAILED').length,
      wallMs: lastRecorded - started,
      postedPerSecond: events.length / (postedMs / 1000),
      eventsPerSecond: recorded / ((lastRecorded - started) / 1000),
      transitionsPerBatch: average(transitions.map(({ transitions: count }) => count)),
      billedMsPerBatch: average(durations),
      cpuMsPerEvent: {
        emulator: emulatorCpuBefore !== undefined && emulatorCpuAfter !== undefined ? (emulatorCpuAfter - emulatorCpuBefore) / Math.max(1, recorded) : undefined,
        node: (nodeCpu.user + nodeCpu.system) / 1000 / Math.max(1, recorded),
      },
    };
  } finally {
    db.destroy();
    sfn.destroy();
  }
};
