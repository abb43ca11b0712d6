import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { fulfilmentExecutionOf, getOrder, LOCAL_CREDENTIALS, placeOrder } from './orders.js';
import { sleep } from './stats.js';
import { countTransitions, type TransitionCount } from './transitions.js';

/** What one approved order costs in state transitions: its fulfilment plus the nested approval. */
export interface ApprovedOrderCount {
  orderId: string;
  fulfilment: TransitionCount;
  approval: TransitionCount;
}

/** A product priced over the approval threshold, with stock no run can exhaust. */
const createApprovalProduct = async (awsEndpoint: string, productsTable: string, region: string): Promise<string> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: awsEndpoint, region, credentials: LOCAL_CREDENTIALS }));
  const sku = `BENCH-APPROVE-${randomUUID().slice(0, 8).toUpperCase()}`;
  await db.send(new PutCommand({ TableName: productsTable, Item: { sku, name: `Benchmark approval product ${sku}`, priceAmount: 60_000, currency: 'EUR', stock: 1_000_000 } }));
  db.destroy();
  return sku;
};

const until = async <T>(what: string, probe: () => Promise<T | undefined>, deadline: number): Promise<T> => {
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`${what}: not done in time`);
};

/** Places orders over 500.00, approves each through its emailed link as an approver would, and counts transitions once shipped. */
export const measureApprovedOrders = async (options: {
  awsEndpoint: string;
  httpEndpoint: string;
  productsTable: string;
  ordersTable: string;
  region: string;
  orders: number;
  budgetMs: number;
}): Promise<ApprovedOrderCount[]> => {
  const { awsEndpoint, httpEndpoint, region } = options;
  const deadline = performance.now() + options.budgetMs;
  const sku = await createApprovalProduct(awsEndpoint, options.productsTable, region);
  const counts: ApprovedOrderCount[] = [];
  for (let index = 0; index < options.orders; index += 1) {
    const orderId = await placeOrder(httpEndpoint, sku);
    const link = await until(`approval email for ${orderId}`, async () => {
      const emails = (await (await fetch(`${httpEndpoint}/_local/outbox`)).json()) as { subject: string; links: string[] }[];
      return emails.find((email) => email.subject.includes(orderId))?.links[0];
    }, deadline);
    const decided = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=APPROVE' });
    if (decided.status !== 200) throw new Error(`approving ${orderId} answered ${decided.status}`);
    await until(`order ${orderId} shipped`, async () => {
      const view = await getOrder(httpEndpoint, orderId);
      return view?.status === 'SHIPPED' ? view : undefined;
    }, deadline);
    const fulfilmentArn = await fulfilmentExecutionOf(awsEndpoint, region, options.ordersTable, orderId) ?? '';
    const approvalArn = fulfilmentArn.replace(/:execution:([^:]+)-order-fulfilment:.*$/, `:execution:$1-approval:approve-${orderId}`);
    const [fulfilment, approval] = await countTransitions(awsEndpoint, region, [fulfilmentArn, approvalArn]);
    if (!fulfilment || !approval) throw new Error(`no history for ${orderId}`);
    counts.push({ orderId, fulfilment, approval });
  }
  return counts;
};
