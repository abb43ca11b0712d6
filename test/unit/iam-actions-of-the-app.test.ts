import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import * as lambda from '@aws-sdk/client-lambda';
import * as s3 from '@aws-sdk/client-s3';
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import * as sesv2 from '@aws-sdk/client-sesv2';
import * as sfn from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as ssm from '@aws-sdk/client-ssm';
import * as textract from '@aws-sdk/client-textract';
import * as documentClient from '@aws-sdk/lib-dynamodb';
import { checksOfCall, httpTaskCheck, IamData, taskRequirements, type AwsRequest, type MappedCall } from 'local-stack';
import { PROJECT_ROOT, readDefinition, walkStates, workflows } from '../../scripts/workflows.js';

/**
 * The local stack holds every call a function or a Task makes to its role (LOCAL_IAM), and refuses
 * a call it cannot read into IAM actions. So every AWS call this app makes must be one it reads:
 * each SDK command a handler sends (found in functions/), and each service integration a
 * definition's Tasks use (found in statemachines/).
 */
const WHERE = { region: 'us-east-1', account: '000000000000' };
const data = await IamData.load();

type Client = { send(command: unknown): Promise<unknown> };
type Module = Record<string, unknown>;
const MODULES: Record<string, Module> = {
  '@aws-sdk/client-dynamodb': dynamodb,
  '@aws-sdk/client-eventbridge': eventbridge,
  '@aws-sdk/client-lambda': lambda,
  '@aws-sdk/client-s3': s3,
  '@aws-sdk/client-secrets-manager': secretsManager,
  '@aws-sdk/client-sesv2': sesv2,
  '@aws-sdk/client-sfn': sfn,
  '@aws-sdk/client-sns': sns,
  '@aws-sdk/client-sqs': sqs,
  '@aws-sdk/client-ssm': ssm,
  '@aws-sdk/client-textract': textract,
  '@aws-sdk/lib-dynamodb': documentClient,
};

/** A request as the client would send it, kept instead of sent. */
const wire = async (module: Module, command: unknown): Promise<AwsRequest> => {
  let captured: AwsRequest | undefined;
  const config = {
    region: 'us-east-1',
    endpoint: 'http://localhost:4566',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    forcePathStyle: true,
    requestHandler: {
      handle: async (request: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown; hostname: string; port?: number }) => {
        const query = new URLSearchParams(Object.entries(request.query ?? {}).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item): [string, string] => [name, item ?? ''])));
        const body = request.body instanceof Uint8Array ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : Buffer.from(typeof request.body === 'string' ? request.body : '');
        captured = { method: request.method, url: `${request.path}${query.size > 0 ? `?${query}` : ''}`, headers: Object.fromEntries(Object.entries({ host: `${request.hostname}:${request.port}`, ...request.headers }).map(([k, v]) => [k.toLowerCase(), v])), body };
        throw new Error('captured');
      },
    },
  };
  const client: Client = module === documentClient
    ? documentClient.DynamoDBDocumentClient.from(new dynamodb.DynamoDBClient(config))
    : new (Object.entries(module).find(([name]) => name.endsWith('Client') && !name.startsWith('_'))![1] as new (c: unknown) => Client)(config);
  await client.send(command).catch((error: Error) => { if (error.message !== 'captured') throw error; });
  if (!captured) throw new Error('nothing sent');
  return captured;
};

/** Enough of every input for each command to name its resources. */
const INPUT = {
  TableName: 'orders', Key: { orderId: 'o-1' }, Item: { orderId: 'o-1' }, KeyConditionExpression: 'sku = :s', IndexName: 'by-sku',
  RequestItems: { orders: { Keys: [{ orderId: 'o-1' }] } }, TransactItems: [{ Put: { TableName: 'orders', Item: { orderId: 'o-1' } } }],
  Bucket: 'documents', Name: '/app/key', SecretId: 'app/key', TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts', Message: 'm',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:intake', executionArn: 'arn:aws:states:us-east-1:000000000000:execution:intake:e', taskToken: 't', output: '{}',
  Entries: [{ EventBusName: 'orders', Source: 's', DetailType: 'd', Detail: '{}' }],
  Document: { S3Object: { Bucket: 'documents', Name: 'uploads/a.png' } }, DocumentLocation: { S3Object: { Bucket: 'documents', Name: 'uploads/a.pdf' } }, JobId: 'j',
  QueueUrl: 'http://localhost:4566/000000000000/requests', MessageBody: 'm', FunctionName: 'charge',
  FromEmailAddress: 'onboarding@example.com', Destination: { ToAddresses: ['a@example.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
};
const inputFor = (module: Module) => (module === s3 ? { ...INPUT, Key: 'uploads/a.pdf', Body: 'x' } : INPUT);

const sourceFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
  entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);

/** Each `new XCommand(` in functions/, with the SDK module the file imports it from. */
const commandsOfFunctions = (): { where: string; module: Module; command: string }[] =>
  sourceFiles(join(PROJECT_ROOT, 'functions')).flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const importedFrom = new Map([...source.matchAll(/import\s*(?:type\s*)?\{([^}]+)\}\s*from\s*'(@aws-sdk\/[^']+)'/g)]
      .flatMap(([, names = '', from = '']) => names.split(',').map((name) => [name.trim().split(/\s+as\s+/)[0] ?? '', from] as const)));
    const commands = [...new Set([...source.matchAll(/new (\w+Command)\(/g)].map(([, name = '']) => name))];
    // Powertools Parameters sends these for the providers it is given.
    const providers = [...(source.includes('new SSMProvider(') ? [['GetParameterCommand', '@aws-sdk/client-ssm']] : []), ...(source.includes('new SecretsProvider(') ? [['GetSecretValueCommand', '@aws-sdk/client-secrets-manager']] : [])];
    return [...commands.map((command) => [command, importedFrom.get(command) ?? ''] as const), ...providers].map(([command = '', from = '']) => {
      const module = MODULES[from];
      if (!module) throw new Error(`${relative(PROJECT_ROOT, file)}: ${command} from ${from || 'an unknown module'}: add the module to this test`);
      return { where: relative(PROJECT_ROOT, file), module, command };
    });
  });

