import { call, getOrder, orderRequest, outbox, postOrder, waitForTerminalStatus, type OrderView } from '../support/api.js';
import { createProduct, executionHistory, fulfilmentExecutionOf, getRow, stockOf, TABLES, waitForExecutionEnd } from '../support/local-aws.js';
import { pollUntil } from '../support/poll.js';

/**
 * One test per scenario, through the real HTTP API of the local stack: place-order, the EXPRESS
 * intake, EventBridge, the STANDARD fulfilment and the real handlers writing real rows.
 */
interface PaymentRow { status: string; attempts: number; chargeId?: string; refundId?: string }
interface ReservationRow { status: string }

const place = async (overrides: Record<string, unknown>): Promise<OrderView> => {
  const { status, body } = await postOrder(orderRequest(overrides));
  expect(status).toBe(201);
  const order = await waitForTerminalStatus(String(body.orderId));
  await waitForExecutionEnd(await fulfilmentExecutionOf(order.orderId));
  return order;
};

describe('orders end to end', () => {
  it('ships a tok_visa order: charged once, stock reserved, shipment booked, customer emailed', async () => {
    const sku = await createProduct(10);

    const order = await place({ items: [{ sku, quantity: 3 }], paymentToken: 'tok_visa' });

    expect(order.status).toBe('SHIPPED');
    expect(JSON.stringify(order)).not.toContain('tok_visa');
    // Customers see no execution ARN or account id; operators find the execution by the order's id.
    expect(JSON.stringify(order)).not.toMatch(/arn:aws|000000000000/);
    expect(await fulfilmentExecutionOf(order.orderId)).toMatch(/^arn:aws:states:.*:execution:sfn-orders-local-order-fulfilment:/);
    expect(await stockOf(sku)).toBe(7);
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId })).toMatchObject({ status: 'CAPTURED', attempts: 1 });
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId: order.orderId })).toMatchObject({ status: 'RESERVED' });
    expect(order.shipment?.trackingNumber).toMatch(/^DP[0-9A-F]{12}$/);
    const email = (await outbox()).find((sent) => sent.subject.includes(order.orderId));
    expect(email?.text).toContain(order.shipment?.trackingNumber);
  });

  it('declines tok_declined: PAYMENT_DECLINED, stock unchanged, nothing charged', async () => {
    const sku = await createProduct(10);

    const order = await place({ items: [{ sku, quantity: 2 }], paymentToken: 'tok_declined' });

    expect(order.status).toBe('PAYMENT_DECLINED');
    expect(order.failure?.error).toBe('PaymentDeclined');
    expect(await stockOf(sku)).toBe(10);
    const payment = await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId });
    expect(payment?.status).toBe('DECLINED');
    expect(payment?.chargeId).toBeUndefined();
  });

  it('marks an order OUT_OF_STOCK when stock runs short and no restock comes within its backorder window, and keeps no money', async () => {
    const sku = await createProduct(2);

    const order = await place({ items: [{ sku, quantity: 3 }], paymentToken: 'tok_visa' });

    expect(order.status).toBe('OUT_OF_STOCK');
    expect(order.failure?.error).toBe('OutOfStock');
    expect(await stockOf(sku)).toBe(2);
    const payment = await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId });
    // The charge branch may finish before or after the stock check fails: refunded if it
    // captured, voided if compensation got there first. Never kept.
    expect(['REFUNDED', 'VOIDED']).toContain(payment?.status);
    if (payment?.chargeId) expect(payment.refundId).toBeDefined();
    const history = await executionHistory(await fulfilmentExecutionOf(order.orderId));
    expect(history.some((event) => event.stateEnteredEventDetails?.name === 'RefundHeldPayment')).toBe(true);
    expect(history.some((event) => event.stateEnteredEventDetails?.name === 'BackorderWindowClosed')).toBe(true);
  });

  it('retries tok_flaky twice and ships, with the retries in the execution history', async () => {
    const sku = await createProduct(5);

    const order = await place({ items: [{ sku, quantity: 1 }], paymentToken: 'tok_flaky' });

    expect(order.status).toBe('SHIPPED');
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId })).toMatchObject({ status: 'CAPTURED', attempts: 3 });
    const history = await executionHistory(await fulfilmentExecutionOf(order.orderId));
    const failures = history.filter((event) => event.type === 'TaskFailed' && event.taskFailedEventDetails?.error === 'PaymentGatewayUnavailable');
    expect(failures).toHaveLength(2);
    expect(history.filter((event) => event.stateEnteredEventDetails?.name === 'ChargePayment')).toHaveLength(1);
  });

  it('fails tok_gateway_down after its retries, compensates everything and alerts operations', async () => {
    const sku = await createProduct(5);

    const order = await place({ items: [{ sku, quantity: 2 }], paymentToken: 'tok_gateway_down' });

    expect(order.status).toBe('FAILED');
    expect(order.failure?.error).toBe('PaymentGatewayUnavailable');
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId })).toMatchObject({ status: 'REFUNDED', attempts: 4 });
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId: order.orderId })).toMatchObject({ status: 'RELEASED' });
    const alert = (await outbox()).find((sent) => sent.subject === 'Order fulfilment failed' && sent.text.includes('PaymentGatewayUnavailable'));
    expect(alert).toBeDefined();
  });

  it('refunds the charge and returns the stock when shipping fails after payment', async () => {
    const sku = await createProduct(5);

    const order = await place({
      items: [{ sku, quantity: 1 }],
      shippingAddress: { name: 'Ada', line1: '1 Nowhere Lane', city: 'Void', postalCode: '99999', country: 'DE' },
    });

    expect(order.status).toBe('FAILED');
    expect(order.failure?.error).toBe('CarrierUnavailable');
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow<PaymentRow>(TABLES.payments, { orderId: order.orderId })).toMatchObject({ status: 'REFUNDED' });
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId: order.orderId })).toMatchObject({ status: 'RELEASED' });
    expect(await getRow(TABLES.shipments, { orderId: order.orderId })).toBeUndefined();
  });

  it('answers GET /orders/{id} with 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await getOrder('ord_00000000000000000000000000000000');
    const malformed = await getOrder('not-an-order');

    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'OrderNotFound' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'InvalidOrderId' });
  });

  it('lists the catalogue with prices in cents and reservable stock', async () => {
    const sku = await createProduct(4, 2500);

    // Public: no token. Read at most once every few seconds, so a new product may take that long to show.
    const { status, headers, body } = await pollUntil(
      `product ${sku} in GET /products`,
      () => call<{ sku: string; name: string; price: { amount: number; currency: string }; available: number }[]>('/products'),
      (answer) => answer.body.some((product) => product.sku === sku),
      15_000,
      500,
    );

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('public, max-age=5');
    expect(body.find((product) => product.sku === sku)).toEqual({ sku, name: `Test product ${sku}`, price: { amount: 2500, currency: 'EUR' }, available: 4 });
    expect(body.some((product) => product.price.amount * 2 > 50000)).toBe(true);
  });
});
