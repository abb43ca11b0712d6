import { BatchGetCommand, ScanCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Product, ProductCatalogue } from './product.js';

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
