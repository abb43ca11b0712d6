/** Money is always integer minor units (cents) with its currency: no floating point near a charge. */
export interface Money {
  amount: number;
  currency: string;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderRequest {
  customerId: string;
  email: string;
  items: { sku: string; quantity: number }[];
  paymentToken: string;
  shippingAddress: ShippingAddress;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** The order as persisted and published; the payment token travels beside it, never inside it. */
export interface Order {
  orderId: string;
  customerId: string;
  email: string;
  items: OrderLine[];
  total: Money;
  shippingAddress: ShippingAddress;
  placedAt: string;
}

export const ORDER_STATUSES = [
  'PLACED',
  'AWAITING_APPROVAL',
  'PROCESSING',
  'BACKORDERED',
  'SHIPPED',
  'DELIVERED',
  'PAYMENT_DECLINED',
  'OUT_OF_STOCK',
  'APPROVAL_REJECTED',
  'APPROVAL_EXPIRED',
  'FAILED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
