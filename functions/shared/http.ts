import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BadRequestError, InvalidInputError } from './errors.js';

/** Every error the API exposes, by name, with its status. Anything else is a 500 with no detail. */
const STATUS_BY_ERROR: Record<string, number> = {
  MalformedJson: 400,
  InvalidIdempotencyKey: 400,
  InvalidOrderId: 400,
  InvalidOrder: 400,
  InvalidCarrierEvents: 400,
  InvalidRestock: 400,
  Unauthorized: 401,
  InvalidSignature: 401,
  Forbidden: 403,
  OrderNotFound: 404,
  ProductNotFound: 404,
  InvalidDocumentRequest: 400,
  InvalidDocumentId: 400,
  DocumentNotFound: 404,
  InvalidSignup: 400,
  InvalidSignupId: 400,
  SignupNotFound: 404,
  OnboardingUnavailable: 503,
  DocumentTooLarge: 413,
  UnsupportedDocumentType: 415,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  IntakeInProgress: 409,
  RestockConflict: 409,
  IdempotencyConflict: 422,
  IntakeUnavailable: 503,
  CarrierEventsUnavailable: 503,
  RestockUnannounced: 503,
};

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const MAX_BODY_BYTES = 16 * 1024;

/** A small JSON body, parsed; anything else is refused before domain logic sees it. */
export const readJsonBody = ({ body, isBase64Encoded, contentType }: { body: string | undefined; isBase64Encoded: boolean; contentType: string | undefined }): unknown => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new BadRequestError('UnsupportedMediaType', `Content-Type must be application/json, got ${contentType ? `"${contentType}"` : 'none'}`);
  }
  const text = isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : body ?? '';
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new BadRequestError('PayloadTooLarge', `the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError('MalformedJson', `the body is not valid JSON: ${(error as Error).message}`);
  }
};

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
};

/** Maps typed errors to `{"error","message","details"}` JSON; unexpected errors are logged and hidden. */
export const jsonErrors = (logger: Logger): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const error = request.error;
    const status = error ? STATUS_BY_ERROR[error.name] : undefined;
    if (error && status !== undefined) {
      logger.info('request refused', { error: error.name, reason: error.message, status });
      request.response = json(status, {
        error: error.name,
        message: error.message,
        ...(error instanceof InvalidInputError ? { details: error.problems } : {}),
      });
      return;
    }
    logger.error('unexpected error', error as Error);
    request.response = json(500, { error: 'InternalError', message: 'Something went wrong on our side; it has been logged.' });
  },
});
