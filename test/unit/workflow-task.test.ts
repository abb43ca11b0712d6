import { Logger } from '@aws-lambda-powertools/logger';
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { PaymentDeclinedError } from '../../functions/shared/errors.js';
import { isTransientAwsError, workflowTask } from '../../functions/shared/workflow-task.js';

const logger = new Logger({ serviceName: 'workflow-task-test', logLevel: 'SILENT' });
const context = { functionName: 'test', awsRequestId: 'r-1' } as Context;
const failWith = (error: Error) => workflowTask(logger, async (_input: { orderId: string }) => { throw error; });
const errorOf = (error: Error) => failWith(error)({ orderId: 'ord_1' }, context).then(() => undefined, (thrown: Error) => thrown);

const throttled = () => new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: { httpStatusCode: 400 } });

describe('workflowTask', () => {
  it('rethrows typed errors unchanged: their names are what the Task catches', async () => {
    const declined = new PaymentDeclinedError('card declined');

    expect(await errorOf(declined)).toBe(declined);
  });

  it('turns an AWS call still throttled after the SDK\'s retries into AwsCallUnavailable, which Lambda Tasks retry', async () => {
    const error = await errorOf(throttled());

    expect(error?.name).toBe('AwsCallUnavailable');
    expect(error?.message).toBe('ProvisionedThroughputExceededException: throttled');
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(ProvisionedThroughputExceededException);
  });

  it('tells transient AWS errors from answers', () => {
    const serverFault = Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server', $metadata: {} });
    const cancelled = new TransactionCanceledException({ message: 'conditional check failed', $metadata: {} });

    expect([throttled(), serverFault, Object.assign(new Error('aborted'), { name: 'TimeoutError' })].map(isTransientAwsError)).toEqual([true, true, true]);
    expect([cancelled, new PaymentDeclinedError('no'), new Error('bug'), 'text'].map(isTransientAwsError)).toEqual([false, false, false, false]);
  });
});
