import { InvalidRestockError, ProductNotFoundError, RestockUnannouncedError } from '../../functions/shared/errors.js';
import type { Product } from '../../functions/shared/catalogue/product.js';
import { MAX_RESTOCK_QUANTITY, parseRestockRequest, restockProduct, type InventoryEvents, type StockLedger } from '../../functions/shared/catalogue/restock.js';
import { rejectionOf } from './support/rejection.js';

/** A ledger in memory that applies each restockId once, as the conditional write does. */
const memoryLedger = (stock: Record<string, number>): StockLedger & { stock: Record<string, number> } => {
  const applied = new Set<string>();
  const product = (sku: string): Product => ({ sku, name: sku, price: { amount: 100, currency: 'EUR' }, available: stock[sku] ?? 0 });
  return {
    stock,
    async add(sku, quantity, restockId) {
      if (stock[sku] === undefined) return undefined;
      if (applied.has(restockId)) return { product: product(sku), applied: false };
      applied.add(restockId);
      stock[sku] += quantity;
      return { product: product(sku), applied: true };
    },
  };
};

const recordingEvents = (failures = 0): InventoryEvents & { sent: unknown[] } => {
  const sent: unknown[] = [];
  let toFail = failures;
  return {
    sent,
    async restocked(event) {
      if (toFail > 0) {
        toFail -= 1;
        throw Object.assign(new Error('bus unavailable'), { name: 'InternalException' });
      }
      sent.push(event);
    },
  };
};

describe('parseRestockRequest', () => {
  it('reads a whole positive quantity', () => {
    expect(parseRestockRequest({ quantity: 12 })).toEqual({ quantity: 12 });
  });

  it.each<[string, unknown, string[]]>([
    ['no quantity', {}, ['quantity']],
    ['zero', { quantity: 0 }, ['quantity']],
    ['a negative quantity (stock never shrinks here)', { quantity: -5 }, ['quantity']],
    ['a fraction', { quantity: 1.5 }, ['quantity']],
    ['a string', { quantity: '3' }, ['quantity']],
    ['more than the limit', { quantity: MAX_RESTOCK_QUANTITY + 1 }, ['quantity']],
    ['an array', [3], ['quantity']],
    ['an unknown field', { quantity: 3, price: 1 }, ['price']],
  ])('refuses %s, naming the field', (_, body, fields) => {
    // Act
    let thrown: unknown;
    try {
      parseRestockRequest(body);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidRestockError);
    expect((thrown as InvalidRestockError).problems.map(({ field }) => field)).toEqual(fields);
  });
});

describe('restockProduct', () => {
  it('adds the stock, then announces InventoryRestocked with what is now available', async () => {
    // Prepare
    const ledger = memoryLedger({ 'KB-01': 2 });
    const events = recordingEvents();

    // Act
    const result = await restockProduct(ledger, events)({ sku: 'KB-01', quantity: 5, restockId: 'r1' });

    // Assess
    expect(result).toMatchObject({ product: { sku: 'KB-01', available: 7 }, replayed: false });
    expect(events.sent).toEqual([{ sku: 'KB-01', quantity: 5, available: 7, restockId: 'r1' }]);
  });

  it('adds nothing twice for a retried restockId, but announces again', async () => {
    // Prepare
    const ledger = memoryLedger({ 'KB-01': 2 });
    const events = recordingEvents();
    const restock = restockProduct(ledger, events);
    await restock({ sku: 'KB-01', quantity: 5, restockId: 'r1' });

    // Act
    const retry = await restock({ sku: 'KB-01', quantity: 5, restockId: 'r1' });

    // Assess
    expect(retry).toMatchObject({ product: { available: 7 }, replayed: true });
    expect(ledger.stock['KB-01']).toBe(7);
    expect(events.sent).toHaveLength(2);
  });

  it('answers a failed announcement with a retryable error, and the retry announces without adding again', async () => {
    // Prepare
    const ledger = memoryLedger({ 'KB-01': 0 });
    const events = recordingEvents(1);
    const restock = restockProduct(ledger, events);

    // Act
    const error = await rejectionOf(() => restock({ sku: 'KB-01', quantity: 3, restockId: 'r1' }));
    const retry = await restock({ sku: 'KB-01', quantity: 3, restockId: 'r1' });

    // Assess
    expect(error).toBeInstanceOf(RestockUnannouncedError);
    expect((error as Error).message).toContain('retry with the same Idempotency-Key');
    expect(retry.product.available).toBe(3);
    expect(events.sent).toEqual([{ sku: 'KB-01', quantity: 3, available: 3, restockId: 'r1' }]);
  });

  it('refuses an unknown SKU with ProductNotFound and announces nothing', async () => {
    // Prepare
    const events = recordingEvents();

    // Act
    const error = await rejectionOf(() => restockProduct(memoryLedger({}), events)({ sku: 'NOPE', quantity: 1, restockId: 'r1' }));

    // Assess
    expect(error).toBeInstanceOf(ProductNotFoundError);
    expect(events.sent).toEqual([]);
  });
});
