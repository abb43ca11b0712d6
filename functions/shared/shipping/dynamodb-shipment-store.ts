import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { Shipment, ShipmentStore } from './shipment.js';

export const dynamoDbShipmentStore = (db: DynamoDBDocumentClient, tableName: string): ShipmentStore => ({
  async get(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as Shipment | undefined;
  },
  create(shipment) {
    return conditionalWrite(db.send(new PutCommand({ TableName: tableName, Item: shipment, ConditionExpression: 'attribute_not_exists(orderId)' })));
  },
});
