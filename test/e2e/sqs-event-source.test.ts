import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { SqsPoller } from 'local-stack';
import { pollUntil } from '../support/poll.js';

/**
 * The local event source mapping against the stack's real SQS: a batch in, the handled messages
 * deleted, a reported failure received again, and after maxReceiveCount moved to the dead-letter
 * queue by the queue's redrive policy.
 */
const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' });

const queueWithDeadLetters = async () => {
  const suffix = randomUUID().slice(0, 8);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `esm-test-dlq-${suffix}` }));
  const dlqArn = `arn:aws:sqs:us-east-1:000000000000:esm-test-dlq-${suffix}`;
  const queue = await sqs.send(new CreateQueueCommand({
    QueueName: `esm-test-${suffix}`,
    Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
  }));
  return { queueUrl: queue.QueueUrl ?? '', dlqUrl: dlq.QueueUrl ?? '', queueArn: `arn:aws:sqs:us-east-1:000000000000:esm-test-${suffix}` };
};

const visibleAndInFlight = async (queueUrl: string): Promise<number> => {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
};

describe('SQS event source (local Lambda event source mapping)', () => {
  it('deletes handled messages, redelivers a reported failure, and leaves it to the redrive policy after maxReceiveCount', async () => {
    // Prepare
    const { queueUrl, dlqUrl, queueArn } = await queueWithDeadLetters();
    const seen: { body: string; receiveCount: string; eventSourceARN: string }[] = [];
    const poller = new SqsPoller(sqs, { queueArn, functionName: 'test', batchSize: 10, reportBatchItemFailures: true }, async (event: SQSEvent) => {
      seen.push(...event.Records.map((record) => ({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount, eventSourceARN: record.eventSourceARN })));
      return { ok: true, payload: { batchItemFailures: event.Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId })) } };
    }, () => undefined);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'good' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));

    // Act
    await pollUntil('poison message in the dead-letter queue', async () => {
      await poller.pollOnce(queueUrl);
      return visibleAndInFlight(dlqUrl);
    }, (count) => count === 1, 30_000, 100);

    // Assess
    expect(seen.filter((record) => record.body === 'good')).toHaveLength(1);
    expect(seen.filter((record) => record.body === 'poison').map((record) => record.receiveCount)).toEqual(['1', '2']);
    expect(seen.every((record) => record.eventSourceARN === queueArn)).toBe(true);
    expect(await visibleAndInFlight(queueUrl)).toBe(0);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
    expect(Messages.map((message) => message.Body)).toEqual(['poison']);
  });

  it('leaves the whole batch for redelivery when the function fails', async () => {
    // Prepare
    const { queueUrl, queueArn } = await queueWithDeadLetters();
    let calls = 0;
    const poller = new SqsPoller(sqs, { queueArn, functionName: 'test', batchSize: 10, reportBatchItemFailures: true }, async () => {
      calls += 1;
      return calls === 1 ? { ok: false, error: { errorType: 'Error', errorMessage: 'crashed', trace: [] } } : { ok: true, payload: null };
    }, () => undefined);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));

    // Act
    await poller.pollOnce(queueUrl);
    const afterFailure = await visibleAndInFlight(queueUrl);
    await pollUntil('message handled on redelivery', async () => { await poller.pollOnce(queueUrl); return calls; }, (count) => count >= 2, 15_000, 100);

    // Assess
    expect(afterFailure).toBe(1);
    expect(await visibleAndInFlight(queueUrl)).toBe(0);
  });
});
