import { formatProblems, InvalidOrderError, parseProblems, type Problem } from '../../functions/shared/errors.js';
import { priceOrder } from '../../functions/shared/orders/pricing.js';
import type { Product } from '../../functions/shared/catalogue/product.js';
import { validOrderRequest } from './support/order-fixtures.js';

describe('formatProblems', () => {
  it('writes "field: problem" pairs separated by "; "', () => {
    // Prepare
    const problems: Problem[] = [
      { field: 'items[0].sku', problem: 'unknown SKU "X"' },
      { field: 'email', problem: 'must be an email address' },
    ];

    // Act
    const message = formatProblems(problems);

    // Assess
    expect(message).toBe('items[0].sku: unknown SKU "X"; email: must be an email address');
  });

  it('writes nothing for no problems', () => {
    // Act
    const message = formatProblems([]);

    // Assess
    expect(message).toBe('');
  });
});

describe('parseProblems', () => {
  it('reads a message without any "field: " prefix as one problem with an empty field', () => {
    // Act
    const problems = parseProblems('something went wrong');

    // Assess
    expect(problems).toEqual([{ field: '', problem: 'something went wrong' }]);
  });

  it('splits field from problem at the first ": " only', () => {
    // Act
    const problems = parseProblems('items[0].sku: unknown SKU "a: b"');

    // Assess
    expect(problems).toEqual([{ field: 'items[0].sku', problem: 'unknown SKU "a: b"' }]);
  });

  it('reads an empty message as no problems', () => {
    // Act
    const problems = parseProblems('');

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('formatProblems and parseProblems', () => {
  it.each<[string, Problem[]]>([
    ['one problem', [{ field: 'items[0].sku', problem: 'unknown SKU "X"' }]],
    ['several problems', [
      { field: 'customerId', problem: 'is required and must be a non-empty string' },
      { field: 'items[1].quantity', problem: 'must be an integer from 1 to 100' },
      { field: 'shippingAddress.country', problem: 'must be an ISO 3166-1 alpha-2 code such as "DE"' },
    ]],
    ['a whole-body problem with an empty field', [{ field: '', problem: 'the body must be a JSON object' }]],
    ['a problem that contains ": "', [{ field: 'items[0].sku', problem: 'unknown SKU "a: b"' }]],
  ])('round-trip %s unchanged', (_, problems) => {
    // Act
    const parsed = parseProblems(formatProblems(problems));

    // Assess
    expect(parsed).toEqual(problems);
  });

  it('round-trip the message of an InvalidOrderError into its problems', () => {
    // Prepare
    const error = new InvalidOrderError([
      { field: 'items[0].sku', problem: 'unknown SKU "X"' },
      { field: 'items[2].sku', problem: 'unknown SKU "Y"' },
    ]);

    // Act
    const parsed = parseProblems(error.message);

    // Assess
    expect(parsed).toEqual(error.problems);
  });

  it('BUG: round-trip the problems the code itself writes, even when a problem contains "; "', () => {
    // Prepare: pricing.ts and order-request.ts both write problems with "; " inside them.
    const catalogue = new Map<string, Product>([
      ['KB-01', { sku: 'KB-01', name: 'Keyboard', price: { amount: 12900, currency: 'EUR' }, available: 5 }],
      ['MOUSE_02', { sku: 'MOUSE_02', name: 'Mouse', price: { amount: 2500, currency: 'USD' }, available: 5 }],
    ]);
    let error: InvalidOrderError | undefined;
    try {
      priceOrder('ord_1', validOrderRequest(), catalogue, '2026-01-01T00:00:00.000Z');
    } catch (thrown) {
      error = thrown as InvalidOrderError;
    }
    const duplicate: Problem[] = [{ field: 'items[1].sku', problem: 'appears more than once; combine the quantities' }];

    // Act
    const mixedCurrencies = parseProblems(error?.message ?? '');
    const duplicateSku = parseProblems(formatProblems(duplicate));

    // Assess
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(mixedCurrencies).toEqual(error?.problems);
    expect(duplicateSku).toEqual(duplicate);
  });
});
