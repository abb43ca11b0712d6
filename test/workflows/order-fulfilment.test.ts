import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/order-fulfilment/definition.asl.yaml, as compiled by serverless package, with the
 * mock cases in statemachines/order-fulfilment/mock-cases.yaml. Every Task is mocked: these tests
 * prove the routing (Retry, Catch, compensation), the e2e tests prove the handlers.
 */
const MACHINE = `${STAGE_PREFIX}-order-fulfilment`;
const orderPlaced = JSON.parse(readFileSync(new URL('../../events/order-placed.json', import.meta.url), 'utf8')) as {
  detail: { order: { orderId: string; placedAt: string; items: unknown[]; total: { amount: number } } };
};
const highValueOrderPlaced = structuredClone(orderPlaced);
highValueOrderPlaced.detail.order.total.amount = 50001;

const coverage = new CoverageRecorder();
// What the runs took, for the summary `npm run test:workflows` prints and the console's coverage overlay.
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string, input: unknown = orderPlaced): Promise<Run> =>
  coverage.record(await runStandardTestCase(MACHINE, testCase, input));

const ORDER_ID = orderPlaced.detail.order.orderId;

/** The parameters each TaskScheduled of a state was given, in order (a state runs more than once after a backorder). */
const parametersOf = (result: Run, state: string): { FunctionName?: string; Payload?: Record<string, unknown> }[] => {
  const byId = new Map(result.events.map((event) => [event.id, event]));
  return result.events
    .filter((event) => event.type === 'TaskScheduled')
    .filter((event) => {
      let previous = byId.get(event.previousEventId);
      while (previous && !previous.stateEnteredEventDetails) previous = byId.get(previous.previousEventId);
      return previous?.stateEnteredEventDetails?.name === state;
    })
    .map((event) => JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}') as { FunctionName?: string; Payload?: Record<string, unknown> });
};

const COMPENSATION = ['RecordOutcome', 'Compensate', 'RefundPayment', 'ReleaseInventory', 'NotifyCustomerOfOutcome', 'CheckOutcome'];
/** What follows a compensation that finished; a compensation that cannot finish ends the execution before them. */
const AFTER_COMPENSATION = ['NotifyCustomerOfOutcome', 'CheckOutcome', 'AlertOperators', 'FulfilmentFailed', 'OrderClosed'];

