import type { Product, ProductCatalogue } from '../../functions/shared/catalogue/product.js';
import { InvalidOrderError } from '../../functions/shared/errors.js';
import type { IntakeInput } from '../../functions/shared/orders/place-order.js';
import { validateOrder } from '../../functions/shared/orders/validate-order.js';
import { rejectionOf } from './support/rejection.js';
import { validOrderRequest } from './support/order-fixtures.js';

const catalogue: ProductCatalogue = {
  async findBySkus(skus) {
    return new Map(skus.map((sku): [string, Product] => [sku, { sku, name: sku, price: { amount: 1000, currency: 'EUR' }, available: 10 }]));
  },
  async listAll() {
    return [];
  },
};

const input = (request: Record<string, unknown>): IntakeInput =>
  ({ orderId: 'ord_0123456789abcdef0123456789abcdef', requestHash: 'h', request, receivedAt: '2026-11-24T10:00:00.000Z' }) as unknown as IntakeInput;

describe('validateOrder', () => {
  it("prices the order for the customer place-order put on it", async () => {
    // Act
    const { order } = await validateOrder(catalogue)(input({ ...validOrderRequest(), customerId: 'alice' }));

    // Assess
    expect(order.customerId).toBe('alice');
    expect(order.total).toEqual({ amount: 3000, currency: 'EUR' });
  });

  it('refuses an intake input without a customer: every order belongs to someone', async () => {
    // Prepare
    const { customerId: _, ...withoutCustomer } = validOrderRequest();

    // Act
    const error = await rejectionOf(() => validateOrder(catalogue)(input(withoutCustomer)));

    // Assess
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect((error as InvalidOrderError).problems).toEqual([{ field: 'customerId', problem: 'is required: intake records every order for a customer' }]);
  });
});
