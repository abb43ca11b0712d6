import { randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { getOrder, orderRequest, postOrder, waitForTerminalStatus } from '../support/api.js';
import { pollUntil } from '../support/poll.js';
import { countExecutions, countRows, createProduct, EVENT_BUS, eventBridge, executionHistory, fulfilmentExecutionOf, getRow, listExecutions, MACHINES, stockOf, TABLES, waitForExecutionEnd } from '../support/local-aws.js';

/** Idempotency and bad input at the front door: nothing is lost, nothing happens twice, 4xx writes nothing. */
const waitForExecutions = (machine: string, atLeast: number): Promise<number> =>
  pollUntil(`${atLeast} executions of ${machine}`, () => countExecutions(machine), (count) => count >= atLeast, 30_000);

describe('idempotent intake', () => {
  it('creates one order and one charge for the same Idempotency-Key sent 20 times at once', async () => {
    const sku = await createProduct(50);
    const key = `e2e-${randomUUID()}`;
    const request = orderRequest({ items: [{ sku, quantity: 2 }] });
    const fulfilmentsBefore = await countExecutions(MACHINES.fulfilment);

    const responses = await Promise.all(Array.from({ length: 20 }, () => postOrder(request, { 'idempotency-key': key })));

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const orderIds = new Set(responses.map((response) => response.body.orderId));
    expect(orderIds.size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    const orderId = String([...orderIds][0]);
    const order = await waitForTerminalStatus(orderId);
    expect(order.status).toBe('SHIPPED');
    expect(await getRow(TABLES.payments, { orderId })).toMatchObject({ status: 'CAPTURED', attempts: 1 });
    expect(await stockOf(sku)).toBe(48);
    expect(await countExecutions(MACHINES.fulfilment)).toBe(fulfilmentsBefore + 1);
  });

  it('answers a later retry with the same key and body with the same order', async () => {
    const key = `e2e-${randomUUID()}`;
    const request = orderRequest();
    const first = await postOrder(request, { 'idempotency-key': key });
    await waitForTerminalStatus(String(first.body.orderId));

    const retry = await postOrder(request, { 'idempotency-key': key });

    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ orderId: first.body.orderId, status: 'SHIPPED', total: first.body.total });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the same key with a different body with 422 and changes nothing', async () => {
    const key = `e2e-${randomUUID()}`;
    const first = await postOrder(orderRequest(), { 'idempotency-key': key });
    await waitForTerminalStatus(String(first.body.orderId));
    const ordersBefore = await countRows(TABLES.orders);

    const conflict = await postOrder(orderRequest({ items: [{ sku: 'KB-MECH-01', quantity: 2 }] }), { 'idempotency-key': key });

    expect(conflict.status).toBe(422);
    expect(conflict.body).toMatchObject({ error: 'IdempotencyConflict' });
    expect(await countRows(TABLES.orders)).toBe(ordersBefore);
    expect((await getOrder(String(first.body.orderId))).body).toMatchObject({ status: 'SHIPPED' });
  });

  it('treats a second OrderPlaced delivery for the same order as a no-op', async () => {
    const sku = await createProduct(10);
    const placed = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }] }));
    const orderId = String(placed.body.orderId);
    await waitForTerminalStatus(orderId);
    const firstExecution = await fulfilmentExecutionOf(orderId);
    const before = await countExecutions(MACHINES.fulfilment);
    const firstHistory = await executionHistory(firstExecution);
    const started = firstHistory.find((event) => event.type === 'ExecutionStarted');
    const event = JSON.parse(started?.executionStartedEventDetails?.input ?? '{}') as { detail: unknown };
    expect(JSON.stringify(event)).not.toContain('tok_');

    await eventBridge.send(new PutEventsCommand({
      Entries: [{ EventBusName: EVENT_BUS, Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(event.detail) }],
    }));

    expect(await waitForExecutions(MACHINES.fulfilment, before + 1)).toBe(before + 1);
    const duplicate = (await listExecutions(MACHINES.fulfilment)).find((execution) => execution.executionArn !== firstExecution
      && execution.startDate && started?.timestamp && execution.startDate > started.timestamp);
    await waitForExecutionEnd(duplicate?.executionArn ?? '');
    const duplicateStates = (await executionHistory(duplicate?.executionArn ?? '')).flatMap((entry) => entry.stateEnteredEventDetails?.name ?? []);
    expect(duplicateStates).toEqual(['ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrder', 'AlreadyClaimed']);
    expect(await stockOf(sku)).toBe(9);
    expect(await getRow(TABLES.payments, { orderId })).toMatchObject({ status: 'CAPTURED', attempts: 1 });
    // The simulated carrier may have delivered it meanwhile; the duplicate changed nothing either way.
    const after = (await getOrder(orderId)).body;
    expect(await fulfilmentExecutionOf(orderId)).toBe(firstExecution);
    expect(['SHIPPED', 'DELIVERED']).toContain(after.status);
  });
});

