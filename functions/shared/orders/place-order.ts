import { readJsonBody } from '../http.js';
import { orderIdFor, requireValidIdempotencyKey, requestHashOf } from './idempotency.js';
import type { Money, OrderRequest, OrderStatus } from './order.js';
import { orderRequestOf, parseOrderRequest, type OrderRequestBody } from './order-request.js';

/** What place-order hands the order-intake workflow. */
export interface IntakeInput {
  orderId: string;
  requestHash: string;
  request: OrderRequest;
  receivedAt: string;
}

export interface IntakeResult {
  orderId: string;
  status: OrderStatus;
  total: Money;
  /** True when an earlier request with the same Idempotency-Key created the order. */
  replayed: boolean;
}

/** The port to the intake workflow; throws InvalidOrder, IdempotencyConflict, IntakeInProgress or IntakeUnavailable. */
export interface OrderIntake {
  run(input: IntakeInput): Promise<IntakeResult>;
}

export interface RawHttpRequest {
  /** The signed-in customer (the token's `sub`); API Gateway's authorizer vouched for it. */
  customerId: string;
  body: string | undefined;
  isBase64Encoded: boolean;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
}

/** Turns the raw HTTP body into a checked request, refusing anything that is not a small JSON order. */
export const readOrderRequest = (raw: Omit<RawHttpRequest, 'customerId'>): OrderRequestBody => parseOrderRequest(readJsonBody(raw));

/** `orderIdKey` reads the server-side key that order ids are derived under (see orderIdFor). */
export const placeOrder = (intake: OrderIntake, orderIdKey: () => Promise<string>, now: () => Date = () => new Date()) =>
  async (raw: RawHttpRequest): Promise<IntakeResult> => {
    requireValidIdempotencyKey(raw.idempotencyKey);
    const request = orderRequestOf(readOrderRequest(raw), raw.customerId);
    return intake.run({
      orderId: orderIdFor(await orderIdKey(), raw.customerId, raw.idempotencyKey),
      requestHash: requestHashOf(request),
      request,
      receivedAt: now().toISOString(),
    });
  };
