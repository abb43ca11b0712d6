import { BadRequestError, InvalidOrderError } from '../../functions/shared/errors.js';
import { MAX_BODY_BYTES } from '../../functions/shared/http.js';
import { orderIdFor, requestHashOf } from '../../functions/shared/orders/idempotency.js';
import {
  placeOrder,
  readOrderRequest,
  type IntakeInput,
  type IntakeResult,
  type OrderIntake,
  type RawHttpRequest,
} from '../../functions/shared/orders/place-order.js';
import { validOrderBody, validOrderRequest } from './support/order-fixtures.js';

const NOW = new Date('2026-03-04T05:06:07.089Z');
const ORDER_ID_KEY = 'order-id-key-for-tests';
const orderIdKey = async () => ORDER_ID_KEY;
const CUSTOMER = validOrderRequest().customerId;

/** An intake that records every input it receives and answers with a fixed result. */
const recordingIntake = (): OrderIntake & { inputs: IntakeInput[] } => {
  const inputs: IntakeInput[] = [];
  return {
    inputs,
    async run(input) {
      inputs.push(input);
      return { orderId: input.orderId, status: 'PLACED', total: { amount: 1, currency: 'EUR' }, replayed: false } satisfies IntakeResult;
    },
  };
};

const rawRequest = (changes: Partial<RawHttpRequest> = {}): RawHttpRequest => ({
  customerId: CUSTOMER,
  body: JSON.stringify(validOrderBody()),
  isBase64Encoded: false,
  contentType: 'application/json',
  idempotencyKey: undefined,
  ...changes,
});

/** Calls `act`, which must throw, and returns what it threw. */
const thrownBy = async (act: () => unknown): Promise<unknown> => {
  try {
    await act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, but the call succeeded');
};

/** A valid order body plus an unknown "padding" field, sized to exactly `bytes` bytes of JSON. */
const bodyOfBytes = (bytes: number): string => {
  const base = JSON.stringify({ ...validOrderBody(), padding: '' });
  return JSON.stringify({ ...validOrderBody(), padding: 'x'.repeat(bytes - Buffer.byteLength(base)) });
};

describe('readOrderRequest', () => {
  describe('content type', () => {
    it.each([
      ['application/json'],
      ['application/json; charset=utf-8'],
      ['Application/JSON'],
      ['  application/json  ;charset=UTF-8'],
    ])('accepts %p', (contentType) => {
      // Act
      const request = readOrderRequest(rawRequest({ contentType }));

      // Assess
      expect(request).toEqual(validOrderRequest());
    });

    it.each([
      ['no content type', undefined, 'none'],
      ['an empty content type', '', 'none'],
      ['text/plain', 'text/plain', '"text/plain"'],
      ['form encoding', 'application/x-www-form-urlencoded', '"application/x-www-form-urlencoded"'],
      ['a JSON look-alike', 'application/jsonp', '"application/jsonp"'],
      ['a vendor JSON type', 'application/vnd.api+json', '"application/vnd.api+json"'],
    ])('refuses %s with UnsupportedMediaType naming what it got', (_, contentType, named) => {
      // Act
      const error = (() => {
        try {
          readOrderRequest(rawRequest({ contentType }));
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();

      // Assess
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).name).toBe('UnsupportedMediaType');
      expect((error as BadRequestError).message).toBe(`Content-Type must be application/json, got ${named}`);
    });

    it('checks the content type before looking at the body', () => {
      // Act
      const act = () => readOrderRequest(rawRequest({ contentType: 'text/plain', body: '{' }));

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'UnsupportedMediaType' }) as Error);
    });
  });

  describe('size', () => {
    it('accepts a body of exactly 16 KiB', () => {
      // Prepare
      const body = bodyOfBytes(MAX_BODY_BYTES);

      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(Buffer.byteLength(body)).toBe(16 * 1024);
      expect(act).toThrow(InvalidOrderError); // past the size check: only the unknown "padding" field is refused
      expect(act).toThrow('padding: is not a recognised field');
    });

    it('refuses a body one byte over 16 KiB with PayloadTooLarge, before parsing it', () => {
      // Prepare
      const body = bodyOfBytes(MAX_BODY_BYTES + 1);

      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'PayloadTooLarge', message: 'the body must be at most 16384 bytes' }) as Error);
    });

    it('counts UTF-8 bytes, not characters', () => {
      // Prepare: 6000 three-byte characters are 18000 bytes but 6000 UTF-16 code units.
      const body = JSON.stringify({ ...validOrderBody(), note: '€'.repeat(6000) });

      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(body.length).toBeLessThan(MAX_BODY_BYTES);
      expect(act).toThrow(expect.objectContaining({ name: 'PayloadTooLarge' }) as Error);
    });

    it('measures a base64 body after decoding it', () => {
      // Prepare
      const body = Buffer.from(bodyOfBytes(MAX_BODY_BYTES + 1)).toString('base64');

      // Act
      const act = () => readOrderRequest(rawRequest({ body, isBase64Encoded: true }));

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'PayloadTooLarge' }) as Error);
    });
  });

  describe('JSON', () => {
    it.each([
      ['a truncated object', '{"customerId": "c1"'],
      ['an empty body', ''],
      ['a missing body', undefined],
      ['single quotes', "{'customerId': 'c1'}"],
      ['trailing text', `${JSON.stringify(validOrderBody())} x`],
    ])('refuses %s with MalformedJson', (_, body) => {
      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(act).toThrow(BadRequestError);
      expect(act).toThrow(expect.objectContaining({ name: 'MalformedJson' }) as Error);
      expect(act).toThrow(/^the body is not valid JSON: /);
    });

    it.each([
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"order"'],
    ])('refuses JSON %s as an invalid order', (_, body) => {
      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(act).toThrow(InvalidOrderError);
      expect(act).toThrow('the body must be a JSON object');
    });

    it('refuses a well-formed but invalid order with InvalidOrderError naming the field', () => {
      // Prepare
      const body = JSON.stringify({ ...validOrderBody(), email: 'nope' });

      // Act
      const act = () => readOrderRequest(rawRequest({ body }));

      // Assess
      expect(act).toThrow(new InvalidOrderError([{ field: 'email', problem: 'must be an email address' }]));
    });
  });

  describe('base64', () => {
    it('decodes a base64-encoded body', () => {
      // Prepare
      const body = Buffer.from(JSON.stringify(validOrderBody()), 'utf8').toString('base64');

      // Act
      const request = readOrderRequest(rawRequest({ body, isBase64Encoded: true }));

      // Assess
      expect(request).toEqual(validOrderRequest());
    });

    it('decodes non-ASCII text in a base64 body as UTF-8', () => {
      // Prepare
      const original = { ...validOrderBody(), shippingAddress: { ...validOrderRequest().shippingAddress, name: 'Zoë Müller', city: 'Köln', country: 'DE' } };
      const body = Buffer.from(JSON.stringify(original), 'utf8').toString('base64');

      // Act
      const request = readOrderRequest(rawRequest({ body, isBase64Encoded: true }));

      // Assess
      expect(request.shippingAddress.name).toBe('Zoë Müller');
      expect(request.shippingAddress.city).toBe('Köln');
    });

    it('refuses a base64 body that does not decode to JSON with MalformedJson', () => {
      // Prepare
      const body = Buffer.from('not json at all', 'utf8').toString('base64');

      // Act
      const act = () => readOrderRequest(rawRequest({ body, isBase64Encoded: true }));

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'MalformedJson' }) as Error);
    });

    it('does not decode a plain body that happens to look like base64', () => {
      // Prepare
      const body = Buffer.from(JSON.stringify(validOrderBody()), 'utf8').toString('base64');

      // Act
      const act = () => readOrderRequest(rawRequest({ body, isBase64Encoded: false }));

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'MalformedJson' }) as Error);
    });
  });
});

