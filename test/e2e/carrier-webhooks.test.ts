import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { MAX_WEBHOOK_BODY_BYTES, signCarrierWebhook } from '../../functions/shared/shipping/carrier-webhook.js';
import { DEFAULT_CARRIER_WEBHOOK_SECRET } from '../../scripts/demo/stack.js';
import { dynamoDbTrackingStore } from '../../functions/shared/shipping/dynamodb-shipment-store.js';
import { call, orderRequest, outbox, postOrder, waitForStatus, waitForTerminalStatus } from '../support/api.js';
import { pollUntil } from '../support/poll.js';
import { countExecutions, createProduct, db, getRow, listExecutions, MACHINES, TABLES } from '../support/local-aws.js';
import { STAGE_PREFIX } from '../support/workflow-harness.js';

/**
 * Carrier tracking through the real HTTP API: signed webhooks, the carrier-events workflow, and
 * the simulated carrier that posts events for every shipment fulfilment books.
 */
const SECRET = process.env.CARRIER_WEBHOOK_SECRET || DEFAULT_CARRIER_WEBHOOK_SECRET;
const CARRIER_EVENTS = MACHINES.carrierEvents;

interface TrackingEvent { eventId: string; trackingNumber: string; status: string; occurredAt: string }
interface ShipmentRow { trackingStatus?: string; trackingVersion?: number; history?: { eventId: string; status: string; occurredAt: string; recordedAt?: string }[] }

const postEvents = (events: TrackingEvent[], sign: (body: string) => string | undefined = (body) => signCarrierWebhook(SECRET, body)) => {
  const body = JSON.stringify({ events });
  const signature = sign(body);
  return call('/webhooks/carrier', { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'carrier-signature': signature } : {}) }, body });
};

