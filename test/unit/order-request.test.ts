import { formatProblems, InvalidOrderError, type Problem } from '../../functions/shared/errors.js';
import { ORDER_LIMITS, orderRequestOf, parseOrderRequest } from '../../functions/shared/orders/order-request.js';
import { validOrderBody, validOrderRequest } from './support/order-fixtures.js';

/** Runs the parser on a body that must be refused and returns what it named. */
const problemsOf = (body: unknown): Problem[] => {
  try {
    parseOrderRequest(body);
  } catch (error) {
    if (error instanceof InvalidOrderError) return error.problems;
    throw error;
  }
  throw new Error('expected parseOrderRequest to refuse the body, but it accepted it');
};

const fieldsOf = (body: unknown): string[] => problemsOf(body).map(({ field }) => field);

const withTop = (changes: Record<string, unknown>): Record<string, unknown> => ({ ...validOrderBody(), ...changes });

const withoutTop = (key: string): Record<string, unknown> => {
  const body = validOrderBody();
  delete body[key];
  return body;
};

const withAddress = (changes: Record<string, unknown>): Record<string, unknown> => {
  const body = validOrderBody();
  return { ...body, shippingAddress: { ...(body.shippingAddress as Record<string, unknown>), ...changes } };
};

const withoutAddressField = (key: string): Record<string, unknown> => {
  const body = validOrderBody();
  const address = { ...(body.shippingAddress as Record<string, unknown>) };
  delete address[key];
  return { ...body, shippingAddress: address };
};

const withItems = (items: unknown): Record<string, unknown> => withTop({ items });

const skus = (count: number): { sku: string; quantity: number }[] =>
  Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 }));

