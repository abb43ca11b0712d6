import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { history, sfn, STAGE_PREFIX, stateMachineArn, waitForExecutionEnd } from './workflow-harness.js';

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
  unmatchedCarrierEvents: `${STAGE_PREFIX}-unmatched-carrier-events`,
  approvals: `${STAGE_PREFIX}-approvals`,
  documents: `${STAGE_PREFIX}-documents`,
  backorders: `${STAGE_PREFIX}-backorders`,
  restocks: `${STAGE_PREFIX}-restocks`,
  signups: `${STAGE_PREFIX}-signups`,
  accounts: `${STAGE_PREFIX}-accounts`,
  apiKeys: `${STAGE_PREFIX}-api-keys`,
};
/** The stack's account is the local one (000000000000); AWS names the bucket after its account. */
export const DOCUMENTS_BUCKET = `${STAGE_PREFIX}-documents-000000000000`;
export const MACHINES = { intake: `${STAGE_PREFIX}-order-intake`, fulfilment: `${STAGE_PREFIX}-order-fulfilment`, carrierEvents: `${STAGE_PREFIX}-carrier-events`, documentProcessing: `${STAGE_PREFIX}-document-processing`, onboarding: `${STAGE_PREFIX}-customer-onboarding` };
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

export const listExecutions = async (machineName: string): Promise<ExecutionListItem[]> => {
  const arn = await stateMachineArn(machineName);
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken }));
    executions.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return executions;
};

export const countExecutions = async (machineName: string): Promise<number> => (await listExecutions(machineName)).length;

/**
 * The order-fulfilment execution of an order, as an operator finds it: by the order's id, on its
 * row (GET /orders/{id} shows customers no execution ARN).
 */
export const fulfilmentExecutionOf = async (orderId: string): Promise<string> => {
  const row = await getRow<{ executionArn?: string }>(TABLES.orders, { orderId });
  if (!row?.executionArn) throw new Error(`order ${orderId} has no fulfilment execution on its row`);
  return row.executionArn;
};

/** The whole history of an execution, every page. */
export const executionHistory = history;

/** The order reaches its terminal status a few states before the execution ends (notifications, alerts). */
export { waitForExecutionEnd };
