import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { Shipment, ShipmentStore } from './shipment.js';
import type { TrackingEntry, TrackingStore } from './tracking.js';

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

/** Tracking lives on the shipment's row; the tracking-number index finds the row for a carrier event. */
export const dynamoDbTrackingStore = (db: DynamoDBDocumentClient, tableName: string): TrackingStore => ({
  async orderIdOf(trackingNumber) {
    const { Items = [] } = await db.send(new QueryCommand({
      TableName: tableName,
      IndexName: TRACKING_NUMBER_INDEX,
      KeyConditionExpression: 'trackingNumber = :trackingNumber',
      ExpressionAttributeValues: { ':trackingNumber': trackingNumber },
      Limit: 1,
    }));
    return Items[0]?.orderId as string | undefined;
  },
  async read(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    if (!Item) return undefined;
    return { orderId, trackingNumber: String(Item.trackingNumber), history: (Item.history as TrackingEntry[] | undefined) ?? [], version: Number(Item.trackingVersion ?? 0) };
  },
  write(orderId, { history, trackingStatus, lastEventAt }, expectedVersion) {
    return conditionalWrite(db.send(new UpdateCommand({
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
    })));
  },
});