/** A shipments row with no order behind it: the simulated carrier leaves it alone, so the test alone sends its events. */
const bookedShipment = async (): Promise<{ orderId: string; trackingNumber: string }> => {
  const orderId = `ord_${randomUUID().replaceAll('-', '')}`;
  const trackingNumber = `DPTEST${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
  await db.send(new PutCommand({ TableName: TABLES.shipments, Item: { orderId, trackingNumber, carrier: 'DEMO-PARCEL', createdAt: new Date().toISOString() } }));
  return { orderId, trackingNumber };
};

const event = (trackingNumber: string, status: string, occurredAt: string): TrackingEvent => ({ eventId: `evt-${randomUUID()}`, trackingNumber, status, occurredAt });

const shipmentWithHistory = (orderId: string, length: number) =>
  pollUntil(`shipment of ${orderId} with ${length} events`, () => getRow<ShipmentRow>(TABLES.shipments, { orderId }), (row) => (row?.history?.length ?? 0) >= length, 30_000);

describe('a parcel, followed to the door', () => {
  it('takes a demo order to DELIVERED through the simulated carrier, with its tracking history and an email', async () => {
    const sku = await createProduct(5);
    const placed = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }] }));
    const orderId = String(placed.body.orderId);

    const delivered = await waitForStatus(orderId, 'DELIVERED');

    expect(delivered.shipment?.status).toBe('DELIVERED');
    expect(delivered.shipment?.history.map(({ status }) => status)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    // The order is marked DELIVERED a state before the email goes out.
    const sent = await pollUntil('the delivery email', outbox, (emails) => emails.some((email) => email.subject === `Your order ${orderId} has been delivered`), 10_000);
    expect(sent.filter((email) => email.subject.includes(orderId)).map((email) => email.subject)).toEqual([`Your order ${orderId} has been delivered`, `Your order ${orderId} has shipped`]);
  });

  it('alerts operations when the carrier reports an EXCEPTION (postal code 99998), leaving the order SHIPPED', async () => {
    const placed = await postOrder(orderRequest({ shippingAddress: { name: 'Ada Lovelace', line1: '1 Way', city: 'Nowhere', postalCode: '99998', country: 'GB' } }));
    const orderId = String(placed.body.orderId);
    await waitForTerminalStatus(orderId);

    const alert = await pollUntil('the exception alert', outbox, (emails) => emails.some((email) => email.subject === `Carrier exception for order ${orderId}`), 30_000);
    const order = await waitForTerminalStatus(orderId);

    expect(alert.find((email) => email.subject.includes(orderId) && email.subject.startsWith('Carrier'))?.to).toMatch(/operations-alerts/);
    expect(order.status).toBe('SHIPPED');
    expect(order.shipment?.status).toBe('EXCEPTION');
  });
});

describe('tracking events at least once and out of order', () => {
  it('applies the same event sent twice only once', async () => {
    const { orderId, trackingNumber } = await bookedShipment();
    const inTransit = event(trackingNumber, 'IN_TRANSIT', '2026-11-24T08:00:00.000Z');

    const first = await postEvents([inTransit]);
    const again = await postEvents([inTransit, inTransit]);
    await postEvents([event(trackingNumber, 'OUT_FOR_DELIVERY', '2026-11-24T09:00:00.000Z')]);
    const row = await shipmentWithHistory(orderId, 2);

    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body).toEqual({ accepted: 2 });
    expect(row?.history?.map(({ eventId }) => eventId).filter((id) => id === inTransit.eventId)).toHaveLength(1);
    expect(row?.trackingStatus).toBe('OUT_FOR_DELIVERY');
  });

  it('applies one batch holding two shipments\' events, out of order and repeated, once each, with one write per shipment', async () => {
    const first = await bookedShipment();
    const second = await bookedShipment();
    const outForDelivery = event(first.trackingNumber, 'OUT_FOR_DELIVERY', '2026-11-24T09:00:00.000Z');
    const inTransit = event(first.trackingNumber, 'IN_TRANSIT', '2026-11-24T08:00:00.000Z');
    const secondInTransit = event(second.trackingNumber, 'IN_TRANSIT', '2026-11-24T08:30:00.000Z');
    const posted = Date.now();

    const response = await postEvents([outForDelivery, secondInTransit, inTransit, outForDelivery]);
    const [firstRow, secondRow] = await Promise.all([shipmentWithHistory(first.orderId, 2), shipmentWithHistory(second.orderId, 1)]);

    expect(response.body).toEqual({ accepted: 4 });
    expect(firstRow?.history?.map(({ eventId }) => eventId)).toEqual([inTransit.eventId, outForDelivery.eventId]);
    expect(firstRow?.trackingStatus).toBe('OUT_FOR_DELIVERY');
    expect(secondRow?.history?.map(({ eventId }) => eventId)).toEqual([secondInTransit.eventId]);
    expect([firstRow?.trackingVersion, secondRow?.trackingVersion]).toEqual([1, 1]);
    for (const { recordedAt } of [...(firstRow?.history ?? []), ...(secondRow?.history ?? [])]) {
      expect(Date.parse(recordedAt ?? '')).toBeGreaterThanOrEqual(posted - 1000);
    }
  });

  it('never moves a shipment backwards when an older event arrives late', async () => {
    const { orderId, trackingNumber } = await bookedShipment();

    await postEvents([event(trackingNumber, 'OUT_FOR_DELIVERY', '2026-11-24T09:00:00.000Z')]);
    await shipmentWithHistory(orderId, 1);
    await postEvents([event(trackingNumber, 'IN_TRANSIT', '2026-11-24T08:00:00.000Z')]);
    const row = await shipmentWithHistory(orderId, 2);

    expect(row?.trackingStatus).toBe('OUT_FOR_DELIVERY');
    expect(row?.history?.map(({ status }) => status)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY']);
  });

  it('records every event once when batches for one shipment are applied at the same time', async () => {
    const { orderId, trackingNumber } = await bookedShipment();
    const events = Array.from({ length: 8 }, (_, index) => event(trackingNumber, index % 2 === 0 ? 'IN_TRANSIT' : 'OUT_FOR_DELIVERY', `2026-11-24T08:0${index}:00.000Z`));

    const responses = await Promise.all(events.map((one) => postEvents([one])));
    const row = await shipmentWithHistory(orderId, events.length);

    expect(responses.map(({ status }) => status)).toEqual(events.map(() => 202));
    expect(row?.history?.map(({ eventId }) => eventId)).toEqual(events.map(({ eventId }) => eventId));
    expect(row?.trackingVersion).toBe(events.length);
    expect(row?.trackingStatus).toBe('OUT_FOR_DELIVERY');
  });

  it('keeps an event for an unknown tracking number aside, for a person to look at', async () => {
    const unknown = event(`DPNOSUCH${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`, 'IN_TRANSIT', '2026-11-24T08:00:00.000Z');

    const response = await postEvents([unknown]);
    const kept = await pollUntil('the event kept aside', () => getRow(TABLES.unmatchedCarrierEvents, { eventId: unknown.eventId }), (row) => row !== undefined, 30_000);

    expect(response.status).toBe(202);
    expect(kept).toMatchObject({ trackingNumber: unknown.trackingNumber, status: 'IN_TRANSIT', error: 'UnknownTrackingNumber' });
  });
});

describe('the delivery email survives a failed send', () => {
  const sns = new SNSClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' });
  const CUSTOMER_TOPIC = `${STAGE_PREFIX}-customer-notifications`;

  /** A SHIPPED order of the test's own, behind a shipment the simulated carrier leaves alone. */
  const shippedOrder = async () => {
    const shipment = await bookedShipment();
    const email = `ada-${randomUUID()}@example.com`;
    await db.send(new PutCommand({ TableName: TABLES.orders, Item: { orderId: shipment.orderId, status: 'SHIPPED', document: JSON.stringify({ orderId: shipment.orderId, email }) } }));
    return { ...shipment, email };
  };
  const deliveryEmails = async (orderId: string) => (await outbox()).filter((sent) => sent.subject === `Your order ${orderId} has been delivered`);
  const noCarrierEventsRunning = () =>
    pollUntil('carrier-events executions to end', () => listExecutions(CARRIER_EVENTS), (executions) => executions.every(({ status }) => status !== 'RUNNING'), 30_000);

  it('sends exactly one email when the first send failed for good and the carrier redelivers the event, twice at once', async () => {
    const { orderId, trackingNumber, email } = await shippedOrder();
    const delivered = event(trackingNumber, 'DELIVERED', '2026-11-24T15:00:00.000Z');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: CUSTOMER_TOPIC }));

    // The notifications topic is gone while the delivery is processed: every send fails, retries included.
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    let keptAside: Record<string, unknown> | undefined;
    try {
      await postEvents([delivered]);
      keptAside = await pollUntil('the delivery kept aside', () => getRow(TABLES.unmatchedCarrierEvents, { eventId: delivered.eventId }), (row) => row !== undefined, 30_000);
    } finally {
      await sns.send(new CreateTopicCommand({ Name: CUSTOMER_TOPIC }));
    }
    const afterFailure = await getRow<{ status: string }>(TABLES.orders, { orderId });
    const redeliveries = await Promise.all([postEvents([delivered]), postEvents([delivered])]);
    const sent = await pollUntil('the delivery email', () => deliveryEmails(orderId), (emails) => emails.length > 0, 30_000);
    await noCarrierEventsRunning();

    expect(afterFailure?.status).toBe('DELIVERED');
    expect(redeliveries.map(({ status }) => status)).toEqual([202, 202]);
    expect(sent.map(({ to }) => to)).toEqual([email]);
    expect(await deliveryEmails(orderId)).toHaveLength(1);
    expect(keptAside).toMatchObject({ error: 'NotificationUnavailable' });
  });
});

describe('refused webhooks record nothing', () => {
  const now = () => new Date();
  const cases: [string, (body: string) => string | undefined, number, string][] = [
    ['no signature', () => undefined, 401, 'InvalidSignature'],
    ['a wrong secret', (body) => signCarrierWebhook('not-the-secret', body), 401, 'InvalidSignature'],
    ['a tampered body', (body) => signCarrierWebhook(SECRET, body.replace('IN_TRANSIT', 'DELIVERED')), 401, 'InvalidSignature'],
    ['a stale signature (6 minutes old)', (body) => signCarrierWebhook(SECRET, body, new Date(now().getTime() - 6 * 60_000)), 401, 'InvalidSignature'],
    ['a signature from the future (6 minutes ahead)', (body) => signCarrierWebhook(SECRET, body, new Date(now().getTime() + 6 * 60_000)), 401, 'InvalidSignature'],
  ];

  it.each(cases)('refuses %s', async (_, sign, status, error) => {
    const { orderId, trackingNumber } = await bookedShipment();
    const before = await countExecutions(CARRIER_EVENTS);

    const response = await postEvents([event(trackingNumber, 'IN_TRANSIT', now().toISOString())], sign);

    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error, message: expect.any(String) });
    expect(await countExecutions(CARRIER_EVENTS)).toBe(before);
    expect((await getRow<ShipmentRow>(TABLES.shipments, { orderId }))?.history).toBeUndefined();
  });

  it('refuses a body over 256 KB with 413, however well signed', async () => {
    const before = await countExecutions(CARRIER_EVENTS);
    const body = JSON.stringify({ events: [], padding: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) });

    const response = await call('/webhooks/carrier', { method: 'POST', headers: { 'content-type': 'application/json', 'carrier-signature': signCarrierWebhook(SECRET, body) }, body });

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: 'PayloadTooLarge' });
    expect(await countExecutions(CARRIER_EVENTS)).toBe(before);
  });

  it('refuses a signed but malformed batch with 400 naming each problem', async () => {
    const before = await countExecutions(CARRIER_EVENTS);

    const response = await postEvents([{ eventId: 'e1', trackingNumber: 'lower-case', status: 'TELEPORTED', occurredAt: 'yesterday' }]);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'InvalidCarrierEvents' });
    expect((response.body.details as { field: string }[]).map(({ field }) => field)).toEqual(['events[0].trackingNumber', 'events[0].status', 'events[0].occurredAt']);
    expect(await countExecutions(CARRIER_EVENTS)).toBe(before);
  });
});

describe('the tracking store against DynamoDB', () => {
  it('answers a write that lost the race with the row as the winner left it, so the retry needs no read', async () => {
    const { orderId, trackingNumber } = await bookedShipment();
    const store = dynamoDbTrackingStore(db, TABLES.shipments);
    const entry = (eventId: string, minute: number) => ({ eventId, status: 'IN_TRANSIT' as const, occurredAt: `2026-11-24T08:0${minute}:00.000Z`, receivedAt: '2026-11-24T09:00:00.000Z' });
    const winner = { history: [entry('evt-winner', 1)], trackingStatus: 'IN_TRANSIT' as const, lastEventAt: '2026-11-24T08:01:00.000Z' };

    const won = await store.write(orderId, winner, 0);
    const lost = await store.write(orderId, { ...winner, history: [entry('evt-loser', 2)] }, 0);
    const missing = await store.write(`ord_${randomUUID().replaceAll('-', '')}`, winner, 0);

    expect(won).toEqual({ written: true });
    expect(lost).toEqual({ written: false, current: { orderId, trackingNumber, history: winner.history, version: 1 } });
    expect(missing).toEqual({ written: false, current: undefined });
    expect((await getRow<ShipmentRow>(TABLES.shipments, { orderId }))?.history?.map(({ eventId }) => eventId)).toEqual(['evt-winner']);
  });
});
