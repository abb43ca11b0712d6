import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/order-fulfilment.asl.yaml, as compiled by serverless package, with the
 * mock-config test cases in statemachines/mock-config.json. Every Task is mocked: these tests
 * prove the routing (Retry, Catch, compensation), the e2e tests prove the handlers.
 */
const MACHINE = `${STAGE_PREFIX}-order-fulfilment`;
const orderPlaced = JSON.parse(readFileSync(new URL('../../events/order-placed.json', import.meta.url), 'utf8')) as {
  detail: { order: { total: { amount: number } } };
};
const highValueOrderPlaced = structuredClone(orderPlaced);
highValueOrderPlaced.detail.order.total.amount = 50001;

const coverage = new CoverageRecorder();
const run = async (testCase: string, input: unknown = orderPlaced): Promise<Run> =>
  coverage.record(await runStandardTestCase(MACHINE, testCase, input));

const COMPENSATION = ['Compensate', 'RefundPayment', 'ReleaseInventory', 'RecordOutcome', 'NotifyCustomerOfOutcome', 'CheckOutcome'];

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

  it('passes the nested approval workflow the order, its amount and the stage approver', async () => {
    const result = await run('HappyPath', highValueOrderPlaced);

    const submitted = result.events.find((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'startExecution.sync:2');
    const parameters = JSON.parse(submitted?.taskScheduledEventDetails?.parameters ?? '{}') as { Name: string; StateMachineArn: string; Input: Record<string, unknown> };
    expect(parameters.StateMachineArn).toMatch(/:stateMachine:sfn-orders-local-approval$/);
    expect(parameters.Name).toBe('approve-ord_0123456789abcdef0123456789abcdef');
    expect(parameters.Input).toMatchObject({
      approver: 'approvals@example.com',
      request: { kind: 'order', id: 'ord_0123456789abcdef0123456789abcdef', amount: { amount: 50001, currency: 'EUR' } },
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

  it('compensates (refund included) and records OUT_OF_STOCK when stock runs out', async () => {
    const result = await run('OutOfStock');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> OutOfStock']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['RefundPayment', 'ReleaseInventory', 'RecordOutcome']));
    expect(result.statesEntered.at(-1)).toBe('OrderClosed');
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

  it('marks the order FAILED and alerts operations when compensation itself fails', async () => {
    const result = await run('CompensationFails');

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual(['ChargeAndReserve -> PaymentDeclined', 'Compensate -> CompensationFailed']);
    expect(result.statesEntered).toEqual(expect.arrayContaining(['CompensationFailed', 'RecordOutcome', 'AlertOperators', 'FulfilmentFailed']));
  });

  it('alerts operations when the outcome cannot be recorded', async () => {
    const result = await run('RecordOutcomeFails');

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toContain('RecordOutcome -> AlertOperators');
    expect(result.statesEntered).not.toContain('NotifyCustomerOfOutcome');
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

  it('visited every state and took every Catch route of the definition', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [] });
  });
});
