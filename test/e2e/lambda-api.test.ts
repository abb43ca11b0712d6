import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, getRow, TABLES } from '../support/local-aws.js';
import { STAGE_PREFIX } from '../support/workflow-harness.js';

/**
 * The scheduled reconcile-refunds function, invoked through the stack's Lambda API as the
 * schedule would invoke it (the emulator does not fire schedules), against real rows.
 */
const lambda = new LambdaClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' });

const owedRefund = async (updatedAt: string): Promise<string> => {
  const orderId = `ord_${randomUUID().replaceAll('-', '')}`;
  await db.send(new PutCommand({
    TableName: TABLES.payments,
    Item: { orderId, status: 'REFUNDING', refundOwed: 'REFUNDING', amount: { amount: 1500, currency: 'EUR' }, attempts: 1, updatedAt },
  }));
  return orderId;
};

describe('refund reconciliation', () => {
  it('finishes refunds left REFUNDING past the grace period and leaves recent ones alone', async () => {
    const stale = await owedRefund(new Date(Date.now() - 60 * 60_000).toISOString());
    const recent = await owedRefund(new Date().toISOString());

    const response = await lambda.send(new InvokeCommand({ FunctionName: `${STAGE_PREFIX}-reconcileRefunds`, Payload: Buffer.from('{}') }));

    expect(response.FunctionError).toBeUndefined();
    const result = JSON.parse(Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8')) as { refunded: string[] };
    expect(result.refunded).toContain(stale);
    expect(result.refunded).not.toContain(recent);
    const finished = await getRow<{ status: string; refundId?: string; refundOwed?: string }>(TABLES.payments, { orderId: stale });
    expect(finished).toMatchObject({ status: 'REFUNDED', refundId: expect.stringMatching(/^re_/) });
    expect(finished?.refundOwed).toBeUndefined();
    expect(await getRow(TABLES.payments, { orderId: recent })).toMatchObject({ status: 'REFUNDING' });
  });
});

describe('the local Lambda API', () => {
  it('refuses a payload that is not JSON as Lambda does, and names an unknown function', async () => {
    const notJson = lambda.send(new InvokeCommand({ FunctionName: `${STAGE_PREFIX}-reconcileRefunds`, Payload: Buffer.from('{not json') }));
    const unknown = lambda.send(new InvokeCommand({ FunctionName: `${STAGE_PREFIX}-noSuchFunction`, Payload: Buffer.from('{}') }));

    await expect(notJson).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    await expect(unknown).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
