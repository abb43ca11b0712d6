import { InvalidOrderError, type Problem } from '../errors.js';
import { isObject, unknownFields, type Json } from '../validation.js';
import type { OrderRequest, ShippingAddress } from './order.js';

export const ORDER_LIMITS = {
  maxItems: 25,
  maxQuantity: 100,
  maxIdLength: 64,
  /** A token's `sub` is the issuer's choice of string (Cognito: a UUID; others: "auth0|...", URLs). */
  maxCustomerIdLength: 255,
  maxEmailLength: 254,
  maxNameLength: 100,
  maxLineLength: 200,
  maxPostalCodeLength: 16,
} as const;

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
// An address, and nothing that merely contains an @: every email we send about the order goes to it
// and shows it to an approver, where a URL such as `https://evil.example/x@y.com` would be a link
// we appear to vouch for. So the local part is a dot-atom of RFC 5322's characters without "/" (a
// path's mark, never seen in a real address), the domain host labels with a top-level domain of
// letters (or an IDN's xn--). Whether the mailbox exists is for the confirmation email to find out.
const EMAIL_PATTERN = /^[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const COUNTRY_PATTERN = /^[A-Z]{2}$/;

class ProblemCollector {
  readonly problems: Problem[] = [];

  add(field: string, problem: string): void {
    this.problems.push({ field, problem });
  }

  string(source: Json, key: string, field: string, maxLength: number, pattern?: RegExp, patternHint?: string): string {
    const value = source[key];
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.add(field, 'is required and must be a non-empty string');
      return '';
    }
    if (value.length > maxLength) {
      this.add(field, `must be at most ${maxLength} characters`);
    } else if (pattern && !pattern.test(value)) {
      this.add(field, patternHint ?? 'has an invalid format');
    }
    return value;
  }

  unknownKeys(source: Json, allowed: readonly string[], prefix: string): void {
    this.problems.push(...unknownFields(source, allowed, prefix));
  }
}

const parseAddress = (value: unknown, collector: ProblemCollector): ShippingAddress => {
  if (!isObject(value)) {
    collector.add('shippingAddress', 'is required and must be an object');
    return { name: '', line1: '', city: '', postalCode: '', country: '' };
  }
  collector.unknownKeys(value, ['name', 'line1', 'city', 'postalCode', 'country'], 'shippingAddress.');
  return {
    name: collector.string(value, 'name', 'shippingAddress.name', ORDER_LIMITS.maxNameLength),
    line1: collector.string(value, 'line1', 'shippingAddress.line1', ORDER_LIMITS.maxLineLength),
    city: collector.string(value, 'city', 'shippingAddress.city', ORDER_LIMITS.maxNameLength),
    postalCode: collector.string(value, 'postalCode', 'shippingAddress.postalCode', ORDER_LIMITS.maxPostalCodeLength),
    country: collector.string(value, 'country', 'shippingAddress.country', 2, COUNTRY_PATTERN, 'must be an ISO 3166-1 alpha-2 code such as "DE"'),
  };
};

const parseItems = (value: unknown, collector: ProblemCollector): OrderRequest['items'] => {
  if (!Array.isArray(value)) {
    collector.add('items', 'is required and must be an array');
    return [];
  }
  if (value.length === 0) collector.add('items', 'must contain at least one item');
  if (value.length > ORDER_LIMITS.maxItems) {
    collector.add('items', `must contain at most ${ORDER_LIMITS.maxItems} items`);
    return [];
  }
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const field = `items[${index}]`;
    if (!isObject(item)) {
      collector.add(field, 'must be an object with sku and quantity');
      return { sku: '', quantity: 0 };
    }
    collector.unknownKeys(item, ['sku', 'quantity'], `${field}.`);
    const sku = collector.string(item, 'sku', `${field}.sku`, ORDER_LIMITS.maxIdLength, ID_PATTERN, 'may contain only letters, digits, "-" and "_"');
    if (sku && seen.has(sku)) collector.add(`${field}.sku`, 'appears more than once; combine the quantities');
    seen.add(sku);
    const quantity = item.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > ORDER_LIMITS.maxQuantity) {
      collector.add(`${field}.quantity`, `must be an integer from 1 to ${ORDER_LIMITS.maxQuantity}`);
    }
    return { sku, quantity: typeof quantity === 'number' ? quantity : 0 };
  });
};

/** An order request as a client sends it: the customer comes from the token, so naming it is optional. */
export type OrderRequestBody = Omit<OrderRequest, 'customerId'> & { customerId?: string };

/** Checks the shape of an order request; throws InvalidOrderError naming every problem at once. */
export const parseOrderRequest = (body: unknown): OrderRequestBody => {
  const collector = new ProblemCollector();
  if (!isObject(body)) {
    throw new InvalidOrderError([{ field: '', problem: 'the body must be a JSON object' }]);
  }
  collector.unknownKeys(body, ['customerId', 'email', 'items', 'paymentToken', 'shippingAddress'], '');
  const request: OrderRequestBody = {
    ...(body.customerId === undefined ? {} : { customerId: collector.string(body, 'customerId', 'customerId', ORDER_LIMITS.maxCustomerIdLength) }),
    email: collector.string(body, 'email', 'email', ORDER_LIMITS.maxEmailLength, EMAIL_PATTERN, 'must be an email address'),
    items: parseItems(body.items, collector),
    paymentToken: collector.string(body, 'paymentToken', 'paymentToken', ORDER_LIMITS.maxIdLength, ID_PATTERN, 'may contain only letters, digits, "-" and "_"'),
    shippingAddress: parseAddress(body.shippingAddress, collector),
  };
  if (collector.problems.length > 0) throw new InvalidOrderError(collector.problems);
  return request;
};

/**
 * The order of the signed-in customer: a body may leave the customer out or name the same one,
 * never another (that is a client placing an order on someone else's account).
 */
export const orderRequestOf = (body: OrderRequestBody, customerId: string): OrderRequest => {
  if (body.customerId !== undefined && body.customerId !== customerId) {
    throw new InvalidOrderError([{ field: 'customerId', problem: "must be left out or equal the signed-in customer (the token's sub)" }]);
  }
  return { ...body, customerId };
};
