import { BadRequestError, OrderNotFoundError } from '../errors.js';
import type { TrackingStatus } from '../shipping/carrier-webhook.js';
import type { TrackingEntry } from '../shipping/tracking.js';
import type { Order, OrderStatus } from './order.js';

/** An orders-table row as the workflows write it: the order document plus what fulfilment adds. */
export interface OrderRow {
  orderId: string;
  status: OrderStatus;
  document: string;
  placedAt: string;
  updatedAt?: string;
  intakeExecutionArn?: string;
  executionArn?: string;
  carrier?: string;
  trackingNumber?: string;
  failureError?: string;
  failureCause?: string;
  deliveredAt?: string;
  /** JSON of the approval as order-fulfilment last recorded it (orders over 500.00 only). */
  approval?: string;
}

/** What GET /orders shows of a shipments row: its tracking, as carrier events built it. */
export interface ShipmentTrackingRow {
  trackingStatus?: TrackingStatus;
  history?: TrackingEntry[];
}

export interface ShipmentView {
  carrier: string;
  trackingNumber: string;
  /** BOOKED until the carrier's first event, then its newest event's status. */
  status: TrackingStatus | 'BOOKED';
  history: { status: TrackingStatus; occurredAt: string }[];
}

export interface OrderApproval {
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

/**
 * What the customer sees: their order, where it is, and why it ended if it did not ship. No
 * internal identifier (execution ARNs, account ids): operators find an order's executions by its id.
 */
export interface OrderView extends Omit<Order, 'customerId'> {
  customerId: string;
  status: OrderStatus;
  updatedAt: string;
  shipment: ShipmentView | null;
  /** `error` names what happened; `reason` says it in the customer's words, never the recorded cause. */
  failure: { error: string; reason: string } | null;
  /** Null for an order that needed no approval. */
  approval: OrderApproval | null;
}

export interface OrderReader {
  find(orderId: string): Promise<OrderRow | undefined>;
  findShipmentTracking(orderId: string): Promise<ShipmentTrackingRow | undefined>;
}

const ORDER_ID_PATTERN = /^ord_[a-f0-9]{32}$/;

/**
 * The endings a customer is told about by name, in our words. The cause the workflow recorded
 * (an SDK's message, an IAM denial naming a role's ARN, a stack trace) stays in the row for operators.
 */
const CUSTOMER_FAILURES: Record<string, string> = {
  PaymentDeclined: 'Your card was declined, so nothing was charged. You are welcome to order again with another card.',
  OutOfStock: 'We did not have enough stock for every item. Nothing is charged (any payment is refunded in full) and nothing is held for you.',
  ApprovalRejected: 'Orders of this size need an approval, and it was declined. Nothing was charged.',
  ApprovalExpired: 'Orders of this size need an approval, and none was given in time. Nothing was charged.',
  PaymentGatewayUnavailable: 'Our payment provider could not be reached, so nothing was charged. Please try again later.',
  CarrierUnavailable: 'The carrier could not be reached to ship it. Any payment is refunded in full.',
  OrderStopped: 'We stopped this order while it waited for its approval. Nothing was charged and nothing is held for you.',
};
const PROCESSING_FAILED = { error: 'ProcessingFailed', reason: 'Something went wrong on our side. Any payment is refunded in full and our team has been told.' };

const failureOf = (error: string): { error: string; reason: string } => {
  const reason = CUSTOMER_FAILURES[error];
  return reason === undefined ? PROCESSING_FAILED : { error, reason };
};

const toOrderApproval = (json: string): OrderApproval => {
  const { status, decidedBy, decidedAt, comment } = JSON.parse(json) as OrderApproval;
  return { status, decidedBy: decidedBy ?? null, decidedAt: decidedAt ?? null, comment: comment || null };
};

export const toOrderView = (row: OrderRow, tracking: ShipmentTrackingRow = {}): OrderView => {
  const order = JSON.parse(row.document) as Order;
  return {
    ...order,
    status: row.status,
    updatedAt: row.updatedAt ?? row.placedAt,
    shipment: row.trackingNumber
      ? {
        carrier: row.carrier ?? '',
        trackingNumber: row.trackingNumber,
        status: tracking.trackingStatus ?? 'BOOKED',
        history: (tracking.history ?? []).map(({ status, occurredAt }) => ({ status, occurredAt })),
      }
      : null,
    failure: row.failureError ? failureOf(row.failureError) : null,
    approval: row.approval ? toOrderApproval(row.approval) : null,
  };
};

/**
 * A customer's own order. Someone else's answers exactly as a missing one does, so order ids
 * reveal nothing about other customers' orders.
 */
export const getOrder = (reader: OrderReader) =>
  async (orderId: string | undefined, customerId: string): Promise<OrderView> => {
    if (!orderId || !ORDER_ID_PATTERN.test(orderId)) {
      throw new BadRequestError('InvalidOrderId', 'orderId must look like "ord_" followed by 32 hex digits');
    }
    const row = await reader.find(orderId);
    if (!row || (JSON.parse(row.document) as Order).customerId !== customerId) throw new OrderNotFoundError(`no order ${orderId}`);
    return toOrderView(row, row.trackingNumber ? await reader.findShipmentTracking(orderId) : undefined);
  };
