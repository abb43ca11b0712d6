import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateConnectionCommand, CreateEventBusCommand, EventBridgeClient, type CreateConnectionCommandInput, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient, type StateMachineType } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { TemplateResolver } from './template.js';

export interface Provisioned {
  tables: string[];
  topics: string[];
  queues: string[];
  eventBuses: string[];
  buckets: string[];
  rules: string[];
  secrets: string[];
  connections: string[];
  stateMachines: { logicalId: string; name: string; arn: string; type: string }[];
}

const DYNAMIC_REFERENCE = /\{\{resolve:secretsmanager:([^:}]+)(?::SecretString(?::([^:}]*))?)?\}\}/g;

/**
 * CloudFormation's dynamic references to Secrets Manager (`{{resolve:secretsmanager:name}}`, or
 * `…:SecretString:key` for one key of a JSON secret) in a resource's properties, read from the
 * emulator as CloudFormation reads them at deploy time: the secret must exist first (an operator's,
 * created before deploying; locally `startStack({ secrets })`).
 */
export const resolveDynamicReferences = async (value: unknown, read: (name: string) => Promise<string>): Promise<unknown> => {
  if (typeof value === 'string') {
    let resolved = value;
    for (const [reference, name = '', key] of value.matchAll(DYNAMIC_REFERENCE)) {
      const secret = await read(name);
      resolved = resolved.replace(reference, key ? String((JSON.parse(secret) as Record<string, unknown>)[key] ?? '') : secret);
    }
    return resolved;
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveDynamicReferences(item, read)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await resolveDynamicReferences(item, read)] as const)));
  }
  return value;
};

/** Compiled definitions arrive as a JSON string; the engine wants them exactly as AWS would receive them. */
const definitionOf = (properties: Record<string, unknown>): string =>
  typeof properties.DefinitionString === 'string' ? properties.DefinitionString : JSON.stringify(properties.Definition);

/** Creates the template's state machines with their compiled definitions; all Step Functions Local can hold. */
export const provisionStateMachines = async (resolver: TemplateResolver, sfn: SFNClient): Promise<Provisioned['stateMachines']> => {
  const created: Provisioned['stateMachines'] = [];
  for (const logicalId of resolver.logicalIdsOfType('AWS::StepFunctions::StateMachine')) {
    const p = resolver.properties(logicalId);
    const name = String(p.StateMachineName);
    const type = String(p.StateMachineType ?? 'STANDARD');
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name,
      definition: definitionOf(p),
      roleArn: String(p.RoleArn),
      type: type as StateMachineType,
    }));
    created.push({ logicalId, name, arn: stateMachineArn ?? '', type });
  }
  return created;
};

/**
 * What of an AWS::S3::Bucket's properties the emulator is given: versioning (`Object Created`
 * events then carry `version-id`, and a second PUT adds a version instead of replacing the
 * object) and EventBridge notifications.
 */
export const bucketSettingsOf = (properties: Record<string, unknown>): { versioned: boolean; eventBridge: boolean } => {
  const versioning = properties.VersioningConfiguration as { Status?: string } | undefined;
  const notifications = properties.NotificationConfiguration as { EventBridgeConfiguration?: { EventBridgeEnabled?: boolean } } | undefined;
  return {
    versioned: versioning?.Status === 'Enabled',
    eventBridge: notifications?.EventBridgeConfiguration !== undefined && notifications.EventBridgeConfiguration.EventBridgeEnabled !== false,
  };
};

/** Queue properties CloudFormation takes as numbers or objects; SQS wants every attribute as text. */
const QUEUE_ATTRIBUTES = ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy'] as const;

/** Dead-letter queues first: a redrive policy must name a queue that exists. */
const provisionQueues = async (resolver: TemplateResolver, sqs: SQSClient): Promise<string[]> => {
  const ids = resolver.logicalIdsOfType('AWS::SQS::Queue');
  const ordered = [...ids.filter((id) => !resolver.properties(id).RedrivePolicy), ...ids.filter((id) => resolver.properties(id).RedrivePolicy)];
  const names: string[] = [];
  for (const logicalId of ordered) {
    const p = resolver.properties(logicalId);
    const attributes = Object.fromEntries(QUEUE_ATTRIBUTES.filter((key) => p[key] !== undefined)
      .map((key) => [key, typeof p[key] === 'object' ? JSON.stringify(p[key]) : String(p[key])]));
    const name = resolver.physicalName(logicalId);
    await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    names.push(name);
  }
  return names;
};

/**
 * Creates the template's data-plane resources in the emulator through the AWS APIs, in dependency
 * order. Lambda functions and HTTP routes are served by the local runtime instead.
 */
