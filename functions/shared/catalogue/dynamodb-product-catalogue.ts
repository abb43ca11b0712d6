import { BatchGetCommand, GetCommand, ScanCommand, TransactWriteCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isTransactionCancelled } from '../dynamodb.js';
import { RestockConflictError } from '../errors.js';
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

/** How long a restock id is remembered: a retry with the same Idempotency-Key within this adds nothing twice. */
export const RESTOCK_ID_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** Tries of a restock whose transaction another write to the row cancelled, before the caller is asked to retry. */
const RESTOCK_ATTEMPTS = 3;

/**
 * Each restock is an item of its own in the restocks table (keyed by SKU and restock id, deleted
 * by TTL once its retention has passed), written in the same transaction as the stock it adds: the
 * product row stays the same size however many restocks a SKU takes, and a restock id is applied
 * once for as long as it is remembered.
 */
export const dynamoDbStockLedger = (
  db: DynamoDBDocumentClient,
  tables: { products: string; restocks: string },
  now: () => Date = () => new Date(),
): StockLedger => {
  const productOf = async (sku: string): Promise<Product | undefined> => {
    const { Item } = await db.send(new GetCommand({ TableName: tables.products, Key: { sku }, ConsistentRead: true }));
    return Item ? toProduct(Item as ProductRow) : undefined;
  };
  return {
    async add(sku, quantity, restockId) {
      for (let attempt = 1; ; attempt += 1) {
        const appliedAt = now();
        try {
          await db.send(new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.restocks,
                  Item: { sku, restockId, quantity, appliedAt: appliedAt.toISOString(), expiresAt: Math.floor(appliedAt.getTime() / 1000) + RESTOCK_ID_RETENTION_SECONDS },
                  ConditionExpression: 'attribute_not_exists(restockId)',
                },
              },
              {
                Update: {
                  TableName: tables.products,
                  Key: { sku },
                  UpdateExpression: 'ADD stock :quantity',
                  ConditionExpression: 'attribute_exists(sku)',
                  ExpressionAttributeValues: { ':quantity': quantity },
                },
              },
            ],
          }));
          break;
        } catch (error) {
          if (!isTransactionCancelled(error)) throw error;
          // The items decide, not the cancellation reasons (some emulators omit them): a restock
          // item means this id was applied before; no product row means an unknown SKU. Anything
          // else (a conflict with an order's reservation of the same row) applied nothing.
          const { Item } = await db.send(new GetCommand({ TableName: tables.restocks, Key: { sku, restockId }, ConsistentRead: true }));
          const product = await productOf(sku);
          if (Item && product) return { product, applied: false };
          if (!product) return undefined;
          if (attempt === RESTOCK_ATTEMPTS) {
            throw new RestockConflictError(`other writes to the stock of ${sku} kept cancelling this restock (${attempt} tries); nothing was added: retry with the same Idempotency-Key`);
          }
        }
      }
      // Read after the write: a transaction answers no item, and the stock may have moved since.
      const product = await productOf(sku);
      return product && { product, applied: true };
    },
  };
};
