import { StartSyncExecutionCommand, type SFNClient, type StartSyncExecutionCommandOutput } from '@aws-sdk/client-sfn';
import {
  IdempotencyConflictError,
  IntakeInProgressError,
  IntakeUnavailableError,
  InvalidOrderError,
} from '../../functions/shared/errors.js';
import type { IntakeInput } from '../../functions/shared/orders/place-order.js';
import { stepFunctionsOrderIntake } from '../../functions/shared/orders/step-functions-order-intake.js';
import { validOrderRequest } from './support/order-fixtures.js';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders-local-order-intake';

type Outcome = Partial<StartSyncExecutionCommandOutput>;

/** An SFN client that records every command and answers each with `outcome` (or throws it). */
const fakeSfn = (outcome: Outcome | Error): { client: SFNClient; sent: unknown[] } => {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      if (outcome instanceof Error) throw outcome;
      return { executionArn: 'arn:aws:states:us-east-1:000000000000:express:orders-local-order-intake:x:y', ...outcome };
    },
  } as unknown as SFNClient;
  return { client, sent };
};

const input: IntakeInput = {
  orderId: 'ord_0123456789abcdef0123456789abcdef',
  requestHash: 'f'.repeat(64),
  request: validOrderRequest(),
  receivedAt: '2026-03-04T05:06:07.089Z',
};

/** The cause a Fail state passes on from a Lambda task that threw. */
const lambdaCause = (errorType: string, errorMessage: string): string =>
  JSON.stringify({ errorType, errorMessage, trace: [] });

const rejectionOf = async (outcome: Outcome | Error): Promise<unknown> => {
  try {
    await stepFunctionsOrderIntake(fakeSfn(outcome).client, STATE_MACHINE_ARN).run(input);
  } catch (error) {
    return error;
  }
  throw new Error('expected the intake to throw, but it returned');
};