export const provisionFromTemplate = async (resolver: TemplateResolver, clientConfig: { endpoint: string; region: string }): Promise<Provisioned> => {
  const config = { ...clientConfig, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const dynamo = new DynamoDBClient(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  const sfn = new SFNClient(config);
  const secrets = new SecretsManagerClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const result: Provisioned = { tables: [], topics: [], queues: [], eventBuses: [], buckets: [], rules: [], secrets: [], connections: [], stateMachines: [] };

  await Promise.all([
    ...resolver.logicalIdsOfType('AWS::DynamoDB::Table').map(async (logicalId) => {
      const p = resolver.properties(logicalId);
      await dynamo.send(new CreateTableCommand({
        TableName: String(p.TableName),
        KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
        AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
        BillingMode: (p.BillingMode as CreateTableCommandInput['BillingMode']) ?? 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'],
      }));
      result.tables.push(String(p.TableName));
    }),
    ...resolver.logicalIdsOfType('AWS::SNS::Topic').map(async (logicalId) => {
      const name = resolver.physicalName(logicalId);
      await sns.send(new CreateTopicCommand({ Name: name }));
      result.topics.push(name);
    }),
    provisionQueues(resolver, sqs).then((names) => { result.queues.push(...names); }),
    // GenerateSecretString: a fresh random value each start, as a new stack gets on AWS.
    ...resolver.logicalIdsOfType('AWS::SecretsManager::Secret').map(async (logicalId) => {
      const p = resolver.properties(logicalId);
      const generate = p.GenerateSecretString as { PasswordLength?: number; ExcludePunctuation?: boolean } | undefined;
      const value = generate
        ? (await secrets.send(new GetRandomPasswordCommand({ PasswordLength: generate.PasswordLength, ExcludePunctuation: generate.ExcludePunctuation }))).RandomPassword
        : String(p.SecretString ?? '');
      const name = resolver.physicalName(logicalId);
      await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
      result.secrets.push(name);
    }),
    // With EventBridge enabled, S3 sends every Object Created (presigned PUTs included) to the default bus.
    ...resolver.logicalIdsOfType('AWS::S3::Bucket').map(async (logicalId) => {
      const settings = bucketSettingsOf(resolver.properties(logicalId));
      const name = resolver.physicalName(logicalId);
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      if (settings.versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
      if (settings.eventBridge) {
        await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: name, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
      }
      result.buckets.push(name);
    }),
    ...resolver.logicalIdsOfType('AWS::Events::EventBus').map(async (logicalId) => {
      const name = resolver.physicalName(logicalId);
      await events.send(new CreateEventBusCommand({ Name: name }));
      result.eventBuses.push(name);
    }),
    // Before the state machines: an HTTP Task names its connection by an ARN EventBridge draws.
    ...resolver.logicalIdsOfType('AWS::Events::Connection').map(async (logicalId) => {
      const p = resolver.properties(logicalId);
      const name = resolver.physicalName(logicalId);
      const readSecret = async (secretId: string) => {
        const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId })).catch((error: Error) => {
          throw new Error(`${logicalId} names the secret ${secretId} ({{resolve:secretsmanager:…}}), which does not exist: ${error.message}`);
        });
        return SecretString ?? '';
      };
      const { ConnectionArn } = await events.send(new CreateConnectionCommand({
        Name: name,
        Description: p.Description as string | undefined,
        AuthorizationType: p.AuthorizationType as CreateConnectionCommandInput['AuthorizationType'],
        AuthParameters: await resolveDynamicReferences(p.AuthParameters, readSecret) as CreateConnectionCommandInput['AuthParameters'],
      }));
      resolver.recordArn(logicalId, ConnectionArn ?? '');
      result.connections.push(name);
    }),
  ]);

  result.stateMachines = await provisionStateMachines(resolver, sfn);

  for (const logicalId of resolver.logicalIdsOfType('AWS::Events::Rule')) {
    const p = resolver.properties(logicalId);
    const name = resolver.physicalName(logicalId);
    const eventBusName = p.EventBusName === undefined ? 'default' : String(p.EventBusName);
    await events.send(new PutRuleCommand({
      Name: name,
      EventBusName: eventBusName,
      EventPattern: typeof p.EventPattern === 'string' ? p.EventPattern : JSON.stringify(p.EventPattern),
      ScheduleExpression: p.ScheduleExpression as string | undefined,
      State: (p.State as 'ENABLED' | undefined) ?? 'ENABLED',
    }));
    await events.send(new PutTargetsCommand({ Rule: name, EventBusName: eventBusName, Targets: p.Targets as Target[] }));
    result.rules.push(name);
  }
  return result;
};

/** Secrets an operator creates before deploying (a template's dynamic references read them). */
export const createSecrets = async (clientConfig: { endpoint: string; region: string }, secrets: Record<string, string>): Promise<void> => {
  if (Object.keys(secrets).length === 0) return;
  const client = new SecretsManagerClient({ ...clientConfig, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await Promise.all(Object.entries(secrets).map(([name, value]) => client.send(new CreateSecretCommand({ Name: name, SecretString: value }))));
  client.destroy();
};

/** A SecureString parameter that the template expects an operator to have created. */
export const putSecureParameter = async (clientConfig: { endpoint: string; region: string }, name: string, value: string): Promise<void> => {
  const ssm = new SSMClient({ ...clientConfig, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }));
  ssm.destroy();
};
