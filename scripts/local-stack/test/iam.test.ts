import { DeleteItemCommand, DynamoDBClient, ExecuteStatementCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Caller } from '../src/caller.js';
import { LocalIam, parseIamMode, type IamMode } from '../src/iam.js';
import { httpTaskCheck, type AwsRequest } from '../src/iam/actions.js';
import { TemplateResolver, type Template } from '../src/template.js';
import { clientConfig, wireRequest, type SdkClient } from './support/wire.js';

const ACCOUNT = '000000000000';
const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
const PAYMENTS = arn('dynamodb', 'table/shop-payments');
const CHILD = arn('states', 'stateMachine:shop-approval');

const role = (name: string, statements: unknown[], extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Role',
  Properties: { RoleName: name, Policies: [{ PolicyName: 'inline', PolicyDocument: { Version: '2012-10-17', Statement: statements } }], ...extra },
});

/** A small compiled template: a function, a state machine that nests another, a rule to a function. */
const template: Template = {
  Resources: {
    PaymentsTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'shop-payments' } },
    RequestsQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'shop-requests' } },
    OrdersBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-orders' } },
    ChargeRole: role('shop-charge', [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['PaymentsTable', 'Arn'] } },
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: { 'Fn::GetAtt': ['RequestsQueue', 'Arn'] } },
      { Sid: 'NeverDelete', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
    ], { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'] }),
    ChargeFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'shop-charge', Role: { 'Fn::GetAtt': ['ChargeRole', 'Arn'] } } },
    ServeFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'shop-serve', Role: { 'Fn::GetAtt': ['ChargeRole', 'Arn'] } } },
    RestockedRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'shop-restocked', EventBusName: { 'Fn::GetAtt': ['OrdersBus', 'Name'] } } },
    ServePermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: { 'Fn::GetAtt': ['ServeFunction', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['RestockedRule', 'Arn'] } },
    },
    ParentRole: role('shop-parent', [
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: CHILD },
      { Effect: 'Allow', Action: 'states:DescribeExecution', Resource: arn('states', 'execution:shop-approval:*') },
    ]),
    RuleRole: role('shop-rule', [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: CHILD }]),
    BillingRole: role('shop-billing', [{
      Effect: 'Allow', Action: ['states:InvokeHTTPEndpoint'], Resource: ['*'],
      Condition: { StringEquals: { 'states:HTTPMethod': 'DELETE' }, StringLike: { 'states:HTTPEndpoint': ['https://billing.example/v1/customers/*'] } },
    }]),
  },
};

const resolver = new TemplateResolver(template, 'us-east-1', 'shop');
const charge: Caller = { kind: 'function', arn: arn('lambda', 'function:shop-charge'), role: `arn:aws:iam::${ACCOUNT}:role/shop-charge` };
const parent: Caller = { kind: 'state-machine', arn: arn('states', 'stateMachine:shop-parent'), role: `arn:aws:iam::${ACCOUNT}:role/shop-parent` };

const stack = async (mode: IamMode = 'enforce') => {
  const lines: string[] = [];
  return { iam: await LocalIam.fromTemplate(resolver, mode, (line) => lines.push(line)), lines };
};

const captured: AwsRequest[] = [];
// Each SDK client takes its own config type; these tests give every one the same capturing config.
type AnyClient = new (config: never) => SdkClient;
const wire = (Client: AnyClient, command: unknown, extra: Record<string, unknown> = {}) =>
  wireRequest(new (Client as unknown as new (config: unknown) => SdkClient)({ ...clientConfig(captured), ...extra }), captured, command);
const getPayment = () => wire(DynamoDBClient, new GetItemCommand({ TableName: 'shop-payments', Key: { id: { S: '1' } } }));