describe('stepFunctionsOrderIntake', () => {
  it('starts one synchronous execution of the intake state machine with the intake input as JSON', async () => {
    // Prepare
    const { client, sent } = fakeSfn({ status: 'SUCCEEDED', output: '{"orderId":"ord_1","status":"PLACED","total":{"amount":1,"currency":"EUR"},"replayed":false}' });

    // Act
    await stepFunctionsOrderIntake(client, STATE_MACHINE_ARN).run(input);

    // Assess
    expect(sent).toHaveLength(1);
    const command = sent[0];
    expect(command).toBeInstanceOf(StartSyncExecutionCommand);
    const commandInput = (command as StartSyncExecutionCommand).input;
    expect(commandInput.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(JSON.parse(commandInput.input ?? 'null')).toEqual(input);
  });

  it('returns the parsed output of a SUCCEEDED execution', async () => {
    // Prepare
    const output = { orderId: input.orderId, status: 'PLACED', total: { amount: 25800, currency: 'EUR' }, replayed: true };

    // Act
    const result = await stepFunctionsOrderIntake(fakeSfn({ status: 'SUCCEEDED', output: JSON.stringify(output) }).client, STATE_MACHINE_ARN).run(input);

    // Assess
    expect(result).toEqual(output);
  });

  it('turns an InvalidOrder failure with a Lambda error cause into InvalidOrderError with the parsed problems', async () => {
    // Prepare
    const outcome: Outcome = {
      status: 'FAILED',
      error: 'InvalidOrder',
      cause: lambdaCause('InvalidOrder', 'items[0].sku: unknown SKU "X"'),
    };

    // Act
    const error = await rejectionOf(outcome);

    // Assess
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect((error as InvalidOrderError).problems).toEqual([{ field: 'items[0].sku', problem: 'unknown SKU "X"' }]);
    expect((error as InvalidOrderError).message).toBe('items[0].sku: unknown SKU "X"');
  });

  it('keeps every problem of an InvalidOrder failure, as validate-order wrote them', async () => {
    // Prepare: the message of the error validate-order throws is what the cause carries.
    const problems = [
      { field: 'items[0].sku', problem: 'unknown SKU "X"' },
      { field: 'items[3].sku', problem: 'unknown SKU "Y"' },
      { field: 'items', problem: 'mixes currencies (EUR, USD); place one order per currency' },
    ];
    const outcome: Outcome = { status: 'FAILED', error: 'InvalidOrder', cause: lambdaCause('InvalidOrder', new InvalidOrderError(problems).message) };

    // Act
    const error = await rejectionOf(outcome);

    // Assess
    expect((error as InvalidOrderError).problems).toEqual(problems);
  });

  it('reads an InvalidOrder cause that is plain text rather than Lambda JSON', async () => {
    // Act
    const error = await rejectionOf({ status: 'FAILED', error: 'InvalidOrder', cause: 'email: must be an email address' });

    // Assess
    expect((error as InvalidOrderError).problems).toEqual([{ field: 'email', problem: 'must be an email address' }]);
  });

  it('keeps a mixed-currency problem whole when it comes back from the workflow', async () => {
    // Prepare: the message priceOrder writes for a mixed-currency order, as validate-order throws it.
    const problem = { field: 'items', problem: 'mixes currencies (EUR, USD); place one order per currency' };
    const outcome: Outcome = { status: 'FAILED', error: 'InvalidOrder', cause: lambdaCause('InvalidOrder', new InvalidOrderError([problem]).message) };

    // Act
    const error = await rejectionOf(outcome);

    // Assess
    expect((error as InvalidOrderError).problems).toEqual([problem]);
  });

  it('turns an IdempotencyConflict failure into IdempotencyConflictError', async () => {
    // Prepare
    const outcome: Outcome = { status: 'FAILED', error: 'IdempotencyConflict', cause: 'This Idempotency-Key was already used for a different order request.' };

    // Act
    const error = await rejectionOf(outcome);

    // Assess
    expect(error).toBeInstanceOf(IdempotencyConflictError);
    expect((error as Error).name).toBe('IdempotencyConflict');
  });

  it('turns an IntakeInProgress failure (the original request is still publishing) into IntakeInProgressError', async () => {
    const outcome: Outcome = { status: 'FAILED', error: 'IntakeInProgress', cause: 'A request with this Idempotency-Key is still being processed; retry it shortly.' };

    const error = await rejectionOf(outcome);

    expect(error).toBeInstanceOf(IntakeInProgressError);
    expect((error as Error).message).toContain('retry shortly');
  });

  it.each<[string, Outcome, string]>([
    ['an IntakeFailed failure', { status: 'FAILED', error: 'IntakeFailed', cause: 'The order could not be recorded' }, 'IntakeFailed'],
    ['a States.Runtime failure', { status: 'FAILED', error: 'States.Runtime', cause: 'boom' }, 'States.Runtime'],
    ['a FAILED execution without an error name', { status: 'FAILED' }, 'FAILED'],
    ['a TIMED_OUT execution', { status: 'TIMED_OUT' }, 'TIMED_OUT'],
  ])('turns %s into IntakeUnavailableError', async (_, outcome, named) => {
    // Act
    const error = await rejectionOf(outcome);

    // Assess
    expect(error).toBeInstanceOf(IntakeUnavailableError);
    expect((error as Error).message).toBe(`the order could not be recorded (${named}); retry with the same Idempotency-Key`);
  });

  it('never hands the caller the internal cause of an unexpected failure', async () => {
    // Act
    const error = await rejectionOf({ status: 'FAILED', error: 'States.TaskFailed', cause: lambdaCause('AccessDenied', 'secret table arn') });

    // Assess
    expect((error as Error).message).not.toContain('secret table arn');
  });

  it.each([
    ['throttled', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
    ['unreachable', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { name: 'Error' })],
  ])('reports a StartSyncExecution call that fails (%s) as IntakeUnavailable, as the OrderIntake port promises', async (_, failure) => {
    // Act
    const error = await rejectionOf(failure);

    // Assess
    expect(error).toBeInstanceOf(IntakeUnavailableError);
    expect((error as Error).message).toContain('retry with the same Idempotency-Key');
    expect((error as Error).message).not.toContain('ECONNREFUSED');
  });
});
