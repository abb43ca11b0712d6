import { InvalidRestockError, ProductNotFoundError, RestockUnannouncedError } from '../errors.js';
import { isObject, unknownFields } from '../validation.js';
import type { Product } from './product.js';

/**
 * An operator adds stock to a SKU. Stock only ever grows here (ADD of a positive quantity), so no
 * interleaving with reservations can take it below zero. The InventoryRestocked event is what
 * wakes orders waiting for the SKU, so it goes out only once the stock is there; a restock whose
 * event failed is retried with the same Idempotency-Key, which adds nothing twice and sends the event.
 */
export const MAX_RESTOCK_QUANTITY = 100_000;

export interface StockLedger {
  /** Adds the quantity once per restockId (remembered for days); `applied` is false for a restockId seen before. Undefined for an unknown SKU. */
  add(sku: string, quantity: number, restockId: string): Promise<{ product: Product; applied: boolean } | undefined>;
}

export interface InventoryEvents {
  restocked(event: { sku: string; quantity: number; available: number; restockId: string }): Promise<void>;
}

export const parseRestockRequest = (body: unknown): { quantity: number } => {
  const quantity = isObject(body) ? body.quantity : undefined;
  const problems = [
    ...(typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_RESTOCK_QUANTITY
      ? []
      : [{ field: 'quantity', problem: `is required and must be an integer from 1 to ${MAX_RESTOCK_QUANTITY}` }]),
    ...(isObject(body) ? unknownFields(body, ['quantity']) : []),
  ];
  if (problems.length > 0) throw new InvalidRestockError(problems);
  return { quantity: quantity as number };
};

export const restockProduct = (ledger: StockLedger, events: InventoryEvents) =>
  async ({ sku, quantity, restockId }: { sku: string; quantity: number; restockId: string }): Promise<{ product: Product; replayed: boolean }> => {
    const result = await ledger.add(sku, quantity, restockId);
    if (!result) throw new ProductNotFoundError(`no product ${sku}`);
    try {
      await events.restocked({ sku, quantity, available: result.product.available, restockId });
    } catch (error) {
      throw new RestockUnannouncedError(
        `the stock of ${sku} was added but InventoryRestocked could not be sent (${(error as Error).name}); retry with the same Idempotency-Key`,
      );
    }
    return { product: result.product, replayed: !result.applied };
  };