describe('order-fulfilment', () => {
  it('charges, reserves, ships and notifies an order under the approval threshold', async () => {
    const result = await run('HappyPath');

    expect(result.status).toBe('SUCCEEDED');
    const branchStates = ['ChargePayment', 'ReserveInventory'];
    expect(result.statesEntered.filter((name) => !branchStates.includes(name))).toEqual([
      'ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrder', 'ChargeAndReserve',
      'CreateShipment', 'MarkShipped', 'NotifyShipped', 'Shipped',
    ]);
    expect(result.statesEntered).toEqual(expect.arrayContaining(branchStates));
    expect(result.statesEntered).not.toContain('RequestApproval');
    expect(result.statesEntered).not.toContain('Compensate');
  });

  it('waits for the approval of an order over 500.00 before charging, then ships it', async () => {
    const result = await run('HappyPath', highValueOrderPlaced);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(0, 6)).toEqual([
      'ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrderForApproval', 'RequestApproval', 'CheckApprovalDecision', 'ResumeAfterApproval',
    ]);
    expect(result.statesEntered).not.toContain('ClaimOrder');
    expect(result.statesEntered.indexOf('ResumeAfterApproval')).toBeLessThan(result.statesEntered.indexOf('ChargeAndReserve'));
    expect(result.statesEntered.at(-1)).toBe('Shipped');
  });

  it('passes the nested approval workflow the order (lines, total, destination), its amount and the stage approver', async () => {
    const result = await run('HappyPath', highValueOrderPlaced);

    const submitted = result.events.find((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'startExecution.sync:2');
    const parameters = JSON.parse(submitted?.taskScheduledEventDetails?.parameters ?? '{}') as { Name: string; StateMachineArn: string; Input: Record<string, unknown> };
    expect(parameters.StateMachineArn).toMatch(/:stateMachine:sfn-orders-local-approval$/);
    expect(parameters.Name).toBe('approve-ord_0123456789abcdef0123456789abcdef');
    expect(parameters.Input).toMatchObject({
      approver: 'approvals@example.com',
      request: { kind: 'order', id: 'ord_0123456789abcdef0123456789abcdef', amount: { amount: 50001, currency: 'EUR' } },
    });
    const { order } = highValueOrderPlaced.detail as { order: Record<string, unknown> };
    expect((parameters.Input.request as { order: unknown }).order).toEqual({
      items: order.items, total: order.total, shippingAddress: order.shippingAddress, email: order.email,
    });
  });

  it.each([
    ['ApprovalRejected', 'APPROVAL_REJECTED'],
    ['ApprovalExpired', 'APPROVAL_EXPIRED'],
  ])('closes the order without charging or reserving when approval ends %s, and tells the customer', async (testCase, outcome) => {
    const result = await run(testCase, highValueOrderPlaced);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([
      'ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrderForApproval', 'RequestApproval', 'CheckApprovalDecision',
      testCase, 'CloseUnapprovedOrder', 'NotifyCustomerOfOutcome', 'CheckOutcome', 'OrderClosed',
    ]);
    const closing = result.events.find((event) => event.stateEnteredEventDetails?.name === 'CloseUnapprovedOrder');
    expect(JSON.parse(closing?.stateEnteredEventDetails?.input ?? '{}')).toMatchObject({ outcome });
  });

  it('ignores a duplicate OrderPlaced delivery of an order awaiting approval', async () => {
    const result = await run('DuplicateDeliveryAwaitingApproval', highValueOrderPlaced);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrderForApproval', 'AlreadyClaimed']);
    expect(result.caughtTransitions).toEqual(['ClaimOrderForApproval -> AlreadyClaimed']);
  });

  it.each([
    ['ClaimForApprovalFails', 'ClaimOrderForApproval -> HandleUnexpectedError'],
    ['ApprovalWorkflowFails', 'RequestApproval -> HandleUnexpectedError'],
    ['ResumeAfterApprovalFails', 'ResumeAfterApproval -> HandleUnexpectedError'],
  ])('fails the order, compensated, when %s on the approval path', async (testCase, edge) => {
    const result = await run(testCase, highValueOrderPlaced);

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['HandleUnexpectedError', ...COMPENSATION, 'AlertOperators', 'FulfilmentFailed']));
    expect(result.statesEntered).not.toContain('ChargeAndReserve');
  });

  it('alerts operations when a rejected order cannot be closed', async () => {
    const result = await run('CloseUnapprovedOrderFails', highValueOrderPlaced);

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual(['CloseUnapprovedOrder -> AlertOperators']);
    expect(result.statesEntered).not.toContain('NotifyCustomerOfOutcome');
  });

  it('ignores a duplicate OrderPlaced delivery without charging or reserving', async () => {
    const result = await run('DuplicateDelivery');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ReadOrderPlacedEvent', 'CheckApprovalThreshold', 'ClaimOrder', 'AlreadyClaimed']);
    expect(result.caughtTransitions).toEqual(['ClaimOrder -> AlreadyClaimed']);
  });

  it('compensates, records PAYMENT_DECLINED and closes the order when the card is declined', async () => {
    const result = await run('PaymentDeclined');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> PaymentDeclined']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(COMPENSATION));
    expect(result.statesEntered.at(-1)).toBe('OrderClosed');
    expect(result.statesEntered).not.toContain('CreateShipment');
    expect(result.statesEntered).not.toContain('AlertOperators');
  });

  it('backorders an order short of stock: refunds the held payment, marks it, tells the customer and waits in line', async () => {
    const result = await run('BackorderedThenServed');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder']);
    expect(result.statesEntered.slice(result.statesEntered.indexOf('Backorder'))).toEqual([
      'Backorder', 'RefundHeldPayment', 'MarkBackordered', 'NotifyBackordered', 'WaitForRestock', 'ResumeAfterBackorder',
      'UseBackorderPaymentKey', 'ChargeBackorderedOrder', 'CreateShipment', 'MarkShipped', 'NotifyShipped', 'Shipped',
    ]);
    expect(result.statesEntered.filter((name) => name === 'ReserveInventory')).toHaveLength(1);
    expect(result.statesEntered).not.toContain('ReleaseInventory');
    expect(result.statesEntered).not.toContain('Compensate');
  });

  it('refunds the first payment attempt by its key and charges again under a key of its own after the wait', async () => {
    const result = await run('BackorderedThenServed');

    expect(parametersOf(result, 'ChargePayment').map(({ Payload }) => Payload)).toEqual([expect.objectContaining({ orderId: ORDER_ID, paymentKey: ORDER_ID })]);
    expect(parametersOf(result, 'ChargeBackorderedOrder').map(({ Payload }) => Payload)).toEqual([
      expect.objectContaining({ orderId: ORDER_ID, paymentKey: `${ORDER_ID}/backorder` }),
    ]);
    expect(parametersOf(result, 'RefundHeldPayment').map(({ Payload }) => Payload)).toEqual([expect.objectContaining({ paymentKey: ORDER_ID })]);
  });

  it('waits for stock with the order, its placement time and the task token, for the stage backorder window', async () => {
    const result = await run('BackorderedThenServed');

    const [registration] = parametersOf(result, 'WaitForRestock');
    expect(registration?.Payload).toEqual({
      orderId: ORDER_ID,
      placedAt: orderPlaced.detail.order.placedAt,
      items: orderPlaced.detail.order.items,
      taskToken: expect.any(String),
    });
    expect(String(registration?.FunctionName)).toMatch(/:function:sfn-orders-local-registerBackorder$/);
    const scheduled = result.events.find((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'invoke.waitForTaskToken');
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(Number(process.env.BACKORDER_WINDOW_SECONDS ?? 300));
    const [email] = parametersOf(result, 'NotifyBackordered');
    expect(email?.Payload).toMatchObject({ template: 'Backordered', orderId: ORDER_ID, windowSeconds: Number(process.env.BACKORDER_WINDOW_SECONDS ?? 300) });
  });

  it('closes the order OUT_OF_STOCK when its backorder window ends: out of line, compensated, customer told', async () => {
    const result = await run('OutOfStock');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder', 'WaitForRestock -> BackorderWindowClosed']);
    expect(result.statesEntered.slice(result.statesEntered.indexOf('BackorderWindowClosed'))).toEqual(expect.arrayContaining([
      'BackorderWindowClosed', 'WithdrawBackorder', 'OutOfStock', ...COMPENSATION, 'OrderClosed',
    ]));
    const recorded = result.events.find((event) => event.stateEnteredEventDetails?.name === 'RecordOutcome');
    expect(JSON.parse(recorded?.stateEnteredEventDetails?.input ?? '{}')).toMatchObject({
      outcome: 'OUT_OF_STOCK',
      failure: { Error: 'OutOfStock', Cause: 'No stock arrived within the backorder window.' },
      payment: { key: ORDER_ID },
    });
    expect(result.statesEntered).not.toContain('ResumeAfterBackorder');
  });

  it('closes the order PAYMENT_DECLINED when the charge after the wait is declined, releasing its stock and refunding that attempt', async () => {
    const result = await run('BackorderChargeDeclined');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder', 'ChargeBackorderedOrder -> PaymentDeclined']);
    expect(result.statesEntered).toEqual(expect.arrayContaining([...COMPENSATION, 'OrderClosed']));
    expect(parametersOf(result, 'RefundPayment').map(({ Payload }) => Payload)).toEqual([expect.objectContaining({ paymentKey: `${ORDER_ID}/backorder` })]);
    expect(result.statesEntered).not.toContain('CreateShipment');
  });

  it('still closes the order and compensates when it cannot be taken out of line', async () => {
    const result = await run('BackorderWindowClosesWithdrawFails');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder', 'WaitForRestock -> BackorderWindowClosed', 'WithdrawBackorder -> OutOfStock']);
    expect(result.statesEntered).toEqual(expect.arrayContaining([...COMPENSATION, 'OrderClosed']));
  });

  it('keeps its place in line when the backorder email fails, and tells operations', async () => {
    const result = await run('BackorderNotificationFails');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder', 'NotifyBackordered -> ReportBackorderNotificationFailure']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['ReportBackorderNotificationFailure', 'WaitForRestock', 'Shipped']));
  });

  it('keeps waiting even when the operations report of a failed backorder email fails', async () => {
    const result = await run('BackorderNotificationAndReportFail');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toContain('ReportBackorderNotificationFailure -> WaitForRestock');
    expect(result.statesEntered.at(-1)).toBe('Shipped');
  });

  it.each([
    ['BackorderRefundFails', 'RefundHeldPayment -> HandleUnexpectedError'],
    ['MarkBackorderedFails', 'MarkBackordered -> HandleUnexpectedError'],
    ['BackorderRegistrationFails', 'WaitForRestock -> HandleUnexpectedError'],
    ['ResumeAfterBackorderFails', 'ResumeAfterBackorder -> HandleUnexpectedError'],
    ['BackorderChargeFails', 'ChargeBackorderedOrder -> HandleUnexpectedError'],
  ])('fails the backordered order, compensated, when %s', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> Backorder', edge]);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['HandleUnexpectedError', ...COMPENSATION, 'AlertOperators', 'FulfilmentFailed']));
    expect(result.statesEntered).not.toContain('CreateShipment');
  });

  it('retries a flaky payment gateway and ships once the charge goes through', async () => {
    const result = await run('GatewayFlakyThenCharged');

    expect(result.status).toBe('SUCCEEDED');
    expect(failedAttempts(result, 'ChargePayment')).toBe(2);
    expect(result.statesEntered.at(-1)).toBe('Shipped');
    expect(result.caughtTransitions).toEqual([]);
  });

  it('gives up on a gateway that stays down after three retries and fails the order, compensated', async () => {
    const result = await run('GatewayDown');

    expect(result.status).toBe('FAILED');
    expect(failedAttempts(result, 'ChargePayment')).toBe(4);
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> HandleUnexpectedError']);
    expect(result.statesEntered).toEqual(expect.arrayContaining([...COMPENSATION, 'AlertOperators', 'FulfilmentFailed']));
  });

  it.each([
    ['ClaimFails', 'ClaimOrder -> HandleUnexpectedError'],
    ['ShipmentFails', 'CreateShipment -> HandleUnexpectedError'],
    ['MarkShippedFails', 'MarkShipped -> HandleUnexpectedError'],
  ])('sends an unexpected failure in %s through compensation to FAILED and an operator alert', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('FulfilmentFailed');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['HandleUnexpectedError', ...COMPENSATION, 'AlertOperators', 'FulfilmentFailed']));
  });

  it('keeps a shipped order shipped when the customer email fails, and tells operations', async () => {
    const result = await run('NotifyShippedFails');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['NotifyShipped -> ReportNotificationFailure']);
    expect(result.statesEntered.slice(-2)).toEqual(['ReportNotificationFailure', 'Shipped']);
    expect(result.statesEntered).not.toContain('Compensate');
  });

  it('still ends shipped when even the operations report fails', async () => {
    const result = await run('NotificationAndReportFail');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['NotifyShipped -> ReportNotificationFailure', 'ReportNotificationFailure -> Shipped']);
  });

  it('records the outcome, retries a failing refund whatever its error, then fails the execution at that step, for a redrive', async () => {
    const result = await run('CompensationFails');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Error');
    expect(failedAttempts(result, 'RefundPayment')).toBe(10);
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> PaymentDeclined']);
    expect(result.statesEntered.indexOf('RecordOutcome')).toBeLessThan(result.statesEntered.indexOf('Compensate'));
    expect(result.statesEntered).toEqual(expect.arrayContaining(['RefundPayment', 'ReleaseInventory']));
    expect(result.events.at(-2)?.type).toBe('ParallelStateFailed');
    for (const state of AFTER_COMPENSATION) expect(result.statesEntered).not.toContain(state);
  });

  it('retries a refund patiently through a gateway outage, then fails the execution at that step, uncaught', async () => {
    const result = await run('RefundOutageOutlastsRetries');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('PaymentGatewayUnavailable');
    expect(failedAttempts(result, 'RefundPayment')).toBe(10);
    expect(result.caughtTransitions).toEqual(['CreateShipment -> HandleUnexpectedError']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['HandleUnexpectedError', 'RecordOutcome', 'Compensate', 'ReleaseInventory']));
    for (const state of AFTER_COMPENSATION) expect(result.statesEntered).not.toContain(state);
  });

  it('still compensates and tells the customer when the outcome cannot be recorded, and alerts operations', async () => {
    const result = await run('RecordOutcomeFails');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('FulfilmentFailed');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> PaymentDeclined', 'RecordOutcome -> Compensate']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['RefundPayment', 'ReleaseInventory']));
    expect(result.statesEntered.slice(-4)).toEqual(['NotifyCustomerOfOutcome', 'CheckOutcome', 'AlertOperators', 'FulfilmentFailed']);
  });

  it('alerts operations when the customer cannot be told of the outcome', async () => {
    const result = await run('NotifyOutcomeFails');

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toContain('NotifyCustomerOfOutcome -> AlertOperators');
  });

  it('fails the execution even when the operator alert cannot be sent', async () => {
    const result = await run('AlertFails');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('FulfilmentFailed');
    expect(result.caughtTransitions).toContain('AlertOperators -> FulfilmentFailed');
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
