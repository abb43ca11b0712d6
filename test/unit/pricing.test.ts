import { priceOrder } from '../../functions/shared/orders/pricing.js';
import { InvalidOrderError } from '../../functions/shared/errors.js';
import type { Product } from '../../functions/shared/catalogue/product.js';
import type { OrderRequest } from '../../functions/shared/orders/order.js';

const catalogue = new Map<string, Product>([
  ['KB', { sku: 'KB', name: 'Keyboard', price: { amount: 12900, currency: 'EUR' }, available: 5 }],
]);
const request = {
  customerId: 'c1', email: 'a@b.co', paymentToken: 'tok_visa',
  items: [{ sku: 'KB', quantity: 2 }],
  shippingAddress: { name: 'A', line1: 'L', city: 'C', postalCode: '1', country: 'DE' },
};

/** Runs priceOrder on a request that must be refused and returns the error. */
const refusalOf = (order: OrderRequest, products: Map<string, Product>): InvalidOrderError => {
  try {
    priceOrder('ord_1', order, products, '2026-01-01T00:00:00.000Z');
  } catch (error) {
    if (error instanceof InvalidOrderError) return error;
    throw error;
  }
  throw new Error('expected priceOrder to refuse the request, but it priced it');
};

const product = (sku: string, amount: number, currency = 'EUR'): [string, Product] =>
  [sku, { sku, name: `Product ${sku}`, price: { amount, currency }, available: 10 }];

describe('priceOrder', () => {
  it('prices lines from the catalogue in cents', () => {
    const order = priceOrder('ord_1', request, catalogue, '2026-01-01T00:00:00.000Z');
    expect(order.total).toEqual({ amount: 25800, currency: 'EUR' });
  });

  it('names the unknown SKU', () => {
    expect(() => priceOrder('ord_1', { ...request, items: [{ sku: 'NOPE', quantity: 1 }] }, catalogue, 'x'))
      .toThrow(InvalidOrderError);
  });

  it('writes one line per item with unit price, quantity and line total, and sums the lines', () => {
    // Prepare
    const products = new Map([product('KB', 12900), product('MOUSE', 2499), product('CABLE', 5)]);
    const order: OrderRequest = { ...request, items: [{ sku: 'KB', quantity: 1 }, { sku: 'MOUSE', quantity: 3 }, { sku: 'CABLE', quantity: 100 }] };

    // Act
    const priced = priceOrder('ord_1', order, products, '2026-01-01T00:00:00.000Z');

    // Assess
    expect(priced.items).toEqual([
      { sku: 'KB', name: 'Product KB', quantity: 1, unitPrice: { amount: 12900, currency: 'EUR' }, lineTotal: { amount: 12900, currency: 'EUR' } },
      { sku: 'MOUSE', name: 'Product MOUSE', quantity: 3, unitPrice: { amount: 2499, currency: 'EUR' }, lineTotal: { amount: 7497, currency: 'EUR' } },
      { sku: 'CABLE', name: 'Product CABLE', quantity: 100, unitPrice: { amount: 5, currency: 'EUR' }, lineTotal: { amount: 500, currency: 'EUR' } },
    ]);
    expect(priced.total).toEqual({ amount: 12900 + 7497 + 500, currency: 'EUR' });
  });

  it('keeps integer cents for prices that are not exact in binary floating point', () => {
    // Prepare: 0.1 + 0.2 style amounts, as cents, must stay exact.
    const products = new Map([product('A', 10), product('B', 20)]);
    const order: OrderRequest = { ...request, items: [{ sku: 'A', quantity: 7 }, { sku: 'B', quantity: 3 }] };

    // Act
    const priced = priceOrder('ord_1', order, products, 'x');

    // Assess
    expect(priced.total.amount).toBe(130);
    expect(Number.isInteger(priced.total.amount)).toBe(true);
  });

  it('uses the currency of the catalogue, not EUR, for a single-currency order', () => {
    // Prepare
    const products = new Map([product('KB', 9900, 'USD'), product('MOUSE', 1000, 'USD')]);
    const order: OrderRequest = { ...request, items: [{ sku: 'KB', quantity: 1 }, { sku: 'MOUSE', quantity: 2 }] };

    // Act
    const priced = priceOrder('ord_1', order, products, 'x');

    // Assess
    expect(priced.total).toEqual({ amount: 11900, currency: 'USD' });
  });

  it('copies the order id, customer, email, address and placedAt into the order, and never the payment token', () => {
    // Act
    const priced = priceOrder('ord_abc', request, catalogue, '2026-02-03T04:05:06.000Z');

    // Assess
    expect(priced).toMatchObject({
      orderId: 'ord_abc',
      customerId: 'c1',
      email: 'a@b.co',
      shippingAddress: request.shippingAddress,
      placedAt: '2026-02-03T04:05:06.000Z',
    });
    expect(JSON.stringify(priced)).not.toContain('tok_visa');
  });

  it('names every unknown SKU by its item index', () => {
    // Prepare
    const order: OrderRequest = { ...request, items: [{ sku: 'NOPE', quantity: 1 }, { sku: 'KB', quantity: 1 }, { sku: 'GONE', quantity: 2 }] };

    // Act
    const error = refusalOf(order, catalogue);

    // Assess
    expect(error.problems).toEqual([
      { field: 'items[0].sku', problem: 'unknown SKU "NOPE"' },
      { field: 'items[2].sku', problem: 'unknown SKU "GONE"' },
    ]);
    expect(error.message).toContain('items[0].sku: unknown SKU "NOPE"');
    expect(error.message).toContain('items[2].sku: unknown SKU "GONE"');
  });

  it('refuses an order that mixes currencies, naming both', () => {
    // Prepare
    const products = new Map([product('KB', 12900, 'EUR'), product('MOUSE', 2500, 'USD')]);
    const order: OrderRequest = { ...request, items: [{ sku: 'KB', quantity: 1 }, { sku: 'MOUSE', quantity: 1 }] };

    // Act
    const error = refusalOf(order, products);

    // Assess
    expect(error.problems).toEqual([
      { field: 'items', problem: 'mixes currencies (EUR, USD); place one order per currency' },
    ]);
  });

  it('reports unknown SKUs and mixed currencies together', () => {
    // Prepare
    const products = new Map([product('KB', 12900, 'EUR'), product('MOUSE', 2500, 'GBP')]);
    const order: OrderRequest = { ...request, items: [{ sku: 'KB', quantity: 1 }, { sku: 'NOPE', quantity: 1 }, { sku: 'MOUSE', quantity: 1 }] };

    // Act
    const error = refusalOf(order, products);

    // Assess
    expect(error.problems.map(({ field }) => field)).toEqual(['items[1].sku', 'items']);
    expect(error.problems[1]?.problem).toContain('EUR, GBP');
  });
});
