import { priceOrder } from '../../functions/shared/orders/pricing.js';
import { InvalidOrderError } from '../../functions/shared/errors.js';
import type { Product } from '../../functions/shared/catalogue/product.js';

const catalogue = new Map<string, Product>([
  ['KB', { sku: 'KB', name: 'Keyboard', price: { amount: 12900, currency: 'EUR' }, available: 5 }],
]);
const request = {
  customerId: 'c1', email: 'a@b.co', paymentToken: 'tok_visa',
  items: [{ sku: 'KB', quantity: 2 }],
  shippingAddress: { name: 'A', line1: 'L', city: 'C', postalCode: '1', country: 'DE' },
};

describe('priceOrder', () => {
  it('prices lines from the catalogue in cents', () => {
    const order = priceOrder('ord_1', request, catalogue, '2026-01-01T00:00:00.000Z');
    expect(order.total).toEqual({ amount: 25800, currency: 'EUR' });
  });

  it('names the unknown SKU', () => {
    expect(() => priceOrder('ord_1', { ...request, items: [{ sku: 'NOPE', quantity: 1 }] }, catalogue, 'x'))
      .toThrow(InvalidOrderError);
  });
});
