import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvokeResult, LambdaFunction } from './lambda-runtime.js';
import type { TemplateResolver } from './template.js';

/**
 * Lambda's SQS event source mapping, as the template's AWS::Lambda::EventSourceMapping resources
 * describe it: poll the queue, hand the function a batch, delete what it handled. A function
 * error leaves the whole batch to come back after the visibility timeout; with
 * ReportBatchItemFailures only the ids it names come back. The queue's own redrive policy moves
 * a message to the dead-letter queue once it was received maxReceiveCount times (SQS does that,
 * the emulator too), exactly as on AWS.
 */
export interface EventSourceMapping {
  queueArn: string;
  functionName: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
}

export type Invoke = (event: SQSEvent) => Promise<InvokeResult>;

export const mappingsFromTemplate = (resolver: TemplateResolver): EventSourceMapping[] =>
  resolver.logicalIdsOfType('AWS::Lambda::EventSourceMapping')
    .map((logicalId) => resolver.properties(logicalId))
    .filter((p) => String(p.EventSourceArn).startsWith('arn:aws:sqs:') && p.Enabled !== false)
    .map((p) => ({
      queueArn: String(p.EventSourceArn),
      functionName: String(p.FunctionName),
      batchSize: Number(p.BatchSize ?? 10),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
    }));

const toRecord = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, {
    stringValue: value.StringValue,
    dataType: value.DataType ?? 'String',
    stringListValues: [],
    binaryListValues: [],
  }])),
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

/** Which received messages the function is done with, by Lambda's rules. */
export const handledMessageIds = (result: InvokeResult, batch: SQSRecord[], reportBatchItemFailures: boolean): string[] => {
  if (!result.ok) return [];
  const all = batch.map((record) => record.messageId);
  if (!reportBatchItemFailures) return all;
  const failures = (result.payload as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return all;
  // Lambda treats a malformed report (an empty or unknown id) as a failure of the whole batch.
  const failed = failures.map((failure) => failure.itemIdentifier);
  if (failed.some((id) => typeof id !== 'string' || !all.includes(id))) return [];
  return all.filter((id) => !failed.includes(id));
};

/** Polls one queue for one function until stopped. */
export class SqsPoller {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly mapping: EventSourceMapping,
    private readonly invoke: Invoke,
    private readonly log: (line: string) => void,
    private readonly waitTimeSeconds = 1,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const queueName = this.mapping.queueArn.split(':').pop() ?? '';
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    while (this.running) {
      try {
        await this.pollOnce(QueueUrl ?? '');
      } catch (error) {
        if (!this.running) break;
        this.log(`sqs event source ${queueName} -> ${this.mapping.functionName}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** One receive, one invocation, one delete: what a mapping does per batch. */
  async pollOnce(queueUrl: string): Promise<number> {
    const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(this.mapping.batchSize, 10),
      WaitTimeSeconds: this.waitTimeSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }));
    if (Messages.length === 0) return 0;
    const batch = Messages.map((message) => toRecord(message, this.mapping.queueArn, this.mapping.queueArn.split(':')[3] ?? ''));
    const result = await this.invoke({ Records: batch });
    if (!result.ok) this.log(`${this.mapping.functionName} failed on a batch of ${batch.length}: ${result.error.errorType}; the batch returns after its visibility timeout`);
    const handled = new Set(handledMessageIds(result, batch, this.mapping.reportBatchItemFailures));
    const toDelete = Messages.filter((message) => handled.has(message.MessageId ?? ''));
    if (toDelete.length > 0) {
      await this.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: toDelete.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }));
    }
    return Messages.length;
  }
}

/** Starts a poller per SQS mapping of the template, each invoking its function through the local runtime. */
export const startSqsEventSources = (options: {
  resolver: TemplateResolver;
  sqs: SQSClient;
  findFunction: (nameOrArn: string) => LambdaFunction | undefined;
  invoke: (fn: LambdaFunction, event: unknown) => Promise<InvokeResult>;
  /** Whether the function's role may read the queue; AWS refuses to create a mapping whose role cannot. */
  mayPoll?: (mapping: EventSourceMapping, fn: LambdaFunction) => boolean;
  log: (line: string) => void;
}): { mappings: EventSourceMapping[]; stop(): Promise<void> } => {
  const mappings = mappingsFromTemplate(options.resolver);
  const pollers = mappings.flatMap((mapping) => {
    const fn = options.findFunction(mapping.functionName);
    if (!fn) throw new Error(`event source mapping for ${mapping.queueArn} names ${mapping.functionName}, which is not a function in the template`);
    if (options.mayPoll && !options.mayPoll(mapping, fn)) {
      options.log(`sqs event source ${mapping.queueArn} -> ${fn.name} not started: its execution role may not read the queue`);
      return [];
    }
    return [new SqsPoller(options.sqs, mapping, (event) => options.invoke(fn, event), options.log)];
  });
  pollers.forEach((poller) => poller.start());
  return { mappings, stop: async () => { await Promise.all(pollers.map((poller) => poller.stop())); } };
};
