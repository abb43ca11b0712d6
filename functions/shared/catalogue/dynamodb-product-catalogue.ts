import { BatchGetCommand, GetCommand, ScanCommand, UpdateCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Product, ProductCatalogue } from './product.js';
import type { StockLedger } from './restock.js';

interface ProductRow {
  sku: string;
  name: string;
  priceAmount: number;
  currency: string;
  stock: number;
}

const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  name: row.name,
  price: { amount: row.priceAmount, currency: row.currency },
  available: row.stock,
});

export const dynamoDbProductCatalogue = (db: DynamoDBDocumentClient, tableName: string): ProductCatalogue => ({
  async findBySkus(skus) {
    const found = new Map<string, Product>();
    if (skus.length === 0) return found;
    let keys: Record<string, unknown>[] | undefined = [...new Set(skus)].map((sku) => ({ sku }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      for (const row of (result.Responses?.[tableName] ?? []) as ProductRow[]) found.set(row.sku, toProduct(row));
      keys = result.UnprocessedKeys?.[tableName]?.Keys;
    }
    return found;
  },

  async listAll() {
    const products: Product[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
      products.push(...((page.Items ?? []) as ProductRow[]).map(toProduct));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return products.sort((a, b) => a.sku.localeCompare(b.sku));
  },
});

/** Restocks on the product row: the restock ids it has applied travel with the stock, in one conditional write. */
export const dynamoDbStockLedger = (db: DynamoDBDocumentClient, tableName: string): StockLedger => ({
  async add(sku, quantity, restockId) {
    try {
      const { Attributes } = await db.send(new UpdateCommand({
        TableName: tableName,
        Key: { sku },
        UpdateExpression: 'ADD stock :quantity, restockIds :restockIds',
        ConditionExpression: 'attribute_exists(sku) AND NOT contains(restockIds, :restockId)',
        ExpressionAttributeValues: { ':quantity': quantity, ':restockIds': new Set([restockId]), ':restockId': restockId },
        ReturnValues: 'ALL_NEW',
      }));
      return { product: toProduct(Attributes as ProductRow), applied: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { sku }, ConsistentRead: true }));
      return Item ? { product: toProduct(Item as ProductRow), applied: false } : undefined;
    }
  },
});
