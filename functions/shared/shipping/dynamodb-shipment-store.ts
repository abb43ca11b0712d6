import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Shipment, ShipmentStore } from './shipment.js';

export const dynamoDbShipmentStore = (db: DynamoDBDocumentClient, tableName: string): ShipmentStore => ({
  async get(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as Shipment | undefined;
  },
  async create(shipment) {
    try {
      await db.send(new PutCommand({ TableName: tableName, Item: shipment, ConditionExpression: 'attribute_not_exists(orderId)' }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  },
});