describe('IAM held by the local stack', () => {
  it('lets through what the caller\'s role allows, without a word', async () => {
    // Prepare
    const { iam, lines } = await stack();

    // Act
    const answer = iam.vetRequest(charge, await getPayment());

    // Assess
    expect(answer).toBeUndefined();
    expect(lines.filter((line) => line.includes('AccessDenied'))).toEqual([]);
  });

  it('answers what the role does not allow with DynamoDB\'s AccessDeniedException and logs who, what, on what, and the statement that would allow it', async () => {
    // Prepare
    const { iam, lines } = await stack();
    const request = await wire(DynamoDBClient, new PutItemCommand({ TableName: 'shop-orders', Item: { id: { S: '1' } } }));

    // Act
    const answer = iam.vetRequest(charge, request);

    // Assess
    expect(answer?.status).toBe(400);
    expect(JSON.parse(answer?.body ?? '{}')).toEqual({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      Message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/shop-charge/shop-charge is not authorized to perform: dynamodb:PutItem on resource: ${arn('dynamodb', 'table/shop-orders')} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(lines).toContain(`IAM AccessDenied: function shop-charge (role shop-charge) dynamodb:PutItem on ${arn('dynamodb', 'table/shop-orders')}: no statement of its role allows it; this would: { Effect: Allow, Action: dynamodb:PutItem, Resource: ${arn('dynamodb', 'table/shop-orders')} }`);
  });

  it('names the statement that denies explicitly', async () => {
    const { iam, lines } = await stack();

    const answer = iam.vetRequest(charge, await wire(DynamoDBClient, new DeleteItemCommand({ TableName: 'shop-payments', Key: { id: { S: '1' } } })));

    expect(JSON.parse(answer?.body ?? '{}').Message).toMatch(/dynamodb:DeleteItem on resource: .*table\/shop-payments with an explicit deny in an identity-based policy$/);
    expect(lines.at(-1)).toContain('denied by role shop-charge, policy inline, statement NeverDelete { Sid: NeverDelete, Effect: Deny, Action: dynamodb:DeleteItem, Resource: * }');
  });

  it('writes the refusal each service writes: SNS, SQS, S3, Lambda', async () => {
    const { iam } = await stack();

    const sns = iam.vetRequest(charge, await wire(SNSClient, new PublishCommand({ TopicArn: arn('sns', 'alerts'), Message: 'm' })));
    const sqs = iam.vetRequest(charge, await wire(SQSClient, new SendMessageCommand({ QueueUrl: `http://localhost:4566/${ACCOUNT}/shop-requests`, MessageBody: 'm' })));
    const s3 = iam.vetRequest(charge, await wire(S3Client, new GetObjectCommand({ Bucket: 'docs', Key: 'a.pdf' }), { forcePathStyle: true }));
    const lambda = iam.vetRequest(charge, await wire(LambdaClient, new InvokeCommand({ FunctionName: 'shop-serve' })));

    expect(sns).toMatchObject({ status: 403, body: expect.stringContaining('<Code>AuthorizationError</Code><Message>User: arn:aws:sts::000000000000:assumed-role/shop-charge/shop-charge is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:000000000000:alerts') });
    expect(sqs).toMatchObject({ status: 403, headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } });
    expect(s3).toMatchObject({ status: 403, body: expect.stringContaining('<Code>AccessDenied</Code><Message>User: arn:aws:sts::000000000000:assumed-role/shop-charge/shop-charge is not authorized to perform: s3:GetObject on resource: &quot;arn:aws:s3:::docs/a.pdf&quot;') });
    expect(lambda).toMatchObject({ status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' } });
    expect(JSON.parse(lambda?.body ?? '{}')).toMatchObject({ Type: 'User', message: expect.stringContaining('lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:shop-serve') });
  });

  it('with LOCAL_IAM=log, logs the refusal and lets the call through', async () => {
    const { iam, lines } = await stack('log');

    const answer = iam.vetRequest(charge, await wire(DynamoDBClient, new PutItemCommand({ TableName: 'shop-orders', Item: {} })));

    expect(answer).toBeUndefined();
    expect(lines.at(-1)).toMatch(/^IAM AccessDenied \(LOCAL_IAM=log: let through\): function shop-charge .* dynamodb:PutItem on /);
  });

  it('with LOCAL_IAM=off, reads nothing', async () => {
    const { iam } = await stack('off');

    expect(iam.active).toBe(false);
    expect(iam.vetRequest(charge, await wire(DynamoDBClient, new PutItemCommand({ TableName: 'shop-orders', Item: {} })))).toBeUndefined();
  });

  it('refuses a call it cannot read into IAM actions rather than guess', async () => {
    const { iam, lines } = await stack();

    const answer = iam.vetRequest(charge, await wire(DynamoDBClient, new ExecuteStatementCommand({ Statement: 'DELETE FROM "shop-payments"' })));

    expect(answer?.status).toBe(400);
    expect(lines.at(-1)).toContain('dynamodb:ExecuteStatement: the local stack cannot read this call into IAM actions (PartiQL');
  });

  it('asks a nested .sync execution for the EventBridge rule permissions AWS also requires', async () => {
    const { iam, lines } = await stack();
    const start = await wire(SFNClient, new StartExecutionCommand({ stateMachineArn: CHILD, input: '{}' }));

    const plain = iam.vetRequest(parent, start, 'arn:aws:states:::states:startExecution');
    const sync = iam.vetRequest(parent, start, 'arn:aws:states:::states:startExecution.sync:2');

    expect(plain).toBeUndefined();
    expect(sync?.status).toBe(400);
    expect(lines.at(-1)).toContain(`events:PutTargets on ${arn('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule')} (for states:StartExecution)`);
  });

  it('delivers a rule\'s event to a function only when the function\'s resource policy allows events.amazonaws.com for that rule', async () => {
    const { iam, lines } = await stack();
    const invoke = [{ action: 'lambda:InvokeFunction', resource: arn('lambda', 'function:shop-serve') }];

    const fromTheRule = iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/shop-restocked') }, invoke);
    const fromAnother = iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/other') }, invoke);
    const toAnother = iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/shop-restocked') }, [{ action: 'lambda:InvokeFunction', resource: arn('lambda', 'function:shop-charge') }]);

    expect([fromTheRule, fromAnother, toAnother]).toEqual([true, false, false]);
    expect(lines.at(-1)).toContain('this would: AWS::Lambda::Permission { FunctionName: arn:aws:lambda:us-east-1:000000000000:function:shop-charge, Action: lambda:InvokeFunction, Principal: events.amazonaws.com');
  });

  it('starts a rule\'s state machine target with the target\'s role', async () => {
    const { iam } = await stack();
    const start = [{ action: 'states:StartExecution', resource: CHILD }];

    expect(iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/x'), role: `arn:aws:iam::${ACCOUNT}:role/shop-rule` }, start)).toBe(true);
    expect(iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/x'), role: `arn:aws:iam::${ACCOUNT}:role/shop-charge` }, start)).toBe(false);
  });

  it('does not start a rule\'s state machine target that names no role, and says why', async () => {
    const { iam, lines } = await stack();

    const delivered = iam.vetChecks({ kind: 'rule', arn: arn('events', 'rule/shop-orders/x') }, [{ action: 'states:StartExecution', resource: CHILD }]);

    expect(delivered).toBe(false);
    expect(lines.at(-1)).toContain('the rule\'s target names no RoleArn');
  });

  it('knows AWS\'s basic execution policy, and says so once when a role names a managed policy it does not know', async () => {
    const { iam, lines } = await stack();

    iam.vetChecks(charge, [{ action: 'logs:PutLogEvents', resource: arn('logs', 'log-group:/aws/lambda/shop-charge:*') }]);
    iam.vetChecks(charge, [{ action: 'dynamodb:Scan', resource: PAYMENTS }]);
    iam.vetChecks(charge, [{ action: 'dynamodb:Query', resource: PAYMENTS }]);

    expect(lines.filter((line) => line.includes('AWSLambdaBasicExecutionRole'))).toEqual([]);
    expect(lines.filter((line) => line.includes('AmazonDynamoDBFullAccess is not known locally'))).toHaveLength(1);
  });

  it('leaves unchecked, and says so once, the calls of a role the template does not have (a machine a test created)', async () => {
    const { iam, lines } = await stack();
    const adHoc: Caller = { kind: 'state-machine', arn: arn('states', 'stateMachine:probe'), role: `arn:aws:iam::${ACCOUNT}:role/made-up` };

    const answers = [iam.vetRequest(adHoc, await getPayment()), iam.vetRequest(adHoc, await getPayment())];

    expect(answers).toEqual([undefined, undefined]);
    expect(lines).toEqual([`IAM: arn:aws:iam::${ACCOUNT}:role/made-up is not a role of the template: calls made with it are not checked`]);
  });

  it('reads LOCAL_IAM: enforce by default, log, off, and nothing else', () => {
    expect([parseIamMode(undefined), parseIamMode('LOG'), parseIamMode(' off ')]).toEqual(['enforce', 'log', 'off']);
    expect(() => parseIamMode('strict')).toThrow('LOCAL_IAM=strict: expected one of enforce, log, off');
  });

describe('an HTTP Task\'s call', () => {
  it('is held to the endpoint and method its role\'s conditions name', async () => {
    const { iam } = await stack();
    const machine: Caller = { kind: 'state-machine', arn: arn('states', 'stateMachine:shop-onboarding'), role: `arn:aws:iam::${ACCOUNT}:role/shop-billing` };

    expect(iam.vetChecks(machine, [httpTaskCheck('https://billing.example/v1/customers/cus_1', 'DELETE')])).toBe(true);
    expect(iam.vetChecks(machine, [httpTaskCheck('https://billing.example/v1/customers/cus_1', 'POST')])).toBe(false);
    expect(iam.vetChecks(machine, [httpTaskCheck('https://elsewhere.example/v1/customers/cus_1', 'DELETE')])).toBe(false);
  });
});

describe('a role naming an ARN AWS draws at creation', () => {
  it('allows nothing until the resource exists, then what its policy says', async () => {
    const withConnection = new TemplateResolver({
      Resources: {
        Billing: { Type: 'AWS::Events::Connection', Properties: { Name: 'shop-billing' } },
        MachineRole: role('shop-machine', [{ Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: { 'Fn::GetAtt': ['Billing', 'Arn'] } }]),
      },
    }, 'us-east-1', 'shop');
    const iam = await LocalIam.fromTemplate(withConnection, 'enforce', () => undefined);
    const machine: Caller = { kind: 'state-machine', arn: arn('states', 'stateMachine:shop-m'), role: `arn:aws:iam::${ACCOUNT}:role/shop-machine` };
    const connection = arn('events', 'connection/shop-billing/6f1c');
    const retrieve = [{ action: 'events:RetrieveConnectionCredentials', resource: connection }];

    expect(iam.vetChecks(machine, retrieve)).toBe(false);
    withConnection.recordArn('Billing', connection);
    iam.resolveRolesAgain(withConnection);
    expect(iam.vetChecks(machine, retrieve)).toBe(true);
  });
});
});
