import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ListTopicsCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * What the deployed suite runs against, reached only as a user and an operator would reach a
 * deployed stage: its HTTP API, tokens from a provider, email read from a queue the run
 * subscribes to the stage's topics, and the tables by their names to create a product and
 * remove what the run made. The same code serves the local stack (npm test) and a stage on AWS
 * (`npm run test:deployed -- --stage <stage>`); test/support/global-setup.ts sets the endpoints.
 */
export const STAGE = process.env.DEPLOYED_STAGE ?? 'local';
export const PREFIX = `sfn-orders-${STAGE}`;
export const API_URL = process.env.TEST_API_URL ?? '';
const aws = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' };
const db = DynamoDBDocumentClient.from(new DynamoDBClient(aws));

// ---------------------------------------------------------------------------------------------
// Tokens: the local issuer, or tokens a person got from the stage's Cognito (docs/deploy.md)
// ---------------------------------------------------------------------------------------------

export type Role = 'customer' | 'otherCustomer' | 'admin';
const TOKEN_VARIABLES: Record<Role, string> = { customer: 'DEPLOYED_CUSTOMER_TOKEN', otherCustomer: 'DEPLOYED_OTHER_CUSTOMER_TOKEN', admin: 'DEPLOYED_ADMIN_TOKEN' };
const LOCAL_CLAIMS: Record<Role, Record<string, unknown>> = {
  customer: { sub: `deployed-${randomUUID().slice(0, 8)}` },
  otherCustomer: { sub: `deployed-other-${randomUUID().slice(0, 8)}` },
  admin: { sub: 'deployed-admin', scope: 'admin', groups: ['admin'] },
};
const tokens = new Map<Role, Promise<string>>();

const issueLocally = async (role: Role): Promise<string> => {
  const response = await fetch(`${API_URL}/_local/token`, { method: 'POST', body: JSON.stringify(LOCAL_CLAIMS[role]) });
  if (response.status !== 200) throw new Error(`POST /_local/token answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
};

export const tokenFor = (role: Role): Promise<string> => {
  let token = tokens.get(role);
  if (!token) {
    const given = process.env[TOKEN_VARIABLES[role]];
    if (STAGE !== 'local' && !given) throw new Error(`set ${TOKEN_VARIABLES[role]} to a token of the stage's user pool (docs/deploy.md, "Test a deployed stage")`);
    token = given ? Promise.resolve(given) : issueLocally(role);
    tokens.set(role, token);
  }
  return token;
};

export const api = async <T = Record<string, unknown>>(path: string, init: RequestInit & { as?: Role } = {}): Promise<{ status: number; body: T }> => {
  const { as, headers, ...rest } = init;
  const response = await fetch(`${API_URL}${path}`, {
    ...rest,
    headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}), ...headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
};

// ---------------------------------------------------------------------------------------------
// Email: a queue of the run's own, subscribed to the stage's topics
// ---------------------------------------------------------------------------------------------

export interface Mail { topic: string; to?: string; subject: string; text: string; links: string[] }

const URL_PATTERN = /https?:\/\/[^\s"<>]+/g;

export class Mailbox {
  private readonly sqs = new SQSClient(aws);
  private readonly sns = new SNSClient(aws);
  private readonly received: Mail[] = [];

  private constructor(private readonly queueUrl: string, private readonly subscriptions: string[]) {}

  /** Subscribes a new queue to every topic of the stage (customer, approver and operations email). */
  static async open(): Promise<Mailbox> {
    const sqs = new SQSClient(aws);
    const sns = new SNSClient(aws);
    const topics: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken: nextToken }));
      topics.push(...(page.Topics ?? []).map((topic) => topic.TopicArn ?? '').filter((arn) => arn.split(':').at(-1)?.startsWith(`${PREFIX}-`)));
      nextToken = page.NextToken;
    } while (nextToken);
    if (topics.length === 0) throw new Error(`no SNS topic named ${PREFIX}-*: is the stage deployed, and AWS_REGION its region?`);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${PREFIX}-test-mail-${randomUUID().slice(0, 8)}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = Attributes?.QueueArn ?? '';
    await sqs.send(new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topics } } }],
        }),
      },
    }));
    const subscriptions = await Promise.all(topics.map(async (TopicArn) =>
      (await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, ReturnSubscriptionArn: true }))).SubscriptionArn ?? ''));
    return new Mailbox(QueueUrl ?? '', subscriptions);
  }

  private async drain(): Promise<void> {
    const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of Messages) {
      const envelope = JSON.parse(message.Body ?? '{}') as { TopicArn?: string; Subject?: string; Message?: string; MessageAttributes?: Record<string, { Value?: string }> };
      const text = envelope.Message ?? '';
      this.received.push({ topic: envelope.TopicArn ?? '', to: envelope.MessageAttributes?.email?.Value, subject: envelope.Subject ?? '', text, links: text.match(URL_PATTERN) ?? [] });
    }
    if (Messages.length > 0) {
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }));
    }
  }

  /** Waits for an email that `matches`; messages read meanwhile are kept for later calls. */
  async waitFor(what: string, matches: (mail: Mail) => boolean, timeoutMs = 60_000): Promise<Mail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no email ${what} within ${timeoutMs / 1000} s; received: ${this.received.map((mail) => mail.subject).join(' | ')}`);
      await this.drain();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((SubscriptionArn) => this.sns.send(new UnsubscribeCommand({ SubscriptionArn }))));
    await this.sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }
}

// ---------------------------------------------------------------------------------------------
// What the run creates, and removes again
// ---------------------------------------------------------------------------------------------

const created: { table: string; key: Record<string, string> }[] = [];

/** A product of the run's own, so runs never share stock; removed by {@link cleanUp}. */
export const createProduct = async (priceAmount: number, stock: number): Promise<string> => {
  const sku = `DEPLOYED-${randomUUID().slice(0, 8).toUpperCase()}`;
  const table = `${PREFIX}-products`;
  await db.send(new PutCommand({ TableName: table, Item: { sku, name: `Deployed-suite product ${sku}`, priceAmount, currency: 'EUR', stock } }));
  created.push({ table, key: { sku } });
  return sku;
};

/** The rows an order leaves in each table, removed by {@link cleanUp}. */
export const forgetOrder = (orderId: string): void => {
  for (const table of ['orders', 'payments', 'reservations', 'shipments']) created.push({ table: `${PREFIX}-${table}`, key: { orderId } });
};

export const forgetApproval = (approvalId: string): void => {
  created.push({ table: `${PREFIX}-approvals`, key: { approvalId } });
};

export const cleanUp = async (): Promise<void> => {
  await Promise.all(created.splice(0).map(({ table, key }) => db.send(new DeleteCommand({ TableName: table, Key: key }))));
};

/** Polls until `done` holds for what `read` returns. */
export const eventually = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)?.slice(0, 300)} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
