import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';

const byOrderId = (input: object): Record<string, unknown> => ({ orderId: (input as { orderId?: unknown }).orderId });

/**
 * Wraps a workflow step so every log line carries the order id (or the keys `logKeys` picks) and
 * every failure is logged before it is rethrown unchanged: its name is what the state machine's
 * Retry/Catch match on.
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
      throw error;
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
