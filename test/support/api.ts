import { randomUUID } from 'node:crypto';
import { pollUntil } from './poll.js';

/** A client of the HTTP API the way a user calls it: real HTTP to TEST_API_URL. */
export const API_URL = process.env.TEST_API_URL ?? 'http://localhost:3000';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export const call = async <T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<ApiResponse<T>> => {
  const response = await fetch(`${API_URL}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
};

/** A signed-in customer: the local issuer's token for `sub`, as `POST /_local/token` hands it out. */
export interface Customer { sub: string; token: string }

export const signIn = async (sub: string, claims: { scope?: string; groups?: string[]; expiresIn?: number } = {}): Promise<Customer> => {
  const { status, body } = await call<{ accessToken: string }>('/_local/token', { method: 'POST', body: JSON.stringify({ sub, ...claims }) });
  if (status !== 200) throw new Error(`POST /_local/token answered ${status}: ${JSON.stringify(body)}`);
  return { sub, token: body.accessToken };
};

let defaultCustomer: Promise<Customer> | undefined;
/** The customer a test acts as unless it says otherwise. */
export const testCustomer = (): Promise<Customer> => (defaultCustomer ??= signIn('cust-e2e'));

export const bearer = (customer: Customer): Record<string, string> => ({ authorization: `Bearer ${customer.token}` });

export const orderRequest = (overrides: Record<string, unknown> = {}) => ({
  email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
  items: [{ sku: 'KB-MECH-01', quantity: 1 }],
  paymentToken: 'tok_visa',
  shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  ...overrides,
});

export const postOrder = async (body: unknown, headers: Record<string, string> = {}, customer?: Customer) =>
  call('/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(customer ?? await testCustomer()), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export const getOrder = async <T = OrderView>(orderId: string, customer?: Customer) =>
  call<T>(`/orders/${orderId}`, { headers: bearer(customer ?? await testCustomer()) });

export interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  total: { amount: number; currency: string };
  shipment: { carrier: string; trackingNumber: string; status: string; history: { status: string; occurredAt: string }[] } | null;
  failure: { error: string; reason: string } | null;
  items: { sku: string; quantity: number }[];
}

// Fulfilment ends at SHIPPED or a closed status; DELIVERED follows SHIPPED when the carrier says so.
const TERMINAL = ['SHIPPED', 'DELIVERED', 'PAYMENT_DECLINED', 'OUT_OF_STOCK', 'APPROVAL_REJECTED', 'APPROVAL_EXPIRED', 'FAILED'];

/** Polls GET /orders/{id} until the order reaches a terminal status. */
export const waitForTerminalStatus = async (orderId: string, timeoutMs = 60_000, customer?: Customer): Promise<OrderView> => {
  const { body } = await pollUntil(
    `order ${orderId} reaching a final status`,
    () => getOrder(orderId, customer),
    ({ status, body: order }) => status === 200 && TERMINAL.includes(order.status),
    timeoutMs,
  );
  return body;
};

/** Polls GET /orders/{id} until the order has the given status (DELIVERED comes from the carrier, after SHIPPED). */
export const waitForStatus = async (orderId: string, status: string, timeoutMs = 60_000, customer?: Customer): Promise<OrderView> => {
  const { body } = await pollUntil(`order ${orderId} reaching ${status}`, () => getOrder(orderId, customer), ({ body: order }) => order.status === status, timeoutMs);
  return body;
};

export interface Email { to: string; subject: string; text: string; links: string[] }
export const outbox = async (): Promise<Email[]> => (await call<Email[]>('/_local/outbox')).body;
