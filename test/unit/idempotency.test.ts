import { createHash } from 'node:crypto';
import { isValidIdempotencyKey, orderIdFor, requestHashOf } from '../../functions/shared/orders/idempotency.js';
import type { OrderRequest } from '../../functions/shared/orders/order.js';
import { validOrderRequest } from './support/order-fixtures.js';

const ORDER_ID = /^ord_[a-f0-9]{32}$/;
const KEY = 'server-side-order-id-key';

describe('orderIdFor', () => {
  it('derives the same order id from the same customer and Idempotency-Key every time', () => {
    // Act
    const first = orderIdFor(KEY, 'cust_42', 'checkout-7f3a');
    const retry = orderIdFor(KEY, 'cust_42', 'checkout-7f3a');

    // Assess
    expect(retry).toBe(first);
    expect(first).toMatch(ORDER_ID);
  });

  it('derives different order ids from different keys', () => {
    // Act
    const ids = new Set(['checkout-1', 'checkout-2', 'Checkout-1', 'checkout-10'].map((key) => orderIdFor(KEY, 'cust_42', key)));

    // Assess
    expect(ids.size).toBe(4);
    for (const id of ids) expect(id).toMatch(ORDER_ID);
  });

  it('draws a fresh random order id for every request without a key', () => {
    // Act
    const ids = Array.from({ length: 20 }, () => orderIdFor(KEY, 'cust_42', undefined));

    // Assess
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(id).toMatch(ORDER_ID);
  });

  it('matches the order id pattern that GET /orders/{orderId} accepts, for the longest key too', () => {
    // Act
    const id = orderIdFor(KEY, 'c'.repeat(255), 'k'.repeat(128));

    // Assess
    expect(id).toMatch(ORDER_ID);
  });

  it('scopes keys to the customer: two customers sending the same key name two orders', () => {
    // Act
    const alices = orderIdFor(KEY, 'alice', 'checkout-1');
    const bobs = orderIdFor(KEY, 'bob', 'checkout-1');

    // Assess
    expect(alices).not.toBe(bobs);
  });

  it('keeps customer and key apart, so no split of one string names another pair', () => {
    // Act
    const one = orderIdFor(KEY, 'ab', 'c');
    const other = orderIdFor(KEY, 'a', 'bc');

    // Assess
    expect(one).not.toBe(other);
  });

  it('cannot be worked out from what a client sends: another server key names another order', () => {
    // Act
    const ours = orderIdFor(KEY, 'alice', 'checkout-1');
    const guessed = orderIdFor('a-key-an-attacker-guessed', 'alice', 'checkout-1');
    const plainHash = `ord_${createHash('sha256').update('order:checkout-1').digest('hex').slice(0, 32)}`;

    // Assess
    expect(ours).not.toBe(guessed);
    expect(ours).not.toBe(plainHash);
  });
});

describe('requestHashOf', () => {
  it('is a hex SHA-256 digest', () => {
    // Act
    const hash = requestHashOf(validOrderRequest());

    // Assess
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
  });

  it('ignores the order of keys at every level of the body', () => {
    // Prepare
    const request = validOrderRequest();
    const reordered: OrderRequest = {
      shippingAddress: {
        country: request.shippingAddress.country,
        postalCode: request.shippingAddress.postalCode,
        city: request.shippingAddress.city,
        line1: request.shippingAddress.line1,
        name: request.shippingAddress.name,
      },
      paymentToken: request.paymentToken,
      items: request.items.map(({ sku, quantity }) => ({ quantity, sku })),
      email: request.email,
      customerId: request.customerId,
    };

    // Act
    const original = requestHashOf(request);
    const shuffled = requestHashOf(reordered);

    // Assess
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(request));
    expect(shuffled).toBe(original);
  });

  it.each<[string, (request: OrderRequest) => OrderRequest]>([
    ['a quantity', (r) => ({ ...r, items: r.items.map((item, index) => (index === 0 ? { ...item, quantity: item.quantity + 1 } : item)) })],
    ['a SKU', (r) => ({ ...r, items: r.items.map((item, index) => (index === 0 ? { ...item, sku: 'OTHER' } : item)) })],
    ['the email', (r) => ({ ...r, email: 'grace@example.com' })],
    ['the payment token', (r) => ({ ...r, paymentToken: 'tok_declined' })],
    ['the country', (r) => ({ ...r, shippingAddress: { ...r.shippingAddress, country: 'DE' } })],
    ['a removed item', (r) => ({ ...r, items: r.items.slice(1) })],
  ])('changes when %s changes', (_, change) => {
    // Prepare
    const request = validOrderRequest();

    // Act
    const original = requestHashOf(request);
    const changed = requestHashOf(change(request));

    // Assess
    expect(changed).not.toBe(original);
  });

  it('does not confuse a value moved from one field to another', () => {
    // Prepare
    const request = validOrderRequest();

    // Act
    const original = requestHashOf({ ...request, customerId: 'a', paymentToken: 'b' });
    const swapped = requestHashOf({ ...request, customerId: 'b', paymentToken: 'a' });

    // Assess
    expect(swapped).not.toBe(original);
  });
});

describe('isValidIdempotencyKey', () => {
  it.each([
    ['a single character', 'a'],
    ['a UUID', '3f1c2a7e-58b4-4d6a-9a7e-0c2f4b1d9e11'],
    ['128 characters', 'k'.repeat(128)],
    ['all printable ASCII punctuation', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'],
  ])('accepts %s', (_, key) => {
    // Act
    const valid = isValidIdempotencyKey(key);

    // Assess
    expect(valid).toBe(true);
  });

  it.each([
    ['an empty key', ''],
    ['129 characters', 'k'.repeat(129)],
    ['a space', 'two words'],
    ['only a space', ' '],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['non-ASCII letters', 'clé'],
    ['a DEL control character', 'a\x7f'],
  ])('refuses %s', (_, key) => {
    // Act
    const valid = isValidIdempotencyKey(key);

    // Assess
    expect(valid).toBe(false);
  });
});
