import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AwsCallUnavailableError } from './errors.js';

/** SDK error names that mean "not now" rather than "no": throttling, and a request that got no answer in time. */
const TRANSIENT_AWS_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'TooManyRequestsException', 'TimeoutError']);

/** An error an AWS SDK client gave up retrying that another try later may not meet: throttled, the service's fault (5xx), or timed out. */
export const isTransientAwsError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Error & { $fault?: string; $metadata?: unknown };
  return error.name === 'TimeoutError' || (sdkError.$metadata !== undefined && (sdkError.$fault === 'server' || TRANSIENT_AWS_ERRORS.has(error.name)));
};

const byOrderId = (input: object): Record<string, unknown> => ({ orderId: (input as { orderId?: unknown }).orderId });

/**
 * Wraps a workflow step so every log line carries the order id (or the keys `logKeys` picks) and
 * every failure is logged before it is rethrown: its name is what the state machine's Retry/Catch
 * match on. Typed errors go unchanged; an AWS call still failing transiently after the SDK's
 * retries becomes AwsCallUnavailable, which every Lambda Task retries (steps are safe to re-run).
 */
export const workflowTask = <Input extends object, Output>(
  logger: Logger,
  step: (input: Input) => Promise<Output>,
  logKeys: (input: Input) => Record<string, unknown> = byOrderId,
) =>
  middy(async (input: Input): Promise<Output> => {
    logger.appendKeys(logKeys(input));
    try {
      const output = await step(input);
      // Outputs carry addresses and emails: only at DEBUG, which production leaves off.
      logger.info('step succeeded');
      logger.debug('step output', { output: output as Record<string, unknown> });
      return output;
    } catch (error) {
      logger.warn('step failed', { error: error as Error });
      if (isTransientAwsError(error)) throw new AwsCallUnavailableError(`${(error as Error).name}: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
