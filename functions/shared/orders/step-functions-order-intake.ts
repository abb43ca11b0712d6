import { StartSyncExecutionCommand, type SFNClient, type StartSyncExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { errorMessageOfCause, IdempotencyConflictError, IntakeInProgressError, IntakeUnavailableError, InvalidOrderError, parseProblems } from '../errors.js';
import type { IntakeResult, OrderIntake } from './place-order.js';

/** Runs the EXPRESS order-intake workflow synchronously and turns its outcome into a result or a typed error. */
export const stepFunctionsOrderIntake = (sfn: SFNClient, stateMachineArn: string): OrderIntake => ({
  async run(input) {
    let execution: StartSyncExecutionCommandOutput;
    try {
      execution = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    } catch (error) {
      // Throttled or unreachable: nothing was recorded, and a retry with the same key is safe.
      throw new IntakeUnavailableError(`the order could not be recorded (${(error as Error).name}); retry with the same Idempotency-Key`);
    }
    if (execution.status === 'SUCCEEDED') return JSON.parse(execution.output ?? '{}') as IntakeResult;
    const message = errorMessageOfCause(execution.cause);
    switch (execution.error) {
      case 'InvalidOrder':
        throw new InvalidOrderError(parseProblems(message));
      case 'IdempotencyConflict':
        throw new IdempotencyConflictError('this Idempotency-Key was already used for a different order request');
      case 'IntakeInProgress':
        throw new IntakeInProgressError('a request with this Idempotency-Key is still being processed; retry shortly');
      default:
        throw new IntakeUnavailableError(
          `the order could not be recorded (${execution.error ?? execution.status}); retry with the same Idempotency-Key`,
        );
    }
  },
});
