import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderReader, OrderRow } from './order-view.js';

export const dynamoDbOrderReader = (db: DynamoDBDocumentClient, tableName: string): OrderReader => ({
  async find(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as OrderRow | undefined;
  },
});
