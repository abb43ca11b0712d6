import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { signCarrierWebhook, type TrackingEvent, type TrackingStatus } from '../../functions/shared/shipping/carrier-webhook.js';

/**
 * A stand-in for the carrier's side: for every shipment booked while the stack runs, it posts
 * signed tracking webhooks to the HTTP API a few seconds apart, as a carrier does, so a demo order
 * goes all the way to DELIVERED. A parcel to postal code 99998 ends in an EXCEPTION instead.
 * It learns of bookings by reading the shipments and orders tables (the demo carrier books in-process).
 */
export const CARRIER_EXCEPTION_POSTAL_CODE = '99998';
const JOURNEY: TrackingStatus[] = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'];
const TROUBLED_JOURNEY: TrackingStatus[] = ['IN_TRANSIT', 'EXCEPTION'];
const POLL_MS = 500;
const POST_ATTEMPTS = 5;

export interface SimulatedCarrierOptions {
  awsEndpoint: string;
  region: string;
  shipmentsTable: string;
  ordersTable: string;
  webhookUrl: string;
  secret: string;
  /** Seconds between a parcel's events. */
  intervalSeconds: number;
  log: (line: string) => void;
}

export interface SimulatedCarrier {
  stop(): void;
}

export const startSimulatedCarrier = (options: SimulatedCarrierOptions): SimulatedCarrier => {
  const { awsEndpoint, region, shipmentsTable, ordersTable, webhookUrl, secret, intervalSeconds, log } = options;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: awsEndpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
  const known = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, action: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) action().catch((error: Error) => log(`simulated carrier: ${error.message}`));
    }, ms);
    timers.add(timer);
  };

  /** Posts like a carrier: retried with a growing pause on anything but a 2xx. */
  const post = async (event: TrackingEvent, attempt = 1): Promise<void> => {
    const body = JSON.stringify({ events: [event] });
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'carrier-signature': signCarrierWebhook(secret, body) },
      body,
    }).catch((error: Error) => ({ ok: false, status: 0, text: async () => error.message }));
    if (response.ok) return;
    if (attempt >= POST_ATTEMPTS) throw new Error(`gave up on ${event.eventId} after ${attempt} attempts (HTTP ${response.status}: ${await response.text()})`);
    later(attempt * 1000, () => post(event, attempt + 1));
  };

  /** No journey for a shipments row without an order: fulfilment did not book it. */
  const journeyOf = async (orderId: string): Promise<TrackingStatus[]> => {
    const { Item } = await db.send(new GetCommand({ TableName: ordersTable, Key: { orderId }, ProjectionExpression: '#document', ExpressionAttributeNames: { '#document': 'document' } }));
    if (!Item) return [];
    const postalCode = (JSON.parse(String(Item.document)) as { shippingAddress?: { postalCode?: string } }).shippingAddress?.postalCode;
    return postalCode === CARRIER_EXCEPTION_POSTAL_CODE ? TROUBLED_JOURNEY : JOURNEY;
  };

  const dispatch = async (orderId: string, trackingNumber: string) => {
    const journey = await journeyOf(orderId);
    journey.forEach((status, index) => later((index + 1) * intervalSeconds * 1000, () => post({
      eventId: `${trackingNumber}-${status}`,
      trackingNumber,
      status,
      occurredAt: new Date().toISOString(),
    })));
  };

  const poll = async () => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: shipmentsTable, ProjectionExpression: 'orderId, trackingNumber', ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const orderId = String(item.orderId);
        if (known.has(orderId)) continue;
        known.add(orderId);
        await dispatch(orderId, String(item.trackingNumber));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  const loop = () => later(POLL_MS, async () => {
    await poll().catch((error: Error) => log(`simulated carrier: ${error.message}`));
    loop();
  });
  loop();

  return {
    stop() {
      stopped = true;
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
      db.destroy();
    },
  };
};