/** The SDK command each service integration of a Task calls (`arn:aws:states:::dynamodb:putItem` → PutItemCommand). */
const INTEGRATIONS: Record<string, Module> = { dynamodb, sns, sqs, events: eventbridge, states: sfn, lambda };
const SDK_SERVICES: Record<string, Module> = { textract, s3, dynamodb, sfn, sns, sqs, eventbridge, lambda, ssm, secretsmanager: secretsManager };
const commandOfTask = (resource: string): { module: Module; command: string } | undefined => {
  if (/^arn:aws:lambda:/.test(resource) || resource.startsWith('arn:aws:states:::lambda:invoke')) return { module: lambda, command: 'InvokeCommand' };
  const sdk = /^arn:aws:states:::aws-sdk:([^:]+):(\w+)$/.exec(resource);
  const optimised = /^arn:aws:states:::([^:]+):(\w+)(\..*)?$/.exec(resource);
  const [service = '', action = ''] = (sdk ?? optimised)?.slice(1) ?? [];
  const module = sdk ? SDK_SERVICES[service] : INTEGRATIONS[service];
  return module && { module, command: `${action.charAt(0).toUpperCase()}${action.slice(1)}Command` };
};

const callOf = async (module: Module, command: string): Promise<MappedCall> => {
  const Command = module[command] as (new (input: unknown) => unknown) | undefined;
  if (!Command) throw new Error(`no ${command} in the SDK module`);
  return checksOfCall(await wire(module, new Command(inputFor(module))), data, WHERE);
};

describe('IAM actions of every call this app makes', () => {
  it('finds the SDK commands the functions send', () => {
    expect(commandsOfFunctions().map(({ command }) => command)).toEqual(expect.arrayContaining(['GetCommand', 'TransactWriteCommand', 'StartSyncExecutionCommand', 'PutEventsCommand', 'GetParameterCommand']));
  });

  it('reads each SDK command a function sends into IAM actions', async () => {
    const unread: string[] = [];
    for (const { where, module, command } of commandsOfFunctions()) {
      const call = await callOf(module, command);
      if (call.unmapped || call.checks.length === 0) unread.push(`${where}: ${command} (${call.service}:${call.operation}): ${call.unmapped ?? 'no checks'}`);
    }
    expect(unread).toEqual([]);
  });

  it('reads each service integration a Task uses into IAM actions, .sync ones with what AWS also requires', async () => {
    const unread: string[] = [];
    let tasks = 0;
    for (const workflow of workflows()) {
      const resources: string[] = [];
      walkStates(readDefinition(workflow), (_, state) => { if (state.Type === 'Task') resources.push(String(state.Resource)); });
      for (const resource of resources) {
        tasks += 1;
        // An HTTP Task calls no AWS API: the engine asks the stack for states:InvokeHTTPEndpoint with its endpoint and method.
        if (resource === 'arn:aws:states:::http:invoke') {
          if (!data.action('states', 'InvokeHTTPEndpoint') || httpTaskCheck('https://api.example/x', 'POST').action !== 'states:InvokeHTTPEndpoint') unread.push(`${workflow.name}: ${resource}: no reading`);
          continue;
        }
        const target = commandOfTask(resource);
        const call = target && await callOf(target.module, target.command);
        if (!call || call.unmapped || call.checks.length === 0) unread.push(`${workflow.name}: ${resource}: ${call?.unmapped ?? 'no reading of this integration'}`);
        if (resource.includes('.sync') && taskRequirements(resource, WHERE.region, WHERE.account).length === 0) unread.push(`${workflow.name}: ${resource}: no rule permissions for .sync`);
        if (resource.includes('.sync') && (await callOf(sfn, 'DescribeExecutionCommand')).unmapped) unread.push(`${resource}: DescribeExecution unread`);
      }
    }
    expect(tasks).toBeGreaterThan(30);
    expect(unread).toEqual([]);
  });
});