describe('bad input', () => {
  const valid = orderRequest();
  const tooLong = 'x'.repeat(300);
  interface BadRequestCase { name: string; body: unknown; headers?: Record<string, string>; status: number; error: string; field?: string }
  const cases: BadRequestCase[] = [
    { name: 'malformed JSON', body: '{"customerId": ', status: 400, error: 'MalformedJson' },
    { name: 'a form body', body: 'customerId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, error: 'UnsupportedMediaType' },
    { name: 'no content type', body: JSON.stringify(valid), headers: { 'content-type': '' }, status: 415, error: 'UnsupportedMediaType' },
    { name: 'an oversized body', body: { ...valid, customerId: 'x'.repeat(20_000) }, status: 413, error: 'PayloadTooLarge' },
    { name: 'a JSON array', body: [valid], status: 400, error: 'InvalidOrder' },
    { name: 'a missing email', body: { ...valid, email: undefined }, status: 400, error: 'InvalidOrder', field: 'email' },
    { name: 'a URL as the email', body: { ...valid, email: 'https://evil.example/pay@example.com' }, status: 400, error: 'InvalidOrder', field: 'email' },
    { name: 'a mistyped customerId', body: { ...valid, customerId: 42 }, status: 400, error: 'InvalidOrder', field: 'customerId' },
    { name: "another customer's customerId", body: { ...valid, customerId: 'someone-else' }, status: 400, error: 'InvalidOrder', field: 'customerId' },
    { name: 'quantity 0', body: { ...valid, items: [{ sku: 'KB-MECH-01', quantity: 0 }] }, status: 400, error: 'InvalidOrder', field: 'items[0].quantity' },
    { name: 'a negative quantity', body: { ...valid, items: [{ sku: 'KB-MECH-01', quantity: -3 }] }, status: 400, error: 'InvalidOrder', field: 'items[0].quantity' },
    { name: 'a fractional quantity', body: { ...valid, items: [{ sku: 'KB-MECH-01', quantity: 1.5 }] }, status: 400, error: 'InvalidOrder', field: 'items[0].quantity' },
    { name: 'a quantity as a string', body: { ...valid, items: [{ sku: 'KB-MECH-01', quantity: '2' }] }, status: 400, error: 'InvalidOrder', field: 'items[0].quantity' },
    { name: 'an absurd quantity', body: { ...valid, items: [{ sku: 'KB-MECH-01', quantity: 1_000_000 }] }, status: 400, error: 'InvalidOrder', field: 'items[0].quantity' },
    { name: 'an unknown SKU', body: { ...valid, items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }, status: 400, error: 'InvalidOrder', field: 'items[0].sku' },
    { name: 'no items', body: { ...valid, items: [] }, status: 400, error: 'InvalidOrder', field: 'items' },
    { name: 'too many items', body: { ...valid, items: Array.from({ length: 26 }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 })) }, status: 400, error: 'InvalidOrder', field: 'items' },
    { name: 'an over-long name', body: { ...valid, shippingAddress: { ...valid.shippingAddress, name: tooLong } }, status: 400, error: 'InvalidOrder', field: 'shippingAddress.name' },
    { name: 'a bad Idempotency-Key', body: valid, headers: { 'idempotency-key': 'has spaces in it' }, status: 400, error: 'InvalidIdempotencyKey' },
  ];

  it.each(cases)('refuses $name with $status naming the problem, writing nothing', async ({ body, headers, status, error, field }) => {
    const before = await Promise.all([countRows(TABLES.orders), countExecutions(MACHINES.fulfilment)]);

    const response = await postOrder(body, { ...headers });

    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error, message: expect.any(String) });
    if (field) expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await Promise.all([countRows(TABLES.orders), countExecutions(MACHINES.fulfilment)])).toEqual(before);
  });
});
