import { BadRequestError, errorMessageOfCause, OrderNotFoundError } from '../errors.js';
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
}

export interface OrderView extends Omit<Order, 'customerId'> {
  customerId: string;
  status: OrderStatus;
  updatedAt: string;
  /** The order-fulfilment execution; null until fulfilment has picked the order up. */
  executionArn: string | null;
  intakeExecutionArn: string | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  failure: { error: string; reason: string } | null;
}

export interface OrderReader {
  find(orderId: string): Promise<OrderRow | undefined>;
}

const ORDER_ID_PATTERN = /^ord_[a-f0-9]{32}$/;

export const toOrderView = (row: OrderRow): OrderView => {
  const order = JSON.parse(row.document) as Order;
  return {
    ...order,
    status: row.status,
    updatedAt: row.updatedAt ?? row.placedAt,
    executionArn: row.executionArn ?? null,
    intakeExecutionArn: row.intakeExecutionArn ?? null,
    shipment: row.trackingNumber ? { carrier: row.carrier ?? '', trackingNumber: row.trackingNumber } : null,
    failure: row.failureError ? { error: row.failureError, reason: errorMessageOfCause(row.failureCause) } : null,
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
    const view = row ? toOrderView(row) : undefined;
    if (!view || view.customerId !== customerId) throw new OrderNotFoundError(`no order ${orderId}`);
    return view;
  };
