import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { sfn, STAGE_PREFIX, stateMachineArn } from './workflow-harness.js';

/** Direct access to the stack's AWS resources, for arranging fixtures and checking what was written. */
const config = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' };
export const db = DynamoDBDocumentClient.from(new DynamoDBClient(config));
export const eventBridge = new EventBridgeClient(config);

export const TABLES = {
  orders: `${STAGE_PREFIX}-orders`,
  products: `${STAGE_PREFIX}-products`,
  payments: `${STAGE_PREFIX}-payments`,
  reservations: `${STAGE_PREFIX}-reservations`,
  shipments: `${STAGE_PREFIX}-shipments`,
};
export const MACHINES = { intake: `${STAGE_PREFIX}-order-intake`, fulfilment: `${STAGE_PREFIX}-order-fulfilment` };
export const EVENT_BUS = `${STAGE_PREFIX}-orders`;

/** A product of its own for each test, so tests never share stock. */
export const createProduct = async (stock: number, priceAmount = 1500): Promise<string> => {
  const sku = `TEST-${randomUUID().slice(0, 8).toUpperCase()}`;
  await db.send(new PutCommand({ TableName: TABLES.products, Item: { sku, name: `Test product ${sku}`, priceAmount, currency: 'EUR', stock } }));
  return sku;
};

export const getRow = async <T = Record<string, unknown>>(table: string, key: Record<string, string>): Promise<T | undefined> =>
  (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item as T | undefined;

export const stockOf = async (sku: string): Promise<number> => Number((await getRow(TABLES.products, { sku }))?.stock);

export const countRows = async (table: string): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
};

export const countExecutions = async (machineName: string): Promise<number> => {
  const arn = await stateMachineArn(machineName);
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken }));
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
};

export const executionHistory = async (executionArn: string): Promise<HistoryEvent[]> =>
  (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

/** The order reaches its terminal status a few states before the execution ends (notifications, alerts). */
export const waitForExecutionEnd = async (executionArn: string, timeoutMs = 30_000): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? '';
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
};
