import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, call, orderRequest, outbox, postOrder, signIn, waitForStatus, waitForTerminalStatus, type Customer } from '../support/api.js';
import { createProduct, db, executionHistory, fulfilmentExecutionOf, getRow, stockOf, TABLES, waitForExecutionEnd } from '../support/local-aws.js';
import { pollUntil } from '../support/poll.js';
import { STAGE_PREFIX } from '../support/workflow-harness.js';

/**
 * Backorders through the real stack: orders short of stock wait BACKORDERED in line for their SKU
 * (real rows in the backorders table, the fulfilment execution on its task token); an admin
 * restock emits InventoryRestocked, which EventBridge delivers to serve-backorders, which serves
 * the line first placed first; the order still short when its window (BACKORDER_WINDOW_SECONDS,
 * 20 s in the test stack) ends closes OUT_OF_STOCK with nothing captured.
 */
interface PaymentRow { orderId: string; status: string; chargeId?: string; refundId?: string; attempts: number }
interface ReservationRow { status: string; updatedAt: string }

const lambda = new LambdaClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' });
const WINDOW_MS = Number(process.env.BACKORDER_WINDOW_SECONDS ?? 20) * 1000;

const inLineFor = async (sku: string): Promise<string[]> => {
  const { Items } = await db.send(new QueryCommand({
    TableName: TABLES.backorders,
    IndexName: 'by-sku',
    KeyConditionExpression: 'sku = :sku',
    ExpressionAttributeValues: { ':sku': sku },
  }));
  return (Items ?? []).map((item) => String(item.orderId));
};

