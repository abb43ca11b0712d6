import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { signCarrierWebhook } from '../../functions/shared/shipping/carrier-webhook.js';
import { orderRequest } from '../support/api.js';
import { pollUntil } from '../support/poll.js';
import { PROJECT_ROOT } from '../../scripts/workflows.js';
import { LOCAL_BILLING_API_KEY, LOCAL_BILLING_API_KEY_SECRET } from '../../scripts/demo/stack.js';

/**
 * LOCAL_IAM=enforce end to end: a stack of its own runs the compiled template with three grants
 * taken out, one per kind of caller, and each call that needed one is refused as AWS would refuse
 * it, with a log line naming the caller, the action, the resource and the statement that would
 * allow it:
 * - a function: chargePayment's statement on the payments table (the order fails; its row keeps AWS's
 *   AccessDenied for operators, the customer is told in our words);
 * - a state machine's Task: carrier-events' dynamodb:PutItem on the unmatched-events table;
 * - a rule: serveBackorders' resource policy for events.amazonaws.com.
 */
const STACK = 'sfn-orders-local';
const PAYMENTS_TABLE = `arn:aws:dynamodb:us-east-1:000000000000:table/${STACK}-payments`;
const UNMATCHED_TABLE = `arn:aws:dynamodb:us-east-1:000000000000:table/${STACK}-unmatched-carrier-events`;
// The carrier's signing secret must be at least 32 characters.
const SECRET = 'iam-enforced-carrier-webhook-secret-0001';
const READY = 'local stack endpoints ';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string[]; Resource: unknown };
const statementsOf = (role: Resource): Statement[] =>
  (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[])[0]!.PolicyDocument.Statement;

