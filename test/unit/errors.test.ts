import { errorMessageOfCause, formatProblems, InvalidOrderError, parseProblems, type Problem } from '../../functions/shared/errors.js';
import { parseOrderRequest } from '../../functions/shared/orders/order-request.js';
import { priceOrder } from '../../functions/shared/orders/pricing.js';
import type { Product } from '../../functions/shared/catalogue/product.js';
import { validOrderBody, validOrderRequest } from './support/order-fixtures.js';

/** Runs `act`, which must throw InvalidOrderError, and returns the error. */
const invalidOrderFrom = (act: () => unknown): InvalidOrderError => {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidOrderError) return error;
    throw error;
  }
  throw new Error('expected an InvalidOrderError, but the call succeeded');
};

describe('formatProblems', () => {
  it('writes one "field: problem" line per problem', () => {
    // Prepare
    const problems: Problem[] = [
      { field: 'items[0].sku', problem: 'unknown SKU "X"' },
      { field: 'email', problem: 'must be an email address' },
    ];

    // Act
    const message = formatProblems(problems);

    // Assess
    expect(message).toBe('items[0].sku: unknown SKU "X"\nemail: must be an email address');
  });

  it('writes nothing for no problems', () => {
    // Act
    const message = formatProblems([]);

    // Assess
    expect(message).toBe('');
  });

  it('is the message of an InvalidOrderError', () => {
    // Prepare
    const problems: Problem[] = [{ field: 'email', problem: 'must be an email address' }];

    // Act
    const error = new InvalidOrderError(problems);

    // Assess
    expect(error.message).toBe(formatProblems(problems));
    expect(error.name).toBe('InvalidOrder');
    expect(error.problems).toBe(problems);
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
    ['a problem that contains "; "', [{ field: 'items[1].sku', problem: 'appears more than once; combine the quantities' }]],
  ])('round-trip %s unchanged', (_, problems) => {
    // Act
    const parsed = parseProblems(formatProblems(problems));

    // Assess
    expect(parsed).toEqual(problems);
  });

  it('round-trip the mixed-currency refusal that priceOrder writes', () => {
    // Prepare
    const catalogue = new Map<string, Product>([
      ['KB-01', { sku: 'KB-01', name: 'Keyboard', price: { amount: 12900, currency: 'EUR' }, available: 5 }],
      ['MOUSE_02', { sku: 'MOUSE_02', name: 'Mouse', price: { amount: 2500, currency: 'USD' }, available: 5 }],
    ]);
    const error = invalidOrderFrom(() => priceOrder('ord_1', validOrderRequest(), catalogue, '2026-01-01T00:00:00.000Z'));

    // Act
    const parsed = parseProblems(error.message);

    // Assess
    expect(parsed).toEqual(error.problems);
    expect(parsed).toHaveLength(1);
  });

  it('round-trip everything parseOrderRequest reports for a thoroughly broken body', () => {
    // Prepare
    const error = invalidOrderFrom(() => parseOrderRequest({
      customerId: '',
      email: 'x',
      items: [{ sku: 'A', quantity: 0 }, { sku: 'A', quantity: 1 }],
      shippingAddress: { country: 'de' },
      extra: true,
    }));

    // Act
    const parsed = parseProblems(error.message);

    // Assess
    expect(error.problems.length).toBeGreaterThan(5);
    expect(parsed).toEqual(error.problems);
  });

  it.each<[string, (key: string) => Record<string, unknown>, string, string]>([
    ['a newline', (key) => ({ ...validOrderBody(), [key]: 1 }), 'note\nfield', 'note?field'],
    ['": "', (key) => ({ ...validOrderBody(), [key]: 1 }), 'note: field', 'note??field'],
    ['both, inside the address', (key) => ({ ...validOrderBody(), shippingAddress: { ...validOrderRequest().shippingAddress, [key]: 1 } }), 'a\nb: c', 'shippingAddress.a?b??c'],
  ])('round-trip the problem parseOrderRequest writes for an unknown key holding %s, under its sanitized name', (_, bodyWith, key, field) => {
    // Prepare
    const error = invalidOrderFrom(() => parseOrderRequest(bodyWith(key)));

    // Act
    const parsed = parseProblems(error.message);

    // Assess
    expect(error.problems).toEqual([{ field, problem: 'is not a recognised field' }]);
    expect(error.message).toBe(`${field}: is not a recognised field`);
    expect(parsed).toEqual(error.problems);
  });
});

describe('errorMessageOfCause', () => {
  it.each([
    ['a Lambda error JSON', JSON.stringify({ errorType: 'OutOfStock', errorMessage: 'not enough stock for KB', trace: ['at x'] }), 'not enough stock for KB'],
    ['plain text', 'The order could not be fulfilled', 'The order could not be fulfilled'],
    ['JSON without a message', '{"reason":"x"}', '{"reason":"x"}'],
    ['nothing', undefined, ''],
  ])('reads %s as what a person should see', (_, cause, expected) => {
    expect(errorMessageOfCause(cause)).toBe(expected);
  });
});
