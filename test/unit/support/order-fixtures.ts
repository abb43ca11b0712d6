import type { OrderRequest } from '../../../functions/shared/orders/order.js';

/** A request that passes every check of parseOrderRequest; tests copy it and break one thing. */
export const validOrderRequest = (): OrderRequest => ({
  customerId: 'cust_42',
  email: 'ada@example.com',
  items: [
    { sku: 'KB-01', quantity: 2 },
    { sku: 'MOUSE_02', quantity: 1 },
  ],
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
});

/** The same request as a loosely typed JSON value, for breaking it in ways the type forbids. */
export const validOrderBody = (): Record<string, unknown> => JSON.parse(JSON.stringify(validOrderRequest())) as Record<string, unknown>;
