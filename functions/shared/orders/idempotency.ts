import { createHash, createHmac, randomUUID } from 'node:crypto';
import { BadRequestError } from '../errors.js';
import type { OrderRequest } from './order.js';

const MAX_KEY_LENGTH = 128;
const KEY_PATTERN = /^[\x21-\x7e]+$/;

export const isValidIdempotencyKey = (key: string): boolean =>
  key.length > 0 && key.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(key);

/** An Idempotency-Key header, when one was sent, must be a key; otherwise 400 InvalidIdempotencyKey. */
export const requireValidIdempotencyKey = (key: string | undefined): void => {
  if (key !== undefined && !isValidIdempotencyKey(key)) {
    throw new BadRequestError('InvalidIdempotencyKey', 'Idempotency-Key must be 1 to 128 printable ASCII characters without spaces');
  }
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * With a key the order id is derived from it and the customer, so every retry of the same request
 * names the same order and the conditional write at intake lets exactly one of them create it.
 * Keys are the caller's own: another customer's same key names another order. The HMAC under a
 * server-side key keeps order ids from being worked out from anything a client sends.
 */
export const orderIdFor = (orderIdKey: string, customerId: string, idempotencyKey: string | undefined): string =>
  `ord_${
    idempotencyKey === undefined
      ? randomUUID().replaceAll('-', '')
      : createHmac('sha256', orderIdKey).update(JSON.stringify([customerId, idempotencyKey])).digest('hex').slice(0, 32)
  }`;

/** Canonical JSON (sorted keys) so that field order in the body does not make "another request". */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

export const requestHashOf = (request: OrderRequest): string => sha256(canonical(request));
