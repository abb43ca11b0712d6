import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as s3 from '@aws-sdk/client-s3';
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import * as sfn from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as ssm from '@aws-sdk/client-ssm';
import * as textract from '@aws-sdk/client-textract';
import { checksOfCall, NOT_READ, type AwsRequest, type MappedCall } from '../src/iam/actions.js';
import { IamData } from '../src/iam/data.js';
import { clientConfig, wireRequest, type SdkClient } from './support/wire.js';

const WHERE = { region: 'us-east-1', account: '000000000000' };
const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:000000000000:${resource}`;
const data = await IamData.load();

type Module = Record<string, unknown>;
const clientOf = (module: Module, captured: AwsRequest[]): SdkClient => {
  const [, Client] = Object.entries(module).find(([name]) => name.endsWith('Client') && !name.startsWith('_')) ?? [];
  return new (Client as new (config: unknown) => SdkClient)({ ...clientConfig(captured), ...(module === s3 ? { forcePathStyle: true } : {}) });
};
const commandsOf = (module: Module): [string, new (input: unknown) => unknown][] =>
  Object.entries(module).filter(([name]) => name.endsWith('Command') && name !== 'Command' && !name.startsWith('$')) as [string, new (input: unknown) => unknown][];

/** The checks of a command as its SDK client sends it. */
const callOf = async (module: Module, command: unknown): Promise<MappedCall> => {
  const captured: AwsRequest[] = [];
  return checksOfCall(await wireRequest(clientOf(module, captured), captured, command), data, WHERE);
};
const checksOf = async (module: Module, command: unknown) => {
  const call = await callOf(module, command);
  expect(call.unmapped).toBeUndefined();
  return call.checks.map(({ action, resource }) => `${action} ${resource}`);
};

/** Every field the served operations name their resource by, so each command has one to read. */
const EVERY_RESOURCE_FIELD = {
  TableName: 't', TableArn: arn('dynamodb', 'table/t'), ResourceArn: arn('sns', 'tagged'), resourceArn: arn('states', 'stateMachine:m'),
  stateMachineArn: arn('states', 'stateMachine:m'), executionArn: arn('states', 'execution:m:e'), activityArn: arn('states', 'activity:a'),
  stateMachineAliasArn: arn('states', 'stateMachine:m:live'), stateMachineVersionArn: arn('states', 'stateMachine:m:1'), mapRunArn: arn('states', 'mapRun:m/x:y'),
  routingConfiguration: [{ stateMachineVersionArn: arn('states', 'stateMachine:m:1'), weight: 100 }],
  name: 'n', Name: 'n', EventBusName: 'b', Rule: 'r', ResourceARN: arn('events', 'event-bus/b'),
  QueueUrl: 'http://localhost:4566/000000000000/q', QueueName: 'q', SourceArn: arn('sqs', 'q'),
  TopicArn: arn('sns', 't'), SubscriptionArn: arn('sns', 't:0f2c'), SecretId: 's', Names: ['/p'], Path: '/p',
};

describe('IAM actions of a call', () => {
  it('reads every operation of the services the stack serves into IAM actions that exist, or declares it not read', async () => {
    // Prepare
    const modules: [string, Module][] = [['dynamodb', dynamodb], ['states', sfn], ['events', eventbridge], ['sns', sns], ['sqs', sqs], ['ssm', ssm], ['secretsmanager', secretsManager], ['textract', textract]];
    const problems: string[] = [];
    let read = 0;

    // Act
    for (const [service, module] of modules) {
      for (const [name, Command] of commandsOf(module)) {
        const call = await callOf(module, new Command(EVERY_RESOURCE_FIELD));
        const operation = name.replace(/Command$/, '');
        const declared = NOT_READ[service]?.some(([pattern]) => pattern.test(operation)) ?? false;
        // Newer than IAM's reference: the SDK has the operation, IAM does not list it yet.
        const unknownToIam = call.unmapped === `IAM has no action ${service}:${operation}`;
        if (call.service !== service || call.operation !== operation) problems.push(`${name} read as ${call.service}:${call.operation}`);
        else if (call.unmapped && !declared && !unknownToIam) problems.push(`${name}: ${call.unmapped}`);
        else if (!call.unmapped && declared) problems.push(`${name} is declared not read, yet read`);
        else if (call.checks.some((check) => !data.action(check.action.split(':')[0] ?? '', check.action.split(':')[1] ?? ''))) problems.push(`${name}: unknown action in ${JSON.stringify(call.checks)}`);
        if (!call.unmapped) read += 1;
      }
    }

    // Assess
    expect(problems).toEqual([]);
    expect(read).toBeGreaterThan(200);
  });

  it('needs the action of each item of a DynamoDB transaction, on its table', async () => {
    // Act
    const checks = await checksOf(dynamodb, new dynamodb.TransactWriteItemsCommand({
      TransactItems: [
        { ConditionCheck: { TableName: 'orders', Key: { id: { S: '1' } }, ConditionExpression: 'attribute_exists(id)' } },
        { Put: { TableName: 'payments', Item: { id: { S: '1' } } } },
        { Update: { TableName: 'products', Key: { sku: { S: 'A' } }, UpdateExpression: 'SET stock = stock - :one' } },
        { Delete: { TableName: 'reservations', Key: { id: { S: '1' } } } },
      ],
    }));

    // Assess
    expect(checks).toEqual([
      `dynamodb:ConditionCheckItem ${arn('dynamodb', 'table/orders')}`,
      `dynamodb:PutItem ${arn('dynamodb', 'table/payments')}`,
      `dynamodb:UpdateItem ${arn('dynamodb', 'table/products')}`,
      `dynamodb:DeleteItem ${arn('dynamodb', 'table/reservations')}`,
    ]);
  });

  it('needs GetItem on each table of TransactGetItems and the batch action on each table of a batch', async () => {
    expect(await checksOf(dynamodb, new dynamodb.TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'a', Key: {} } }, { Get: { TableName: 'b', Key: {} } }] })))
      .toEqual([`dynamodb:GetItem ${arn('dynamodb', 'table/a')}`, `dynamodb:GetItem ${arn('dynamodb', 'table/b')}`]);
    expect(await checksOf(dynamodb, new dynamodb.BatchGetItemCommand({ RequestItems: { products: { Keys: [] }, orders: { Keys: [] } } })))
      .toEqual([`dynamodb:BatchGetItem ${arn('dynamodb', 'table/products')}`, `dynamodb:BatchGetItem ${arn('dynamodb', 'table/orders')}`]);
    expect(await checksOf(dynamodb, new dynamodb.BatchWriteItemCommand({ RequestItems: { products: [] } })))
      .toEqual([`dynamodb:BatchWriteItem ${arn('dynamodb', 'table/products')}`]);
  });

  it('needs Query on the index a query names, and on the table otherwise', async () => {
    expect(await checksOf(dynamodb, new dynamodb.QueryCommand({ TableName: 'backorders', IndexName: 'by-sku', KeyConditionExpression: 'sku = :s' })))
      .toEqual([`dynamodb:Query ${arn('dynamodb', 'table/backorders/index/by-sku')}`]);
    expect(await checksOf(dynamodb, new dynamodb.QueryCommand({ TableName: 'backorders', KeyConditionExpression: 'id = :s' })))
      .toEqual([`dynamodb:Query ${arn('dynamodb', 'table/backorders')}`]);
  });

  it('needs PutEvents on the bus of each entry, by name, by ARN or the default one', async () => {
    // Act
    const checks = await checksOf(eventbridge, new eventbridge.PutEventsCommand({
      Entries: [
        { EventBusName: 'orders', Source: 's', DetailType: 'd', Detail: '{}' },
        { EventBusName: arn('events', 'event-bus/audit'), Source: 's', DetailType: 'd', Detail: '{}' },
        { Source: 's', DetailType: 'd', Detail: '{}' },
        { EventBusName: 'orders', Source: 's', DetailType: 'other', Detail: '{}' },
      ],
    }));

    // Assess
    expect(checks).toEqual([
      `events:PutEvents ${arn('events', 'event-bus/orders')}`,
      `events:PutEvents ${arn('events', 'event-bus/audit')}`,
      `events:PutEvents ${arn('events', 'event-bus/default')}`,
    ]);
  });

  it('names a rule on a bus of its own under the bus', async () => {
    expect(await checksOf(eventbridge, new eventbridge.PutRuleCommand({ Name: 'restocked', EventBusName: 'orders' }))).toEqual([`events:PutRule ${arn('events', 'rule/orders/restocked')}`]);
    expect(await checksOf(eventbridge, new eventbridge.PutRuleCommand({ Name: 'nightly' }))).toEqual([`events:PutRule ${arn('events', 'rule/nightly')}`]);
  });

  it('reads Step Functions calls by the machine or execution they name, a mock test case by its machine', async () => {
    expect(await checksOf(sfn, new sfn.StartSyncExecutionCommand({ stateMachineArn: arn('states', 'stateMachine:intake') }))).toEqual([`states:StartSyncExecution ${arn('states', 'stateMachine:intake')}`]);
    expect(await checksOf(sfn, new sfn.StartExecutionCommand({ stateMachineArn: `${arn('states', 'stateMachine:fulfilment')}#PaymentDeclined` }))).toEqual([`states:StartExecution ${arn('states', 'stateMachine:fulfilment')}`]);
    expect(await checksOf(sfn, new sfn.DescribeExecutionCommand({ executionArn: arn('states', 'execution:approval:approve-1') }))).toEqual([`states:DescribeExecution ${arn('states', 'execution:approval:approve-1')}`]);
    expect(await checksOf(sfn, new sfn.RedriveExecutionCommand({ executionArn: arn('states', 'execution:fulfilment:e-1') }))).toEqual([`states:RedriveExecution ${arn('states', 'execution:fulfilment:e-1')}`]);
    // A task token names no resource: IAM grants SendTaskSuccess on "*" only.
    expect(await checksOf(sfn, new sfn.SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))).toEqual(['states:SendTaskSuccess *']);
  });

  it('reads SNS from the query protocol and SQS from JSON, a batch as its single action', async () => {
    expect(await checksOf(sns, new sns.PublishCommand({ TopicArn: arn('sns', 'alerts'), Message: 'm' }))).toEqual([`sns:Publish ${arn('sns', 'alerts')}`]);
    expect(await checksOf(sqs, new sqs.SendMessageBatchCommand({ QueueUrl: 'http://localhost:4566/000000000000/requests', Entries: [] }))).toEqual([`sqs:SendMessage ${arn('sqs', 'requests')}`]);
    const form: AwsRequest = {
      method: 'POST',
      url: '/000000000000/requests',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' },
      body: Buffer.from('Action=ReceiveMessage&MaxNumberOfMessages=10'),
    };
    expect(checksOfCall(form, data, WHERE)).toMatchObject({ service: 'sqs', operation: 'ReceiveMessage', protocol: 'query', checks: [{ action: 'sqs:ReceiveMessage', resource: arn('sqs', 'requests') }] });
  });

  it('reads a parameter by its name (the leading slash is the ARN\'s) and a secret by its name or ARN', async () => {
    expect(await checksOf(ssm, new ssm.GetParameterCommand({ Name: '/app/local/link-key', WithDecryption: true }))).toEqual([`ssm:GetParameter ${arn('ssm', 'parameter/app/local/link-key')}`]);
    expect(await checksOf(ssm, new ssm.GetParametersCommand({ Names: ['/a', 'b'] }))).toEqual([`ssm:GetParameters ${arn('ssm', 'parameter/a')}`, `ssm:GetParameters ${arn('ssm', 'parameter/b')}`]);
    expect(await checksOf(secretsManager, new secretsManager.GetSecretValueCommand({ SecretId: 'app/order-id-key' }))).toEqual([`secretsmanager:GetSecretValue ${arn('secretsmanager', 'secret:app/order-id-key')}`]);
    expect(await checksOf(secretsManager, new secretsManager.GetSecretValueCommand({ SecretId: arn('secretsmanager', 'secret:x-AbCdEf') }))).toEqual([`secretsmanager:GetSecretValue ${arn('secretsmanager', 'secret:x-AbCdEf')}`]);
  });

  it('needs s3:GetObject on the object Textract is asked to read, as Textract reads it with the caller\'s permission', async () => {
    expect(await checksOf(textract, new textract.StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: { Bucket: 'docs', Name: 'uploads/a.pdf' } } })))
      .toEqual(['textract:StartDocumentTextDetection *', 's3:GetObject arn:aws:s3:::docs/uploads/a.pdf']);
    expect(await checksOf(textract, new textract.GetDocumentTextDetectionCommand({ JobId: 'j' }))).toEqual(['textract:GetDocumentTextDetection *']);
  });

  it('reads a Lambda invocation by the function it names: name, ARN or qualified', async () => {
    const fn = arn('lambda', 'function:charge');
    expect(await checksOf({ LambdaClient } as Module, new InvokeCommand({ FunctionName: 'charge' }))).toEqual([`lambda:InvokeFunction ${fn}`]);
    expect(await checksOf({ LambdaClient } as Module, new InvokeCommand({ FunctionName: fn }))).toEqual([`lambda:InvokeFunction ${fn}`]);
    expect(await checksOf({ LambdaClient } as Module, new InvokeCommand({ FunctionName: 'charge', Qualifier: 'live' }))).toEqual([`lambda:InvokeFunction ${fn}:live`]);
    expect(await checksOf({ LambdaClient } as Module, new InvokeCommand({ FunctionName: `${fn}:$LATEST` }))).toEqual([`lambda:InvokeFunction ${fn}:$LATEST`]);
  });

  it('reads the S3 calls a function makes: objects, copies, multipart uploads, listings, deletes', async () => {
    const object = 'arn:aws:s3:::docs/uploads/a.pdf';
    const cases: [unknown, string[]][] = [
      [new s3.GetObjectCommand({ Bucket: 'docs', Key: 'uploads/a.pdf' }), [`s3:GetObject ${object}`]],
      [new s3.GetObjectCommand({ Bucket: 'docs', Key: 'uploads/a.pdf', VersionId: '1' }), [`s3:GetObjectVersion ${object}`]],
      [new s3.HeadObjectCommand({ Bucket: 'docs', Key: 'uploads/a.pdf' }), [`s3:GetObject ${object}`]],
      [new s3.PutObjectCommand({ Bucket: 'docs', Key: 'uploads/a.pdf', Body: 'x' }), [`s3:PutObject ${object}`]],
      [new s3.CopyObjectCommand({ Bucket: 'docs', Key: 'filed/a.pdf', CopySource: 'docs/uploads/a.pdf' }), ['s3:PutObject arn:aws:s3:::docs/filed/a.pdf', `s3:GetObject ${object}`]],
      [new s3.DeleteObjectCommand({ Bucket: 'docs', Key: 'uploads/a.pdf' }), [`s3:DeleteObject ${object}`]],
      [new s3.CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'uploads/a.pdf' }), [`s3:PutObject ${object}`]],
      [new s3.UploadPartCommand({ Bucket: 'docs', Key: 'uploads/a.pdf', UploadId: 'u', PartNumber: 1, Body: 'x' }), [`s3:PutObject ${object}`]],
      [new s3.AbortMultipartUploadCommand({ Bucket: 'docs', Key: 'uploads/a.pdf', UploadId: 'u' }), [`s3:AbortMultipartUpload ${object}`]],
      [new s3.GetObjectTaggingCommand({ Bucket: 'docs', Key: 'uploads/a.pdf' }), [`s3:GetObjectTagging ${object}`]],
      [new s3.ListObjectsV2Command({ Bucket: 'docs', Prefix: 'uploads/' }), ['s3:ListBucket arn:aws:s3:::docs']],
      [new s3.HeadBucketCommand({ Bucket: 'docs' }), ['s3:ListBucket arn:aws:s3:::docs']],
      [new s3.PutBucketNotificationConfigurationCommand({ Bucket: 'docs', NotificationConfiguration: {} }), ['s3:PutBucketNotification arn:aws:s3:::docs']],
      [new s3.ListBucketsCommand({}), ['s3:ListAllMyBuckets *']],
    ];
    for (const [command, expected] of cases) expect(await checksOf(s3, command)).toEqual(expected);
  });

  it('needs DeleteObject on every key a DeleteObjects names', async () => {
    const checks = await checksOf(s3, new s3.DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'a & b.txt' }, { Key: 'c.txt', VersionId: '2' }] } }));
    expect(checks).toEqual(['s3:DeleteObject arn:aws:s3:::docs/a & b.txt', 's3:DeleteObjectVersion arn:aws:s3:::docs/c.txt']);
  });

  it('reads the bucket of a virtual-hosted S3 request from its host', () => {
    const request: AwsRequest = {
      method: 'GET',
      url: '/uploads/a.pdf',
      headers: { host: 'docs.s3.us-east-1.amazonaws.com', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
      body: Buffer.alloc(0),
    };
    expect(checksOfCall(request, data, WHERE).checks).toEqual([{ action: 's3:GetObject', resource: 'arn:aws:s3:::docs/uploads/a.pdf' }]);
  });

  it('says why it cannot read a call instead of guessing: PartiQL, an unknown target, a Lambda call it does not read', async () => {
    expect((await callOf(dynamodb, new dynamodb.ExecuteStatementCommand({ Statement: 'SELECT * FROM t' }))).unmapped).toMatch(/PartiQL/);
    expect(checksOfCall({ method: 'POST', url: '/', headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord' }, body: Buffer.from('{}') }, data, WHERE).unmapped).toMatch(/no IAM reading/);
    expect(checksOfCall({ method: 'DELETE', url: '/2015-03-31/functions/charge', headers: {}, body: Buffer.alloc(0) }, data, WHERE).unmapped).toMatch(/does not read/);
  });

  it('reads an SES v2 SendEmail into ses:SendEmail on the sender\'s domain identity', () => {
    const request: AwsRequest = {
      method: 'POST',
      url: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0' },
      body: Buffer.from(JSON.stringify({ FromEmailAddress: 'Onboarding <onboarding@example.com>', Destination: { ToAddresses: ['a@acme.example'] }, Content: { Simple: {} } })),
    };
    expect(checksOfCall(request, data, WHERE)).toMatchObject({ service: 'ses', operation: 'SendEmail', checks: [{ action: 'ses:SendEmail', resource: `arn:aws:ses:us-east-1:${WHERE.account}:identity/example.com` }] });
  });
});