const restock = async (sku: string, quantity: number, admin: Customer) =>
  call(`/admin/products/${sku}/restock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(admin) },
    body: JSON.stringify({ quantity }),
  });

const placeOne = async (sku: string): Promise<string> => {
  const { status, body } = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' }));
  expect(status).toBe(201);
  const orderId = String(body.orderId);
  await waitForStatus(orderId, 'BACKORDERED');
  return orderId;
};

/** Every payment attempt of an order: its first under the order id, the charge after a backorder under `<orderId>/backorder`. */
const paymentAttempts = async (orderId: string): Promise<PaymentRow[]> =>
  (await Promise.all([getRow<PaymentRow>(TABLES.payments, { orderId }), getRow<PaymentRow>(TABLES.payments, { orderId: `${orderId}/backorder` })]))
    .filter((row): row is PaymentRow => row !== undefined);

describe('backorders end to end', () => {
  it('serves three backordered orders in placement order: a restock for two ships them, the third closes OUT_OF_STOCK with nothing captured', async () => {
    const sku = await createProduct(0);
    const admin = await signIn(`ops-${randomUUID()}`, { scope: 'admin' });

    // Placed one after another, so their placement times are in this order.
    const first = await placeOne(sku);
    const second = await placeOne(sku);
    const third = await placeOne(sku);
    await pollUntil(`all three in line for ${sku}`, () => inLineFor(sku), (line) => line.length === 3, 15_000);

    // Waiting holds no money and no stock.
    for (const orderId of [first, second, third]) {
      for (const attempt of await paymentAttempts(orderId)) expect(['REFUNDED', 'VOIDED']).toContain(attempt.status);
      expect(await getRow(TABLES.reservations, { orderId })).toBeUndefined();
    }
    const emails = await outbox();
    for (const orderId of [first, second, third]) {
      expect(emails.find((email) => email.subject === `Your order ${orderId} is backordered`)?.text).toContain('Nothing is charged while it waits');
    }

    const restocked = await restock(sku, 2, admin);
    expect(restocked.status).toBe(200);

    const [firstShipped, secondShipped] = [await waitForTerminalStatus(first), await waitForTerminalStatus(second)];
    expect([firstShipped.status, secondShipped.status]).toEqual(['SHIPPED', 'SHIPPED']);
    // Served in placement order: the first order's stock was reserved before the second's.
    const [firstReservation, secondReservation] = [
      await getRow<ReservationRow>(TABLES.reservations, { orderId: first }),
      await getRow<ReservationRow>(TABLES.reservations, { orderId: second }),
    ];
    expect(firstReservation?.status).toBe('RESERVED');
    expect(secondReservation?.status).toBe('RESERVED');
    expect(firstReservation!.updatedAt < secondReservation!.updatedAt).toBe(true);
    // Charged again after the wait, under the attempt's own key; the first attempt stays refunded.
    for (const orderId of [first, second]) {
      expect(await getRow<PaymentRow>(TABLES.payments, { orderId: `${orderId}/backorder` })).toMatchObject({ status: 'CAPTURED', attempts: 1 });
      expect(['REFUNDED', 'VOIDED']).toContain((await getRow<PaymentRow>(TABLES.payments, { orderId }))?.status);
    }
    expect(await stockOf(sku)).toBe(0);
    expect(await inLineFor(sku)).toEqual([third]);

    // The third waits out its window.
    const closed = await waitForTerminalStatus(third, WINDOW_MS + 40_000);
    expect(closed.status).toBe('OUT_OF_STOCK');
    expect(closed.failure?.error).toBe('OutOfStock');
    await waitForExecutionEnd(await fulfilmentExecutionOf(third));
    const attempts = await paymentAttempts(third);
    expect(attempts.length).toBeGreaterThan(0);
    for (const attempt of attempts) {
      expect(['REFUNDED', 'VOIDED']).toContain(attempt.status);
      if (attempt.chargeId) expect(attempt.refundId).toBeDefined();
    }
    expect(await getRow<ReservationRow>(TABLES.reservations, { orderId: third })).toMatchObject({ status: 'RELEASED' });
    expect(await stockOf(sku)).toBe(0);
    expect(await inLineFor(sku)).toEqual([]);
    const history = await executionHistory(await fulfilmentExecutionOf(third));
    expect(history.some((event) => event.stateEnteredEventDetails?.name === 'BackorderWindowClosed')).toBe(true);
    expect((await outbox()).find((email) => email.subject === `Your order ${third} could not be filled`)).toBeDefined();
  });

  it('puts a new order behind the backordered ones, even when stock is there, and serves the first in line first', async () => {
    const sku = await createProduct(0);
    const admin = await signIn(`ops-${randomUUID()}`, { scope: 'admin' });
    const waiting = await placeOne(sku);
    await pollUntil(`the first order in line for ${sku}`, () => inLineFor(sku), (line) => line.length === 1, 15_000);
    // A unit that arrived without an InventoryRestocked (as stock a cancelled order gives back does).
    await db.send(new UpdateCommand({ TableName: TABLES.products, Key: { sku }, UpdateExpression: 'SET stock = stock + :one', ExpressionAttributeValues: { ':one': 1 } }));

    const { status, body } = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' }));
    expect(status).toBe(201);
    const newcomer = String(body.orderId);

    // The newcomer does not take the unit: it joins the line, and joining serves the line, first placed first.
    expect((await waitForTerminalStatus(waiting)).status).toBe('SHIPPED');
    expect((await waitForStatus(newcomer, 'BACKORDERED')).status).toBe('BACKORDERED');
    await pollUntil(`the newcomer alone in line for ${sku}`, () => inLineFor(sku), (line) => line.length === 1 && line[0] === newcomer, 15_000);
    expect(await stockOf(sku)).toBe(0);

    expect((await restock(sku, 1, admin)).status).toBe(200);
    expect((await waitForTerminalStatus(newcomer)).status).toBe('SHIPPED');
    expect(await stockOf(sku)).toBe(0);
  });

  it('serves the line with stock a compensation gives back, announced as InventoryReleased', async () => {
    const sku = await createProduct(0);
    const waiting = await placeOne(sku);
    await pollUntil(`the order in line for ${sku}`, () => inLineFor(sku), (line) => line.length === 1, 15_000);
    // An order that had reserved the last unit and failed: its compensation's release, invoked
    // through the Lambda API as the workflow's Compensate invokes it.
    const failed = `ord_${randomUUID().replaceAll('-', '')}`;
    await db.send(new PutCommand({ TableName: TABLES.reservations, Item: { orderId: failed, status: 'RESERVED', items: [{ sku, quantity: 1 }], updatedAt: new Date().toISOString() } }));

    const response = await lambda.send(new InvokeCommand({ FunctionName: `${STAGE_PREFIX}-releaseInventory`, Payload: Buffer.from(JSON.stringify({ orderId: failed })) }));

    expect(response.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8'))).toMatchObject({ outcome: 'RELEASED' });
    expect((await waitForTerminalStatus(waiting)).status).toBe('SHIPPED');
    expect(await stockOf(sku)).toBe(0);
    expect(await inLineFor(sku)).toEqual([]);
  });

  it('never takes stock below zero when restocks, new orders and backorders interleave', async () => {
    const sku = await createProduct(1);
    const admin = await signIn(`ops-${randomUUID()}`, { scope: 'admin' });

    // Six orders and three restocks of one unit at once: four units for six orders.
    const placed = await Promise.all([
      ...Array.from({ length: 6 }, () => postOrder(orderRequest({ items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' }))),
      ...Array.from({ length: 3 }, () => restock(sku, 1, admin)),
    ]);
    const orderIds = placed.slice(0, 6).map(({ status, body }) => {
      expect(status).toBe(201);
      return String(body.orderId);
    });
    expect(placed.slice(6).map(({ status }) => status)).toEqual([200, 200, 200]);

    const ended = await Promise.all(orderIds.map((orderId) => waitForTerminalStatus(orderId, WINDOW_MS + 60_000)));
    const shipped = ended.filter(({ status }) => status === 'SHIPPED');
    expect(shipped).toHaveLength(4);
    expect(ended.filter(({ status }) => status === 'OUT_OF_STOCK')).toHaveLength(2);
    expect(await stockOf(sku)).toBe(0);
    for (const order of ended.filter(({ status }) => status === 'OUT_OF_STOCK')) {
      for (const attempt of await paymentAttempts(order.orderId)) expect(['REFUNDED', 'VOIDED']).toContain(attempt.status);
    }
    await Promise.all(ended.map(async ({ orderId }) => waitForExecutionEnd(await fulfilmentExecutionOf(orderId))));
    expect(await inLineFor(sku)).toEqual([]);
  });
});
