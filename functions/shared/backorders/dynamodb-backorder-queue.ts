import { DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { isTransactionCancelled } from '../dynamodb.js';
import { skusOf, type Backorder, type BackorderQueue } from './backorder.js';

/** The line of one SKU: the table's `by-sku` index, sorted by placement time. */
export const BACKORDERS_BY_SKU_INDEX = 'by-sku';

interface BackorderRow extends Backorder {
  sku: string;
}

const queryAll = async (db: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<BackorderRow[]> => {
  const rows: BackorderRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    rows.push(...((page.Items ?? []) as BackorderRow[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
};

/** One row per (orderId, sku) of a waiting order; every row carries the whole order's lines and its token. */
export const dynamoDbBackorderQueue = (db: DynamoDBDocumentClient, tableName: string): BackorderQueue => ({
  async add({ orderId, placedAt, items, taskToken }) {
    await db.send(new TransactWriteCommand({
      TransactItems: skusOf(items).map((sku) => ({
        Put: { TableName: tableName, Item: { orderId, sku, placedAt, items, taskToken } },
      })),
    }));
  },

  async waitingFor(sku) {
    const rows = await queryAll(db, {
      TableName: tableName,
      IndexName: BACKORDERS_BY_SKU_INDEX,
      KeyConditionExpression: 'sku = :sku',
      ExpressionAttributeValues: { ':sku': sku },
    });
    return rows.map(({ orderId, placedAt, items, taskToken }) => ({ orderId, placedAt, items, taskToken }));
  },

  async anyoneWaitingFor(sku) {
    const { Items } = await db.send(new QueryCommand({
      TableName: tableName,
      IndexName: BACKORDERS_BY_SKU_INDEX,
      KeyConditionExpression: 'sku = :sku',
      ExpressionAttributeValues: { ':sku': sku },
      ProjectionExpression: 'orderId',
      Limit: 1,
    }));
    return (Items ?? []).length > 0;
  },

  async claim({ orderId, items, taskToken }) {
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: skusOf(items).map((sku) => ({
          Delete: {
            TableName: tableName,
            Key: { orderId, sku },
            // The token too: a retried registration replaced it, and only the new one is waited on.
            ConditionExpression: 'taskToken = :taskToken',
            ExpressionAttributeValues: { ':taskToken': taskToken },
          },
        })),
      }));
      return true;
    } catch (error) {
      if (isTransactionCancelled(error)) return false;
      throw error;
    }
  },

  async withdraw(orderId) {
    const rows = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'orderId = :orderId',
      ExpressionAttributeValues: { ':orderId': orderId },
      ConsistentRead: true,
    });
    // One by one, not in a transaction: a delete of a row a server just claimed is harmless, and
    // must not fail as a transaction conflict with that claim.
    for (const { sku } of rows) await db.send(new DeleteCommand({ TableName: tableName, Key: { orderId, sku } }));
    return rows.length;
  },
});
