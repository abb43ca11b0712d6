import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, isTransactionCancelled } from '../dynamodb.js';
import type { InventoryStore, Reservation } from './inventory.js';

export const dynamoDbInventoryStore = (
  db: DynamoDBDocumentClient,
  tables: { products: string; reservations: string },
): InventoryStore => ({
  async getReservation(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tables.reservations, Key: { orderId }, ConsistentRead: true }));
    return Item as Reservation | undefined;
  },

  async reserve(orderId, items) {
    const now = new Date().toISOString();
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tables.reservations,
              Item: { orderId, status: 'RESERVED', items, updatedAt: now },
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
          ...items.map(({ sku, quantity }) => ({
            Update: {
              TableName: tables.products,
              Key: { sku },
              UpdateExpression: 'SET stock = stock - :quantity',
              ConditionExpression: 'attribute_exists(sku) AND stock >= :quantity',
              ExpressionAttributeValues: { ':quantity': quantity },
            },
          })),
        ],
      }));
      return { kind: 'RESERVED' };
    } catch (error) {
      if (!isTransactionCancelled(error)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'ALREADY_EXISTS' };
      const skus = items.filter((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed').map(({ sku }) => sku);
      if (skus.length > 0) return { kind: 'INSUFFICIENT_STOCK', skus };
      // A hot SKU's concurrent reservations cancel each other with TransactionConflict: busy, not short.
      if (reasons.some(({ Code }) => Code === 'TransactionConflict')) return { kind: 'CONFLICT' };
      // Without reasons (some emulators omit them) the stock check is the only condition left to fail.
      return { kind: 'INSUFFICIENT_STOCK', skus: items.map(({ sku }) => sku) };
    }
  },

  async release({ orderId, items }) {
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tables.reservations,
              Key: { orderId },
              UpdateExpression: 'SET #status = :released, updatedAt = :now',
              ConditionExpression: '#status = :reserved',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED', ':now': new Date().toISOString() },
            },
          },
          ...items.map(({ sku, quantity }) => ({
            Update: {
              TableName: tables.products,
              Key: { sku },
              UpdateExpression: 'SET stock = stock + :quantity',
              ExpressionAttributeValues: { ':quantity': quantity },
            },
          })),
        ],
      }));
      return true;
    } catch (error) {
      if (isTransactionCancelled(error)) return false;
      throw error;
    }
  },

  markReleasedBeforeReserve(orderId) {
    return conditionalWrite(db.send(new PutCommand({
      TableName: tables.reservations,
      Item: { orderId, status: 'RELEASED', items: [], updatedAt: new Date().toISOString() },
      ConditionExpression: 'attribute_not_exists(orderId)',
    })));
  },
});