/** The compiled template, with the three grants removed. */
const templateWithout = (): string => {
  const template = JSON.parse(readFileSync(join(PROJECT_ROOT, '.serverless/cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, Resource> };
  const { Resources } = template;
  const charge = statementsOf(Resources.ChargePaymentIamRoleLambdaExecution!);
  charge.splice(charge.findIndex((statement) => JSON.stringify(statement.Resource).includes('PaymentsTable')), 1);
  const carrierEvents = statementsOf(Resources.CarrierEventsStateMachineRole!);
  carrierEvents.splice(carrierEvents.findIndex((statement) => JSON.stringify(statement.Resource).includes('unmatched-carrier-events')), 1);
  delete Resources.ServeBackordersEventBridgeLambdaPermission1;
  const dir = mkdtempSync(join(tmpdir(), 'iam-enforced-'));
  const path = join(dir, 'template.json');
  writeFileSync(path, JSON.stringify(template));
  return path;
};

let stack: ChildProcess | undefined;
let templatePath = '';
const lines: string[] = [];
let endpoints = { api: '', aws: '' };

beforeAll(async () => {
  templatePath = templateWithout();
  const logFile = createWriteStream(join(PROJECT_ROOT, '.local/logs/iam-enforced-stack.log'));
  // Not the test stack's endpoints: this stack's handlers get its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_ENDPOINT_URL')));
  stack = spawn(join(PROJECT_ROOT, 'node_modules/.bin/local-stack'), [
    'start', '--template', templatePath, '--stack-name', STACK, '--service-dir', PROJECT_ROOT,
    '--aws-port', '0', '--http-port', '0', '--iam', 'enforce', '--secure-parameter', `CARRIER_WEBHOOK_SECRET_PARAMETER=${SECRET}`,
    '--secret', `${LOCAL_BILLING_API_KEY_SECRET}=${LOCAL_BILLING_API_KEY}`,
  ], { cwd: PROJECT_ROOT, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, LOCAL_STACK_STOP_ON_STDIN_CLOSE: '1' } });
  stack.stderr?.pipe(logFile);
  const ready = new Promise<void>((resolve, reject) => {
    stack?.once('exit', (code) => reject(new Error(`the stack exited with ${code}; see .local/logs/iam-enforced-stack.log`)));
    createInterface({ input: stack!.stdout! }).on('line', (line) => {
      lines.push(line);
      logFile.write(`${line}\n`);
      if (line.startsWith(READY)) {
        endpoints = JSON.parse(line.slice(READY.length)) as typeof endpoints;
        resolve();
      }
    });
  });
  await ready;
}, 120_000);

afterAll(async () => {
  if (stack?.pid && stack.exitCode === null) {
    const exited = new Promise((resolve) => stack?.once('exit', resolve));
    process.kill(-stack.pid, 'SIGTERM');
    await exited;
  }
  rmSync(join(templatePath, '..'), { recursive: true, force: true });
});

const aws = () => ({ endpoint: endpoints.aws, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${endpoints.api}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
};
const tokenFor = async (claims: Record<string, unknown>) => String((await api('/_local/token', { method: 'POST', body: JSON.stringify(claims) })).body.accessToken);
const product = async (): Promise<string> => {
  const sku = `IAM-${randomUUID().slice(0, 8).toUpperCase()}`;
  await DynamoDBDocumentClient.from(new DynamoDBClient(aws())).send(new PutCommand({ TableName: `${STACK}-products`, Item: { sku, name: sku, priceAmount: 1500, currency: 'EUR', stock: 5 } }));
  return sku;
};
const logged = (what: string, match: (line: string) => boolean) => pollUntil(what, async () => lines.find(match), Boolean, 30_000);

describe('LOCAL_IAM=enforce, with grants taken out of the template', () => {
  it('refuses a function what its role no longer allows: the order fails with AccessDenied naming the action and the table', async () => {
    // Prepare
    const sku = await product();
    const token = await tokenFor({ sub: 'iam-customer' });

    // Act
    const placed = await api('/orders', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(orderRequest({ items: [{ sku, quantity: 1 }] })) });
    const order = await pollUntil(`order ${String(placed.body.orderId)} failing`, () => api(`/orders/${String(placed.body.orderId)}`, { headers: { authorization: `Bearer ${token}` } }),
      ({ body }) => body.status === 'FAILED', 60_000);

    // Assess: the customer is told in our words; the row keeps AWS's, for operators
    expect(placed.status).toBe(201);
    expect((order.body.failure as { error?: string }).error).toBe('ProcessingFailed');
    const row = (await DynamoDBDocumentClient.from(new DynamoDBClient(aws())).send(new GetCommand({ TableName: `${STACK}-orders`, Key: { orderId: placed.body.orderId } }))).Item;
    expect(row).toMatchObject({
      failureError: 'AccessDeniedException',
      failureCause: expect.stringMatching(new RegExp(`assumed-role/${STACK}-chargePayment-us-east-1-lambdaRole/${STACK}-chargePayment is not authorized to perform: dynamodb:\\w+ on resource: ${PAYMENTS_TABLE} because no identity-based policy allows`)),
    });
    const line = await logged('the refusal in the stack log', (text) => text.includes(`IAM AccessDenied: function ${STACK}-chargePayment`));
    expect(line).toMatch(new RegExp(`\\(role ${STACK}-chargePayment-us-east-1-lambdaRole\\) dynamodb:(\\w+) on ${PAYMENTS_TABLE}: no statement of its role allows it; this would: \\{ Effect: Allow, Action: dynamodb:\\1, Resource: ${PAYMENTS_TABLE} \\}`));
  });

  it('refuses a state machine\'s Task what its role no longer allows, as DynamoDB.AccessDeniedException', async () => {
    // Prepare: an event for a parcel nobody booked is kept aside in the unmatched-events table
    const body = JSON.stringify({ events: [{ eventId: `evt-${randomUUID()}`, trackingNumber: `NOPARCEL${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`, status: 'IN_TRANSIT', occurredAt: new Date().toISOString() }] });

    // Act
    const accepted = await api('/webhooks/carrier', { method: 'POST', headers: { 'content-type': 'application/json', 'carrier-signature': signCarrierWebhook(SECRET, body) }, body });

    // Assess
    expect(accepted.status).toBe(202);
    const line = await logged('the Task\'s refusal', (text) => text.includes(`IAM AccessDenied: state machine ${STACK}-carrier-events`));
    expect(line).toContain(`(role ${STACK}-CarrierEventsStateMachineRole) dynamodb:PutItem on ${UNMATCHED_TABLE}: no statement of its role allows it; this would: { Effect: Allow, Action: dynamodb:PutItem, Resource: ${UNMATCHED_TABLE} }`);
    const sfn = new SFNClient(aws());
    const [execution] = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${STACK}-carrier-events` }))).executions ?? [];
    const failures = async () => ((await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution?.executionArn }))).events ?? [])
      .filter((event) => event.type === 'TaskFailed').map((event) => event.taskFailedEventDetails?.error);
    expect(await pollUntil('the TaskFailed event', failures, (errors) => errors.length > 0, 10_000)).toContain('DynamoDB.AccessDeniedException');
  });

  it('does not deliver a rule\'s event to a function whose resource policy no longer lets EventBridge invoke it', async () => {
    // Prepare
    const sku = await product();
    const admin = await tokenFor({ sub: 'iam-ops', scope: 'admin' });

    // Act
    const restocked = await api(`/admin/products/${sku}/restock`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ quantity: 2 }) });
    const line = await logged('the refused delivery', (text) => text.includes(`IAM AccessDenied: rule ${STACK}-orders/${STACK}-serveBackorders-rule-1`));

    // Assess
    expect(restocked.status).toBe(200);
    expect(line).toContain(`(events.amazonaws.com) lambda:InvokeFunction on arn:aws:lambda:us-east-1:000000000000:function:${STACK}-serveBackorders: no resource-based policy of ${STACK}-serveBackorders allows it`);
  });
});
