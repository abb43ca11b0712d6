import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, conditionalWriteOrItem } from '../dynamodb.js';
import type { Shipment, ShipmentStore } from './shipment.js';
import type { ShipmentTracking, TrackingEntry, TrackingStore } from './tracking.js';

export const dynamoDbShipmentStore = (db: DynamoDBDocumentClient, tableName: string): ShipmentStore => ({
  async get(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as Shipment | undefined;
  },
  create(shipment) {
    return conditionalWrite(db.send(new PutCommand({ TableName: tableName, Item: shipment, ConditionExpression: 'attribute_not_exists(orderId)' })));
  },
});

export const TRACKING_NUMBER_INDEX = 'by-tracking-number';
/** BatchGetItem's limit per call. */
const BATCH_GET_KEYS = 100;
/** A batch holds at most 100 events; this bounds the index queries in flight at once. */
const LOOKUPS_IN_FLIGHT = 10;
/** Tracking numbers whose shipment a warm container remembers (about 100 bytes each). */
const REMEMBERED_TRACKING_NUMBERS = 10_000;
const UNPROCESSED_ATTEMPTS = 5;

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const toTracking = (item: Record<string, unknown>): ShipmentTracking => ({
  orderId: String(item.orderId),
  trackingNumber: String(item.trackingNumber),
  history: (item.history as TrackingEntry[] | undefined) ?? [],
  version: Number(item.trackingVersion ?? 0),
});

/**
 * Tracking lives on the shipment's row; the tracking-number index finds the row for a carrier
 * event. A batch costs one index query per tracking number this container has not looked up
 * before, one consistent BatchGetItem for all its shipments, and one conditional write per shipment.
 *
 * A found answer is kept: a shipment is created once per order (conditional put) with the
 * tracking number the carrier booked, and never re-keyed or deleted, so the answer cannot go
 * stale; a parcel's later events then skip the query. An unknown number is asked about every
 * time (the index may lag a fresh booking).
 */
export const dynamoDbTrackingStore = (db: DynamoDBDocumentClient, tableName: string): TrackingStore => {
  const remembered = new Map<string, string>();
  const remember = (trackingNumber: string, orderId: string) => {
    if (remembered.size >= REMEMBERED_TRACKING_NUMBERS) remembered.delete(remembered.keys().next().value!);
    remembered.set(trackingNumber, orderId);
  };
  return {
    async orderIdsOf(trackingNumbers) {
      const found = new Map<string, string>();
      const pending: string[] = [];
      for (const trackingNumber of new Set(trackingNumbers)) {
        const orderId = remembered.get(trackingNumber);
        if (orderId === undefined) pending.push(trackingNumber);
        else found.set(trackingNumber, orderId);
      }
      const lookUp = async () => {
        for (let trackingNumber = pending.pop(); trackingNumber !== undefined; trackingNumber = pending.pop()) {
          const { Items = [] } = await db.send(new QueryCommand({
            TableName: tableName,
            IndexName: TRACKING_NUMBER_INDEX,
            KeyConditionExpression: 'trackingNumber = :trackingNumber',
            ExpressionAttributeValues: { ':trackingNumber': trackingNumber },
            Limit: 1,
          }));
          const orderId = Items[0]?.orderId as string | undefined;
          if (orderId === undefined) continue;
          found.set(trackingNumber, orderId);
          remember(trackingNumber, orderId);
        }
      };
      await Promise.all(Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, pending.length) }, lookUp));
      return found;
    },

    async read(orderIds) {
      const found = new Map<string, ShipmentTracking>();
      const unique = [...new Set(orderIds)];
      for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
        let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + BATCH_GET_KEYS).map((orderId) => ({ orderId }));
        for (let attempt = 1; keys && keys.length > 0; attempt += 1) {
          // DynamoDB hands back what it could not read in time; ask again for those, a little later each time.
          if (attempt > UNPROCESSED_ATTEMPTS) throw new Error(`${keys.length} shipments were still unread after ${UNPROCESSED_ATTEMPTS} BatchGetItem attempts`);
          if (attempt > 1) await pause(50 * 2 ** attempt);
          const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'orderId, trackingNumber, history, trackingVersion' } },
          }));
          for (const item of result.Responses?.[tableName] ?? []) found.set(String(item.orderId), toTracking(item));
          keys = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },

    async write(orderId, { history, trackingStatus, lastEventAt }, expectedVersion) {
      const lost = await conditionalWriteOrItem(db.send(new UpdateCommand({
        TableName: tableName,
        Key: { orderId },
        UpdateExpression: 'SET history = :history, trackingStatus = :status, lastEventAt = :lastEventAt, trackingVersion = :next',
        ConditionExpression: expectedVersion === 0 ? 'attribute_exists(orderId) AND attribute_not_exists(trackingVersion)' : 'trackingVersion = :expected',
        ExpressionAttributeValues: {
          ':history': history,
          ':status': trackingStatus,
          ':lastEventAt': lastEventAt,
          ':next': expectedVersion + 1,
          ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
        },
        // A lost race answers the row as the winner left it, so the retry needs no read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })));
      return lost === undefined ? { written: true } : { written: false, current: lost.item && toTracking(lost.item) };
    },
  };
};
