import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderReader, OrderRow, ShipmentTrackingRow } from './order-view.js';

export const dynamoDbOrderReader = (db: DynamoDBDocumentClient, ordersTable: string, shipmentsTable: string): OrderReader => ({
  async find(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: ordersTable, Key: { orderId }, ConsistentRead: true }));
    return Item as OrderRow | undefined;
  },
  async findShipmentTracking(orderId) {
    const { Item } = await db.send(new GetCommand({
      TableName: shipmentsTable,
      Key: { orderId },
      ProjectionExpression: 'trackingStatus, history',
      ConsistentRead: true,
    }));
    return Item as ShipmentTrackingRow | undefined;
  },
});