describe('placeOrder', () => {
  describe('a good request', () => {
    it('hands the intake the checked request with the order id derived from the key, the request hash and the time', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      const result = await place(rawRequest({ idempotencyKey: 'checkout-1' }));

      // Assess
      expect(intake.inputs).toEqual([{
        orderId: orderIdFor(ORDER_ID_KEY, CUSTOMER, 'checkout-1'),
        requestHash: requestHashOf(validOrderRequest()),
        request: validOrderRequest(),
        receivedAt: '2026-03-04T05:06:07.089Z',
      }]);
      expect(result).toEqual({ orderId: orderIdFor(ORDER_ID_KEY, CUSTOMER, 'checkout-1'), status: 'PLACED', total: { amount: 1, currency: 'EUR' }, replayed: false });
    });

    it('names the same order for every retry with the same key', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      await place(rawRequest({ idempotencyKey: 'checkout-1' }));
      await place(rawRequest({ idempotencyKey: 'checkout-1' }));

      // Assess
      expect(intake.inputs).toHaveLength(2);
      expect(intake.inputs[1]?.orderId).toBe(intake.inputs[0]?.orderId);
      expect(intake.inputs[1]?.requestHash).toBe(intake.inputs[0]?.requestHash);
    });

    it('gives the same request hash whatever order the body lists its fields in', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);
      const { shippingAddress, paymentToken, items, email, customerId } = validOrderBody();
      const reordered = JSON.stringify({ shippingAddress, paymentToken, items, email, customerId });

      // Act
      await place(rawRequest({ idempotencyKey: 'k' }));
      await place(rawRequest({ idempotencyKey: 'k', body: reordered }));

      // Assess
      expect(intake.inputs[1]?.requestHash).toBe(intake.inputs[0]?.requestHash);
    });

    it('draws a random order id when there is no Idempotency-Key', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      await place(rawRequest());
      await place(rawRequest());

      // Assess
      expect(intake.inputs[0]?.orderId).toMatch(/^ord_[a-f0-9]{32}$/);
      expect(intake.inputs[1]?.orderId).toMatch(/^ord_[a-f0-9]{32}$/);
      expect(intake.inputs[1]?.orderId).not.toBe(intake.inputs[0]?.orderId);
    });

    it("takes the customer from the token when the body names none, and hashes the same request", async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);
      const { customerId: _, ...withoutCustomer } = validOrderBody();

      // Act
      await place(rawRequest({ idempotencyKey: 'k' }));
      await place(rawRequest({ idempotencyKey: 'k', body: JSON.stringify(withoutCustomer) }));

      // Assess
      expect(intake.inputs[1]?.request.customerId).toBe(CUSTOMER);
      expect(intake.inputs[1]?.requestHash).toBe(intake.inputs[0]?.requestHash);
      expect(intake.inputs[1]?.orderId).toBe(intake.inputs[0]?.orderId);
    });

    it('gives two customers who send the same key two different orders', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);
      const { customerId: _, ...withoutCustomer } = validOrderBody();
      const body = JSON.stringify(withoutCustomer);

      // Act
      await place(rawRequest({ customerId: 'alice', idempotencyKey: 'checkout-1', body }));
      await place(rawRequest({ customerId: 'bob', idempotencyKey: 'checkout-1', body }));

      // Assess
      expect(intake.inputs.map(({ request }) => request.customerId)).toEqual(['alice', 'bob']);
      expect(intake.inputs[1]?.orderId).not.toBe(intake.inputs[0]?.orderId);
    });

    it('passes what the intake throws through unchanged', async () => {
      // Prepare
      const failure = new InvalidOrderError([{ field: 'items[0].sku', problem: 'unknown SKU "X"' }]);
      const place = placeOrder({ run: async () => { throw failure; } }, orderIdKey, () => NOW);

      // Act
      const error = await thrownBy(() => place(rawRequest()));

      // Assess
      expect(error).toBe(failure);
    });
  });

  describe('bad input never reaches the intake', () => {
    it.each<[string, Partial<RawHttpRequest>, string]>([
      ['no content type', { contentType: undefined }, 'UnsupportedMediaType'],
      ['a text/plain body', { contentType: 'text/plain' }, 'UnsupportedMediaType'],
      ['a body over 16 KiB', { body: bodyOfBytes(MAX_BODY_BYTES + 1) }, 'PayloadTooLarge'],
      ['malformed JSON', { body: '{"items": [' }, 'MalformedJson'],
      ['a missing body', { body: undefined }, 'MalformedJson'],
      ['an invalid order', { body: JSON.stringify({ ...validOrderBody(), items: [] }) }, 'InvalidOrder'],
      ['a JSON array', { body: '[]' }, 'InvalidOrder'],
      ["a customerId that is not the token's sub", { body: JSON.stringify({ ...validOrderBody(), customerId: 'someone-else' }) }, 'InvalidOrder'],
      ['an empty Idempotency-Key', { idempotencyKey: '' }, 'InvalidIdempotencyKey'],
      ['an Idempotency-Key with a space', { idempotencyKey: 'two words' }, 'InvalidIdempotencyKey'],
      ['an Idempotency-Key of 129 characters', { idempotencyKey: 'k'.repeat(129) }, 'InvalidIdempotencyKey'],
      ['a non-ASCII Idempotency-Key', { idempotencyKey: 'clé' }, 'InvalidIdempotencyKey'],
    ])('refuses %s with %s', async (_, changes, name) => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      const error = await thrownBy(() => place(rawRequest(changes)));

      // Assess
      expect((error as Error).name).toBe(name);
      expect(intake.inputs).toEqual([]);
    });

    it('checks the Idempotency-Key before the body', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      const error = await thrownBy(() => place(rawRequest({ idempotencyKey: ' ', contentType: 'text/plain', body: '{' })));

      // Assess
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).name).toBe('InvalidIdempotencyKey');
      expect((error as BadRequestError).message).toBe('Idempotency-Key must be 1 to 128 printable ASCII characters without spaces');
      expect(intake.inputs).toEqual([]);
    });

    it('accepts an Idempotency-Key of exactly 128 printable characters', async () => {
      // Prepare
      const intake = recordingIntake();
      const place = placeOrder(intake, orderIdKey, () => NOW);

      // Act
      await place(rawRequest({ idempotencyKey: 'k'.repeat(128) }));

      // Assess
      expect(intake.inputs).toHaveLength(1);
    });
  });
});
