import { parseRestockRequest } from '../../functions/shared/catalogue/restock.js';
import { parseUploadRequest } from '../../functions/shared/documents/upload-request.js';
import type { InvalidInputError } from '../../functions/shared/errors.js';
import { parseOrderRequest } from '../../functions/shared/orders/order-request.js';
import { unknownFields } from '../../functions/shared/validation.js';

const HOSTILE_KEY = `a[0]: b\n${'x'.repeat(80)}`;

const problemsOf = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    return (error as InvalidInputError).problems;
  }
  throw new Error('expected the parser to refuse the body');
};

describe('unknownFields', () => {
  it('names each key that is not allowed, after its prefix, in the order the client sent them', () => {
    // Act
    const problems = unknownFields({ sku: 'KB-01', price: 1, quantity: 1, colour: 'red' }, ['sku', 'quantity'], 'items[0].');

    // Assess
    expect(problems).toEqual([
      { field: 'items[0].price', problem: 'is not a recognised field' },
      { field: 'items[0].colour', problem: 'is not a recognised field' },
    ]);
  });
});

describe('the unknown-field answer of every request body', () => {
  const shown = `a[0]??b?${'x'.repeat(56)}`;

  it.each([
    ['an order', () => parseOrderRequest({ [HOSTILE_KEY]: 1 })],
    ['a restock', () => parseRestockRequest({ quantity: 1, [HOSTILE_KEY]: 1 })],
  ])('shows the key of %s printable and cut to 64 characters, brackets kept', (_, parse) => {
    // Act
    const problems = problemsOf(parse);

    // Assess
    expect(problems).toContainEqual({ field: shown, problem: 'is not a recognised field' });
  });

  it('shows the key of an upload request with its brackets as "?" too, as it always has', () => {
    // Act
    const problems = problemsOf(() => parseUploadRequest({ filename: 'a.pdf', contentType: 'application/pdf', size: 1, [HOSTILE_KEY]: 1 }));

    // Assess
    expect(problems).toEqual([{ field: `a?0???b?${'x'.repeat(56)}`, problem: 'is not a recognised field' }]);
  });
});