describe('parseOrderRequest', () => {
  describe('a valid request', () => {
    it('returns the request unchanged', () => {
      // Prepare
      const body = validOrderBody();

      // Act
      const request = parseOrderRequest(body);

      // Assess
      expect(request).toEqual(validOrderRequest());
    });

    it('accepts the limits themselves: 25 items, quantity 1 and 100, strings at their maximum length', () => {
      // Prepare
      const items = skus(ORDER_LIMITS.maxItems).map((item, index) => ({ ...item, quantity: index === 0 ? ORDER_LIMITS.maxQuantity : 1 }));
      const localPart = 'a'.repeat(ORDER_LIMITS.maxEmailLength - '@example.com'.length);
      const body = {
        ...withTop({ items, customerId: 'c'.repeat(ORDER_LIMITS.maxCustomerIdLength), email: `${localPart}@example.com` }),
        shippingAddress: {
          name: 'n'.repeat(ORDER_LIMITS.maxNameLength),
          line1: 'l'.repeat(ORDER_LIMITS.maxLineLength),
          city: 'c'.repeat(ORDER_LIMITS.maxNameLength),
          postalCode: '9'.repeat(ORDER_LIMITS.maxPostalCodeLength),
          country: 'DE',
        },
      };

      // Act
      const request = parseOrderRequest(body);

      // Assess
      expect(request.items).toHaveLength(25);
      expect(request.items[0]?.quantity).toBe(100);
      expect(request.email).toHaveLength(ORDER_LIMITS.maxEmailLength);
    });
  });

  describe('a body that is not a JSON object', () => {
    it.each([
      ['null', null],
      ['an array', [validOrderBody()]],
      ['a string', JSON.stringify(validOrderBody())],
      ['a number', 42],
      ['undefined', undefined],
    ])('refuses %s as a whole', (_, body) => {
      // Act
      const problems = problemsOf(body);

      // Assess
      expect(problems).toEqual([{ field: '', problem: 'the body must be a JSON object' }]);
    });
  });

  describe('top-level fields', () => {
    it.each(['email', 'paymentToken'])('names %s when it is missing', (key) => {
      // Act
      const problems = problemsOf(withoutTop(key));

      // Assess
      expect(problems).toEqual([{ field: key, problem: 'is required and must be a non-empty string' }]);
    });

    it('accepts a body without customerId: the token names the customer', () => {
      // Act
      const request = parseOrderRequest(withoutTop('customerId'));

      // Assess
      expect(request).not.toHaveProperty('customerId');
      expect(request.email).toBe(validOrderRequest().email);
    });

    it.each(['auth0|5f7c8ec7c33c6c004bbafe82', 'https://issuer.example/users/42', 'cust 42'])('accepts the customerId %p: a token sub is the issuer\'s choice of string', (customerId) => {
      // Act
      const request = parseOrderRequest(withTop({ customerId }));

      // Assess
      expect(request.customerId).toBe(customerId);
    });

    it.each([
      ['customerId', 42],
      ['customerId', null],
      ['email', ['ada@example.com']],
      ['paymentToken', { token: 'tok_visa' }],
      ['paymentToken', true],
    ])('names %s when it is not a string (%p)', (key, value) => {
      // Act
      const fields = fieldsOf(withTop({ [key]: value }));

      // Assess
      expect(fields).toEqual([key]);
    });

    it.each(["ada.lovelace+orders@example.co.uk", "o'brien@example.ie", 'ada@xn--bcher-kva.example', 'ADA_1@sub-domain.example.museum'])(
      'accepts %p as an email address',
      (email) => {
        expect(parseOrderRequest(withTop({ email })).email).toBe(email);
      },
    );

    it.each(['customerId', 'email', 'paymentToken'])('names %s when it is empty or only whitespace', (key) => {
      // Act
      const emptyFields = fieldsOf(withTop({ [key]: '' }));
      const blankFields = fieldsOf(withTop({ [key]: '   ' }));

      // Assess
      expect(emptyFields).toEqual([key]);
      expect(blankFields).toEqual([key]);
    });

    it.each([
      ['customerId', ORDER_LIMITS.maxCustomerIdLength],
      ['paymentToken', ORDER_LIMITS.maxIdLength],
    ])('names %s when it is longer than %d characters', (key, limit) => {
      // Act
      const problems = problemsOf(withTop({ [key]: 'x'.repeat(limit + 1) }));

      // Assess
      expect(problems).toEqual([{ field: key, problem: `must be at most ${limit} characters` }]);
    });

    it('names email when it is longer than 254 characters', () => {
      // Prepare
      const email = `${'a'.repeat(ORDER_LIMITS.maxEmailLength - '@example.com'.length + 1)}@example.com`;

      // Act
      const problems = problemsOf(withTop({ email }));

      // Assess
      expect(problems).toEqual([{ field: 'email', problem: 'must be at most 254 characters' }]);
    });

    it.each([
      'ada', 'ada@example', '@example.com', 'ada@', 'ada lovelace@example.com', 'ada@@example.com', 'ada@exa mple.com',
      // URLs that hold an @: each would become a link in an email we send.
      'https://evil.example/pay@example.com', 'http://ada@evil.example', 'evil.example/login@example.com', 'javascript:alert(1)//@example.com',
      'ada@evil.example/login', 'ada@evil.example?x=1', '.ada@example.com', 'ada..lovelace@example.com', 'ada@-example.com', 'ada@example.c0m',
    ])(
      'names email when %p is not an email address',
      (email) => {
        // Act
        const problems = problemsOf(withTop({ email }));

        // Assess
        expect(problems).toEqual([{ field: 'email', problem: 'must be an email address' }]);
      },
    );

    it.each([
      ['paymentToken', 'tok.visa'],
      ['paymentToken', 'tök'],
    ])('names %s when %p holds characters other than letters, digits, "-" and "_"', (key, value) => {
      // Act
      const problems = problemsOf(withTop({ [key]: value }));

      // Assess
      expect(problems).toEqual([{ field: key, problem: 'may contain only letters, digits, "-" and "_"' }]);
    });

    it('names every unknown top-level field', () => {
      // Act
      const problems = problemsOf(withTop({ total: 1, discountCode: 'FREE' }));

      // Assess
      expect(problems).toEqual([
        { field: 'total', problem: 'is not a recognised field' },
        { field: 'discountCode', problem: 'is not a recognised field' },
      ]);
    });

    it.each([
      ['a newline', 'note\nfield', 'note?field'],
      ['": "', 'note: field', 'note??field'],
      ['a tab and a carriage return', 'a\tb\rc', 'a?b?c'],
      ['non-ASCII letters', 'größe', 'gr??e'],
      ['an emoji (two UTF-16 units)', 'a\u{1F600}b', 'a??b'],
      ['quotes and a semicolon', '"x";y', '?x??y'],
    ])('names an unknown key holding %s with every character outside [A-Za-z0-9_.$[\\]-] shown as "?"', (_, key, shown) => {
      // Act
      const problems = problemsOf(withTop({ [key]: 1 }));

      // Assess
      expect(problems).toEqual([{ field: shown, problem: 'is not a recognised field' }]);
    });

    it('names an unknown key made only of allowed characters as it is', () => {
      // Prepare
      const key = 'aZ09_.$[0]-x';

      // Act
      const problems = problemsOf(withTop({ [key]: 1 }));

      // Assess
      expect(problems).toEqual([{ field: key, problem: 'is not a recognised field' }]);
    });

    it(`cuts the name of a long unknown key to ${ORDER_LIMITS.maxIdLength} characters`, () => {
      // Prepare
      const key = `${'k'.repeat(ORDER_LIMITS.maxIdLength)}\nMORE`;

      // Act
      const problems = problemsOf(withTop({ [key]: 1 }));

      // Assess
      expect(problems).toEqual([{ field: 'k'.repeat(ORDER_LIMITS.maxIdLength), problem: 'is not a recognised field' }]);
    });

    it('sanitizes unknown keys inside an item and the address too, after their prefix', () => {
      // Prepare
      const body = withAddress({ 'x: y': 1 });
      (body.items as Record<string, unknown>[])[0] = { sku: 'KB-01', quantity: 1, 'p\nq': 1 };

      // Act
      const problems = problemsOf(body);

      // Assess
      expect(problems).toEqual(expect.arrayContaining([
        { field: 'items[0].p?q', problem: 'is not a recognised field' },
        { field: 'shippingAddress.x??y', problem: 'is not a recognised field' },
      ]));
      expect(problems).toHaveLength(2);
    });
  });

  describe('items', () => {
    it.each([
      ['missing', undefined],
      ['an object', { sku: 'KB-01', quantity: 1 }],
      ['a string', 'KB-01'],
      ['null', null],
    ])('names items when it is %s', (_, items) => {
      // Act
      const problems = problemsOf(withItems(items));

      // Assess
      expect(problems).toEqual([{ field: 'items', problem: 'is required and must be an array' }]);
    });

    it('names items when it is empty', () => {
      // Act
      const problems = problemsOf(withItems([]));

      // Assess
      expect(problems).toEqual([{ field: 'items', problem: 'must contain at least one item' }]);
    });

    it('names items when it has 26 entries', () => {
      // Act
      const problems = problemsOf(withItems(skus(ORDER_LIMITS.maxItems + 1)));

      // Assess
      expect(problems).toEqual([{ field: 'items', problem: 'must contain at most 25 items' }]);
    });

    it.each([
      ['0', 0],
      ['negative', -1],
      ['fractional', 1.5],
      ['a numeric string', '2'],
      ['over 100', 101],
      ['null', null],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('names items[1].quantity when it is %s', (_, quantity) => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'KB-01', quantity: 1 }, { sku: 'MOUSE_02', quantity }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[1].quantity', problem: 'must be an integer from 1 to 100' }]);
    });

    it('names items[0].quantity when it is missing', () => {
      // Act
      const fields = fieldsOf(withItems([{ sku: 'KB-01' }]));

      // Assess
      expect(fields).toEqual(['items[0].quantity']);
    });

    it.each([
      ['missing', undefined],
      ['a number', 7],
      ['empty', ''],
    ])('names items[0].sku when it is %s', (_, sku) => {
      // Act
      const problems = problemsOf(withItems([{ sku, quantity: 1 }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[0].sku', problem: 'is required and must be a non-empty string' }]);
    });

    it('names items[0].sku when it is longer than 64 characters', () => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'S'.repeat(65), quantity: 1 }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[0].sku', problem: 'must be at most 64 characters' }]);
    });

    it('names items[0].sku when it holds forbidden characters', () => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'KB 01', quantity: 1 }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[0].sku', problem: 'may contain only letters, digits, "-" and "_"' }]);
    });

    it('names the second occurrence of a duplicate SKU', () => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'KB-01', quantity: 1 }, { sku: 'MOUSE_02', quantity: 1 }, { sku: 'KB-01', quantity: 2 }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[2].sku', problem: 'appears more than once; combine the quantities' }]);
    });

    it.each([
      ['null', null],
      ['a string', 'KB-01'],
      ['an array', ['KB-01', 1]],
    ])('names items[1] when an item is %s', (_, item) => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'KB-01', quantity: 1 }, item]));

      // Assess
      expect(problems).toEqual([{ field: 'items[1]', problem: 'must be an object with sku and quantity' }]);
    });

    it('names unknown fields inside an item', () => {
      // Act
      const problems = problemsOf(withItems([{ sku: 'KB-01', quantity: 1, price: 1 }]));

      // Assess
      expect(problems).toEqual([{ field: 'items[0].price', problem: 'is not a recognised field' }]);
    });
  });

  describe('shippingAddress', () => {
    it.each([
      ['missing', undefined],
      ['null', null],
      ['a string', '1 Analytical Way, London'],
      ['an array', []],
    ])('names shippingAddress when it is %s', (_, shippingAddress) => {
      // Act
      const problems = problemsOf(withTop({ shippingAddress }));

      // Assess
      expect(problems).toEqual([{ field: 'shippingAddress', problem: 'is required and must be an object' }]);
    });

    it.each(['name', 'line1', 'city', 'postalCode', 'country'])('names shippingAddress.%s when it is missing', (key) => {
      // Act
      const problems = problemsOf(withoutAddressField(key));

      // Assess
      expect(problems).toEqual([{ field: `shippingAddress.${key}`, problem: 'is required and must be a non-empty string' }]);
    });

    it.each(['name', 'line1', 'city', 'postalCode', 'country'])('names shippingAddress.%s when it is not a string', (key) => {
      // Act
      const fields = fieldsOf(withAddress({ [key]: 12345 }));

      // Assess
      expect(fields).toEqual([`shippingAddress.${key}`]);
    });

    it.each([
      ['name', ORDER_LIMITS.maxNameLength],
      ['line1', ORDER_LIMITS.maxLineLength],
      ['city', ORDER_LIMITS.maxNameLength],
      ['postalCode', ORDER_LIMITS.maxPostalCodeLength],
    ])('names shippingAddress.%s when it is longer than %d characters', (key, limit) => {
      // Act
      const problems = problemsOf(withAddress({ [key]: 'x'.repeat(limit + 1) }));

      // Assess
      expect(problems).toEqual([{ field: `shippingAddress.${key}`, problem: `must be at most ${limit} characters` }]);
    });

    it.each(['de', 'De', 'D1', 'D'])('names shippingAddress.country when %p is not an upper-case alpha-2 code', (country) => {
      // Act
      const problems = problemsOf(withAddress({ country }));

      // Assess
      expect(problems).toEqual([{ field: 'shippingAddress.country', problem: 'must be an ISO 3166-1 alpha-2 code such as "DE"' }]);
    });

    it('names shippingAddress.country when it is a three-letter code', () => {
      // Act
      const problems = problemsOf(withAddress({ country: 'DEU' }));

      // Assess
      expect(problems).toEqual([{ field: 'shippingAddress.country', problem: 'must be at most 2 characters' }]);
    });

    it('names unknown fields inside the address', () => {
      // Act
      const problems = problemsOf(withAddress({ line2: 'Flat 3', state: 'LDN' }));

      // Assess
      expect(problems).toEqual([
        { field: 'shippingAddress.line2', problem: 'is not a recognised field' },
        { field: 'shippingAddress.state', problem: 'is not a recognised field' },
      ]);
    });
  });

  describe('reporting', () => {
    it('reports every problem at once, in body order, in one InvalidOrderError', () => {
      // Prepare
      const body = {
        customerId: '',
        email: 'not-an-email',
        items: [{ sku: 'KB-01', quantity: 0 }, { sku: 'KB-01', quantity: 1, colour: 'red' }],
        paymentToken: '',
        shippingAddress: { name: 'Ada', line1: '1 Way', city: 'London', postalCode: 'N1', country: 'gb' },
        coupon: 'X',
      };

      // Act
      const fields = fieldsOf(body);

      // Assess
      expect(fields).toEqual([
        'coupon',
        'customerId',
        'email',
        'items[0].quantity',
        'items[1].colour',
        'items[1].sku',
        'paymentToken',
        'shippingAddress.country',
      ]);
    });

    it('puts every problem in the error message as "field: problem" pairs', () => {
      // Prepare
      const body = withTop({ email: 'nope', paymentToken: 42 });

      // Act
      const act = () => parseOrderRequest(body);

      // Assess
      expect(act).toThrow(formatProblems([
        { field: 'email', problem: 'must be an email address' },
        { field: 'paymentToken', problem: 'is required and must be a non-empty string' },
      ]));
      expect(act).toThrow('email: must be an email address');
      expect(act).toThrow('paymentToken: is required and must be a non-empty string');
    });

    it('throws an error named InvalidOrder so the workflow and the API can match on it', () => {
      // Act
      let thrown: unknown;
      try {
        parseOrderRequest({});
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(InvalidOrderError);
      expect((thrown as Error).name).toBe('InvalidOrder');
      expect((thrown as InvalidOrderError).problems.map(({ field }) => field)).toEqual([
        'email', 'items', 'paymentToken', 'shippingAddress',
      ]);
    });
  });
});

describe('orderRequestOf', () => {
  it('gives a body without a customer to the signed-in customer', () => {
    // Prepare
    const { customerId: _, ...body } = validOrderRequest();

    // Act
    const request = orderRequestOf(body, 'alice');

    // Assess
    expect(request).toEqual({ ...validOrderRequest(), customerId: 'alice' });
  });

  it('keeps a body that names the signed-in customer itself', () => {
    // Act
    const request = orderRequestOf(validOrderRequest(), validOrderRequest().customerId);

    // Assess
    expect(request).toEqual(validOrderRequest());
  });

  it("refuses a body that names another customer, naming the field", () => {
    // Act
    let thrown: unknown;
    try {
      orderRequestOf(validOrderRequest(), 'mallory');
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidOrderError);
    expect((thrown as InvalidOrderError).problems).toEqual([
      { field: 'customerId', problem: "must be left out or equal the signed-in customer (the token's sub)" },
    ]);
  });
});
