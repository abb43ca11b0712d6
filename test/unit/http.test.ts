import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  BadRequestError,
  IdempotencyConflictError,
  IntakeInProgressError,
  IntakeUnavailableError,
  InvalidOrderError,
  OrderNotFoundError,
  PaymentDeclinedError,
} from '../../functions/shared/errors.js';
import { header, json, jsonErrors, MAX_BODY_BYTES } from '../../functions/shared/http.js';

/** A logger that records what it was asked to log. */
const recordingLogger = () => {
  const lines: { level: 'info' | 'error'; message: string; extra: unknown }[] = [];
  const logger = {
    info: (message: string, extra?: unknown) => lines.push({ level: 'info', message, extra }),
    error: (message: string, extra?: unknown) => lines.push({ level: 'error', message, extra }),
  } as unknown as Logger;
  return { logger, lines };
};

const event = { headers: {}, body: undefined, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
const context = {} as Context;

/** A handler that throws `error`, wrapped in jsonErrors as the API handlers are. */
const invokeThrowing = async (error: unknown, logger: Logger = recordingLogger().logger): Promise<APIGatewayProxyStructuredResultV2> => {
  const handler = middy(async (_event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    throw error;
  }).use(jsonErrors(logger));
  return handler(event, context);
};

const bodyOf = (response: APIGatewayProxyStructuredResultV2): Record<string, unknown> =>
  JSON.parse(response.body ?? 'null') as Record<string, unknown>;

describe('jsonErrors', () => {
  it('answers InvalidOrder with 400 and the problems as details', async () => {
    // Prepare
    const problems = [
      { field: 'items[0].quantity', problem: 'must be an integer from 1 to 100' },
      { field: 'shippingAddress.country', problem: 'must be an ISO 3166-1 alpha-2 code such as "DE"' },
    ];

    const error = new InvalidOrderError(problems);

    // Act
    const response = await invokeThrowing(error);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(bodyOf(response)).toEqual({ error: 'InvalidOrder', message: error.message, details: problems });
    expect(error.message).toContain('shippingAddress.country: must be an ISO 3166-1 alpha-2 code such as "DE"');
  });

  it.each<[string, Error, number]>([
    ['OrderNotFound', new OrderNotFoundError('no order ord_1'), 404],
    ['IdempotencyConflict', new IdempotencyConflictError('key reused'), 422],
    ['IntakeInProgress', new IntakeInProgressError('still publishing'), 409],
    ['IntakeUnavailable', new IntakeUnavailableError('retry later'), 503],
    ['MalformedJson', new BadRequestError('MalformedJson', 'the body is not valid JSON'), 400],
    ['InvalidIdempotencyKey', new BadRequestError('InvalidIdempotencyKey', 'bad key'), 400],
    ['InvalidOrderId', new BadRequestError('InvalidOrderId', 'bad id'), 400],
    ['PayloadTooLarge', new BadRequestError('PayloadTooLarge', 'too big'), 413],
    ['UnsupportedMediaType', new BadRequestError('UnsupportedMediaType', 'not JSON'), 415],
  ])('answers %s with %d, its name and its message, and no details', async (name, error, status) => {
    // Act
    const response = await invokeThrowing(error);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(bodyOf(response)).toEqual({ error: name, message: error.message });
  });

  it('logs a refused request at info level with its name and status', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();

    // Act
    await invokeThrowing(new OrderNotFoundError('no order ord_1'), logger);

    // Assess
    expect(lines).toEqual([{ level: 'info', message: 'request refused', extra: { error: 'OrderNotFound', reason: 'no order ord_1', status: 404 } }]);
  });

  it('answers an unexpected error with 500 and a body that hides its message', async () => {
    // Prepare
    const secret = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';

    // Act
    const response = await invokeThrowing(new Error(secret));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({ error: 'InternalError', message: 'Something went wrong on our side; it has been logged.' });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('hunter2');
  });

  it('logs the unexpected error itself at error level', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();
    const error = new TypeError('Cannot read properties of undefined');

    // Act
    await invokeThrowing(error, logger);

    // Assess
    expect(lines).toEqual([{ level: 'error', message: 'unexpected error', extra: error }]);
  });

  it('answers a domain error the API does not expose (PaymentDeclined) with 500 and no detail', async () => {
    // Act
    const response = await invokeThrowing(new PaymentDeclinedError('card declined: insufficient funds'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('insufficient funds');
  });

  it('answers a thrown non-Error value with 500', async () => {
    // Act
    const response = await invokeThrowing('a string');

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response).error).toBe('InternalError');
  });

  it('works with a real Powertools logger', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'unit-test', logLevel: 'SILENT' });

    // Act
    const refused = await invokeThrowing(new IntakeUnavailableError('retry'), logger);
    const crashed = await invokeThrowing(new Error('boom'), logger);

    // Assess
    expect(refused.statusCode).toBe(503);
    expect(crashed.statusCode).toBe(500);
  });

  it('leaves a successful response alone', async () => {
    // Prepare
    const handler = middy(async (_event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => json(201, { ok: true }, { location: '/orders/ord_1' }))
      .use(jsonErrors(recordingLogger().logger));

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response).toEqual({ statusCode: 201, headers: { 'content-type': 'application/json', location: '/orders/ord_1' }, body: '{"ok":true}' });
  });
});

describe('header', () => {
  it('finds a header whatever its case', () => {
    // Prepare
    const withHeaders = { headers: { 'Content-Type': 'application/json', 'idempotency-key': 'k1' } } as unknown as APIGatewayProxyEventV2;

    // Act
    const contentType = header(withHeaders, 'content-type');
    const key = header(withHeaders, 'Idempotency-Key');

    // Assess
    expect(contentType).toBe('application/json');
    expect(key).toBe('k1');
  });

  it('gives undefined for a missing header or an event without headers', () => {
    // Act
    const missing = header({ headers: { a: 'b' } } as unknown as APIGatewayProxyEventV2, 'content-type');
    const none = header({} as APIGatewayProxyEventV2, 'content-type');

    // Assess
    expect(missing).toBeUndefined();
    expect(none).toBeUndefined();
  });
});

describe('MAX_BODY_BYTES', () => {
  it('is 16 KiB', () => {
    // Assess
    expect(MAX_BODY_BYTES).toBe(16384);
  });
});
