import type { IncomingHttpHeaders } from 'node:http';
import type { IamData, Where } from './data.js';

/**
 * Which IAM actions on which resources an AWS API call needs, read from the call as it arrives
 * on the wire, the way each service's authorizer reads it: per item of a DynamoDB transaction,
 * the index of a Query, the bus of each PutEvents entry, the object Textract is asked to read.
 * Action names and ARN formats come from IAM's reference (data.ts); only the reading is here.
 */

/** An AWS API request as the front received it (or as the emulator was about to send it in process). */
export interface AwsRequest {
  method: string;
  /** Path and query, as in the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One action on one resource ("*" for an action IAM grants only on "*"). */
export interface Check {
  action: string;
  resource: string;
  /** Request context keys (lower case) the call supplies for conditions, beyond the caller's own. */
  context?: Record<string, string>;
}

/**
 * What an HTTP Task (`arn:aws:states:::http:invoke`) needs of its role: states:InvokeHTTPEndpoint,
 * an action IAM gives no resource type (so on "*"), with the endpoint and method as the condition
 * keys AWS sets for it, so a role scoped by `states:HTTPEndpoint` / `states:HTTPMethod` is held to them.
 */
export const httpTaskCheck = (endpoint: string, method: string): Check => ({
  action: 'states:InvokeHTTPEndpoint',
  resource: '*',
  context: { 'states:httpendpoint': endpoint, 'states:httpmethod': method.toUpperCase() },
});

export type Protocol = 'json' | 'query' | 'rest-json' | 'rest-xml';

export interface MappedCall {
  /** The service's IAM prefix: dynamodb, states, events, sns, sqs, s3, lambda, ssm, secretsmanager, textract, sts. */
  service: string;
  operation: string;
  /** How the service answers, so a refusal is written the way its clients read errors. */
  protocol: Protocol;
  /** Every one must be allowed; empty when the call needs no permission (sts:GetCallerIdentity). */
  checks: Check[];
  /** Set when the call could not be read into checks: the reason (checks is then empty). */
  unmapped?: string;
}

/** X-Amz-Target prefixes of the JSON services, by IAM prefix. */
const JSON_TARGETS: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  AWSStepFunctions: 'states',
  AWSEvents: 'events',
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
  Textract: 'textract',
  AmazonSQS: 'sqs',
};
/** SigV4 signing names that differ from the IAM prefix. */
const SIGNING_NAMES: Record<string, string> = { states: 'states', execute_api: 'execute-api' };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The credential scope of a SigV4 signature: `Credential=AK/20261206/us-east-1/sns/aws4_request`, in the header or a presigned URL. */
const credentialScope = (request: AwsRequest, query: URLSearchParams): { region?: string; service?: string } => {
  const credential = /Credential=([^,\s]+)/.exec(header(request.headers, 'authorization') ?? '')?.[1] ?? query.get('X-Amz-Credential') ?? '';
  const [, , region, service] = credential.split('/');
  return { region, service: service && (SIGNING_NAMES[service] ?? service) };
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

class Reader {
  constructor(readonly data: IamData, readonly where: Where) {}

  /** A check for `service:operation`, by IAM's spelling; undefined when IAM has no such action. */
  check(service: string, action: string, resource: string | undefined): Check | string {
    const info = this.data.action(service, action);
    if (!info) return `IAM has no action ${service}:${action}`;
    if (info.wildcardOnly) return { action: info.name, resource: '*' };
    if (!resource) return `the request names no resource for ${info.name}`;
    return { action: info.name, resource };
  }

  arn(service: string, type: string, variables: Record<string, string>): string {
    return this.data.arn(service, type, variables, this.where);
  }

  table = (name: unknown): string | undefined => {
    const table = text(name);
    return table && (table.startsWith('arn:') ? table : this.arn('dynamodb', 'table', { TableName: table }));
  };

  index = (table: unknown, index: string): string | undefined => {
    const arn = this.table(table);
    return arn && `${arn}/index/${index}`;
  };

  bus = (nameOrArn: unknown): string => {
    const bus = text(nameOrArn) ?? 'default';
    return bus.startsWith('arn:') ? bus : this.arn('events', 'event-bus', { EventBusName: bus });
  };

  rule = (nameOrArn: unknown, busNameOrArn: unknown): string | undefined => {
    const rule = text(nameOrArn);
    if (!rule || rule.startsWith('arn:')) return rule;
    const bus = (text(busNameOrArn) ?? 'default').replace(/^arn:[^/]*event-bus\//, '');
    return bus === 'default'
      ? this.arn('events', 'rule-on-default-event-bus', { RuleName: rule })
      : this.arn('events', 'rule-on-custom-event-bus', { EventBusName: bus, RuleName: rule });
  };

  /** From a queue URL (`http://host/<account>/<name>`), a queue ARN or a bare name. */
  queue = (urlArnOrName: unknown): string | undefined => {
    const queue = text(urlArnOrName);
    if (!queue || queue.startsWith('arn:')) return queue;
    const name = queue.includes('/') ? queue.replace(/\/+$/, '').split('/').pop() : queue;
    return name ? this.arn('sqs', 'queue', { QueueName: name }) : undefined;
  };

  topic = (arnOrName: unknown): string | undefined => {
    const topic = text(arnOrName);
    return topic && (topic.startsWith('arn:') ? topic : this.arn('sns', 'topic', { TopicName: topic }));
  };

  /** A parameter's name (a version or label selector stripped) or ARN. */
  parameter = (nameOrArn: unknown): string | undefined => {
    const parameter = text(nameOrArn);
    if (!parameter || parameter.startsWith('arn:')) return parameter;
    return this.arn('ssm', 'parameter', { ParameterNameWithoutLeadingSlash: parameter.replace(/:[^:/]*$/, '').replace(/^\//, '') });
  };

  /** A secret's ARN, or the partial ARN its name gives (Secrets Manager accepts both, and policies name either). */
  secret = (idOrArn: unknown): string | undefined => {
    const secret = text(idOrArn);
    return secret && (secret.startsWith('arn:') ? secret : this.arn('secretsmanager', 'Secret', { SecretId: secret }));
  };

  function = (nameOrArn: string, qualifier?: string | null): string => {
    const parts = nameOrArn.split(':');
    // name, name:qualifier, 123456789012:function:name[:qualifier], or the full ARN
    const [name, ownQualifier] = nameOrArn.startsWith('arn:') ? [parts[6] ?? '', parts[7]]
      : parts.length >= 3 ? [parts[2] ?? '', parts[3]]
        : [parts[0] ?? '', parts[1]];
    const arn = this.arn('lambda', 'function', { FunctionName: name });
    const version = ownQualifier ?? qualifier ?? undefined;
    return version ? `${arn}:${version}` : arn;
  };

  object = (bucket: string, key: string): string => this.arn('s3', 'object', { BucketName: bucket, ObjectName: key });
  bucket = (bucket: string): string => this.arn('s3', 'bucket', { BucketName: bucket });
}

type Checks = (Check | string)[];

/**
 * Operations read into no IAM action here, by service: each needs a resource the request names in a
 * way this reading does not follow. They are refused for a function or a Task (an unreadable call is
 * never let through) and allowed for everyone else, as every call is.
 */
export const NOT_READ: Record<string, [RegExp, string][]> = {
  dynamodb: [
    [/^(ExecuteStatement|BatchExecuteStatement|ExecuteTransaction)$/, 'PartiQL statements are not read into IAM actions locally'],
    [/Backup|GlobalTable|Import|Export|RestoreTable|Bulk/, 'backups, global tables, imports, exports and bulk operations are not read into IAM actions locally'],
  ],
  events: [
    [/Archive|Replay|Connection|ApiDestination|Endpoint|EventSource/, 'archives, replays, connections, API destinations, endpoints and event sources are not read into IAM actions locally'],
  ],
  ssm: [
    [/^(?!.*Parameter)/, 'SSM beyond Parameter Store is not read into IAM actions locally'],
  ],
  sqs: [
    [/^(CancelMessageMoveTask)$/, 'a move task handle is not read into its queue locally'],
  ],
  textract: [
    [/Adapter|tag/i, 'Textract adapters and their tags are not read into IAM actions locally'],
  ],
};

const DYNAMODB_TRANSACT_WRITE: Record<string, string> = { ConditionCheck: 'ConditionCheckItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' };

const dynamodb = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems ?? {}) as object).map((table) => r.check('dynamodb', operation, r.table(table)));
    case 'TransactGetItems':
      return asList(body.TransactItems).map((item) => r.check('dynamodb', 'GetItem', r.table((item as { Get?: { TableName?: unknown } }).Get?.TableName)));
    case 'TransactWriteItems':
      return asList(body.TransactItems).flatMap((item) => Object.entries(item as Record<string, { TableName?: unknown }>)
        .map(([kind, action]) => (DYNAMODB_TRANSACT_WRITE[kind] ? r.check('dynamodb', DYNAMODB_TRANSACT_WRITE[kind], r.table(action.TableName)) : `unknown transaction item ${kind}`)));
    case 'Query':
    case 'Scan': {
      const index = text(body.IndexName);
      return [r.check('dynamodb', operation, index ? r.index(body.TableName, index) : r.table(body.TableName))];
    }
    case 'ExecuteStatement':
    case 'BatchExecuteStatement':
    case 'ExecuteTransaction':
      return ['PartiQL statements are not read into IAM actions locally'];
    default:
      return [r.check('dynamodb', operation, r.table(body.TableName ?? body.TableArn ?? body.ResourceArn ?? body.SourceTableArn))];
  }
};

const states = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  // `arn:...:stateMachine:name#TestCase` runs a Step Functions Local mock case of that machine.
  const machine = text(body.stateMachineArn)?.split('#')[0];
  const named = text(body.name) && r.arn('states', 'statemachine', { StateMachineName: String(body.name) });
  const alias = operation === 'CreateStateMachineAlias' && text(body.name) && asList(body.routingConfiguration)[0]
    ? `${String((asList(body.routingConfiguration)[0] as { stateMachineVersionArn?: unknown }).stateMachineVersionArn).replace(/:\d+$/, '')}:${String(body.name)}` : undefined;
  const activity = operation === 'CreateActivity' && text(body.name) ? r.arn('states', 'activity', { ActivityName: String(body.name) }) : undefined;
  const resource = machine ?? text(body.executionArn) ?? text(body.activityArn) ?? text(body.mapRunArn) ?? text(body.resourceArn) ?? text(body.stateMachineAliasArn) ?? text(body.stateMachineVersionArn)
    ?? alias ?? activity ?? (operation === 'CreateStateMachine' ? named : undefined);
  return [r.check('states', operation, resource)];
};

const events = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  switch (operation) {
    case 'PutEvents':
      return [...new Set(asList(body.Entries).map((entry) => r.bus((entry as { EventBusName?: unknown }).EventBusName)))]
        .map((bus) => r.check('events', 'PutEvents', bus));
    case 'PutRule':
    case 'DeleteRule':
    case 'DescribeRule':
    case 'EnableRule':
    case 'DisableRule':
    case 'PutTargets':
    case 'RemoveTargets':
    case 'ListTargetsByRule':
      return [r.check('events', operation, r.rule(body.Name ?? body.Rule, body.EventBusName))];
    case 'CreateEventBus':
    case 'DeleteEventBus':
    case 'DescribeEventBus':
    case 'UpdateEventBus':
      return [r.check('events', operation, r.bus(body.Name))];
    default:
      return [r.check('events', operation, text(body.ResourceARN) ?? text(body.Arn) ?? (text(body.EventBusName) && r.bus(body.EventBusName)))];
  }
};

const BATCHED: Record<string, string> = { SendMessageBatch: 'SendMessage', DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility', PublishBatch: 'Publish' };

const sqs = (r: Reader, operation: string, params: Record<string, unknown>): Checks =>
  [r.check('sqs', BATCHED[operation] ?? operation, r.queue(params.QueueUrl ?? params.QueueName ?? params.SourceArn ?? params.TaskHandle))];

const sns = (r: Reader, operation: string, params: Record<string, unknown>): Checks => {
  if (operation === 'Publish' && !params.TopicArn && !params.TargetArn && params.PhoneNumber) return [r.check('sns', 'Publish', '*')];
  // A subscription's ARN is its topic's ARN and an id.
  const subscription = text(params.SubscriptionArn)?.replace(/:[^:]+$/, '');
  return [r.check('sns', BATCHED[operation] ?? operation, r.topic(params.TopicArn ?? params.TargetArn ?? params.ResourceArn ?? subscription ?? (operation === 'CreateTopic' ? params.Name : undefined)))];
};

const ssm = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  if (Array.isArray(body.Names)) return body.Names.map((name) => r.check('ssm', operation, r.parameter(name)));
  return [r.check('ssm', operation, r.parameter(body.Name ?? body.Path ?? body.ResourceId))];
};

const secretsmanager = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  if (operation === 'BatchGetSecretValue' && Array.isArray(body.SecretIdList)) return body.SecretIdList.map((id) => r.check('secretsmanager', 'GetSecretValue', r.secret(id)));
  return [r.check('secretsmanager', operation, r.secret(body.SecretId ?? (operation === 'CreateSecret' ? body.Name : undefined)))];
};

/** Textract reads an S3 object with the caller's own permission (s3:GetObject on it), so a call naming one needs both. */
const textract = (r: Reader, operation: string, body: Record<string, unknown>): Checks => {
  const location = ((body.Document ?? body.DocumentLocation) as { S3Object?: { Bucket?: unknown; Name?: unknown; Version?: unknown } } | undefined)?.S3Object;
  const read = location && text(location.Bucket) && text(location.Name)
    ? [r.check('s3', location.Version ? 'GetObjectVersion' : 'GetObject', r.object(String(location.Bucket), String(location.Name)))]
    : [];
  return [r.check('textract', operation, undefined), ...read];
};

const LAMBDA_PATHS: [RegExp, string, string][] = [
  [/^\/2015-03-31\/functions\/([^/]+)\/invocations$/, 'POST', 'InvokeFunction'],
  [/^\/2014-11-13\/functions\/([^/]+)\/invoke-async\/?$/, 'POST', 'InvokeAsync'],
  [/^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GET', 'GetFunctionConfiguration'],
  [/^\/2015-03-31\/functions\/([^/]+)$/, 'GET', 'GetFunction'],
];

const lambda = (r: Reader, method: string, path: string, query: URLSearchParams): MappedCall => {
  if (method === 'GET' && /^\/2015-03-31\/functions\/?$/.test(path)) return done('lambda', 'ListFunctions', 'rest-json', [r.check('lambda', 'ListFunctions', undefined)]);
  for (const [pattern, verb, action] of LAMBDA_PATHS) {
    const name = method === verb ? pattern.exec(path)?.[1] : undefined;
    if (name) return done('lambda', action === 'InvokeFunction' ? 'Invoke' : action, 'rest-json', [r.check('lambda', action, r.function(decodeURIComponent(name), query.get('Qualifier')))]);
  }
  return { service: 'lambda', operation: `${method} ${path}`, protocol: 'rest-json', checks: [], unmapped: 'a Lambda API call the local stack does not read' };
};

/** S3 REST: the action by method and sub-resource, the bucket and key from the path or the host. */
const S3_OBJECT: Record<string, Record<string, string>> = {
  GET: { '': 'GetObject', tagging: 'GetObjectTagging', acl: 'GetObjectAcl', uploadId: 'ListMultipartUploadParts', attributes: 'GetObjectAttributes', retention: 'GetObjectRetention', 'legal-hold': 'GetObjectLegalHold', torrent: 'GetObjectTorrent' },
  HEAD: { '': 'GetObject' },
  PUT: { '': 'PutObject', tagging: 'PutObjectTagging', acl: 'PutObjectAcl', retention: 'PutObjectRetention', 'legal-hold': 'PutObjectLegalHold' },
  DELETE: { '': 'DeleteObject', uploadId: 'AbortMultipartUpload', tagging: 'DeleteObjectTagging' },
  POST: { uploads: 'PutObject', uploadId: 'PutObject', restore: 'RestoreObject', select: 'GetObject' },
};
/** The version-specific action, when the request names a version. */
const S3_VERSIONED: Record<string, string> = {
  GetObject: 'GetObjectVersion', GetObjectTagging: 'GetObjectVersionTagging', GetObjectAcl: 'GetObjectVersionAcl', GetObjectAttributes: 'GetObjectVersionAttributes',
  PutObjectTagging: 'PutObjectVersionTagging', PutObjectAcl: 'PutObjectVersionAcl', DeleteObject: 'DeleteObjectVersion', DeleteObjectTagging: 'DeleteObjectVersionTagging',
};
const S3_BUCKET_SUBRESOURCES: Record<string, [get: string, put: string, remove?: string]> = {
  notification: ['GetBucketNotification', 'PutBucketNotification'],
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'PutBucketTagging'],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning'],
  cors: ['GetBucketCORS', 'PutBucketCORS', 'PutBucketCORS'],
  acl: ['GetBucketAcl', 'PutBucketAcl'],
  lifecycle: ['GetLifecycleConfiguration', 'PutLifecycleConfiguration', 'PutLifecycleConfiguration'],
  encryption: ['GetEncryptionConfiguration', 'PutEncryptionConfiguration', 'PutEncryptionConfiguration'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  logging: ['GetBucketLogging', 'PutBucketLogging'],
  ownershipControls: ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'PutBucketOwnershipControls'],
  publicAccessBlock: ['GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock', 'PutBucketPublicAccessBlock'],
  'object-lock': ['GetBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration'],
  accelerate: ['GetAccelerateConfiguration', 'PutAccelerateConfiguration'],
  requestPayment: ['GetBucketRequestPayment', 'PutBucketRequestPayment'],
  replication: ['GetReplicationConfiguration', 'PutReplicationConfiguration', 'PutReplicationConfiguration'],
  policyStatus: ['GetBucketPolicyStatus', 'GetBucketPolicyStatus'],
  location: ['GetBucketLocation', 'GetBucketLocation'],
  versions: ['ListBucketVersions', 'ListBucketVersions'],
  uploads: ['ListBucketMultipartUploads', 'ListBucketMultipartUploads'],
};

/** `bucket.localhost:4566`, `bucket.s3.us-east-1.amazonaws.com`: the bucket a virtual-hosted request names. */
const virtualHostBucket = (host: string): string | undefined => {
  const name = host.replace(/:\d+$/, '');
  const suffix = /\.(s3[.-][^]*amazonaws\.com|s3\.amazonaws\.com|localhost)$/.exec(name);
  return suffix && suffix.index > 0 ? name.slice(0, suffix.index) : undefined;
};

const s3 = (r: Reader, request: AwsRequest, path: string, query: URLSearchParams): MappedCall => {
  const method = request.method.toUpperCase();
  const hostBucket = virtualHostBucket(header(request.headers, 'host') ?? '');
  const segments = path.replace(/^\//, '');
  const [bucket, key] = hostBucket !== undefined ? [hostBucket, segments] : [segments.split('/')[0] ?? '', segments.split('/').slice(1).join('/')];
  const sub = [...query.keys()].find((name) => name in (key ? S3_OBJECT[method] ?? {} : S3_BUCKET_SUBRESOURCES) || name === 'delete') ?? '';
  const unmapped = (why: string): MappedCall => ({ service: 's3', operation: `${method} ${path}${sub ? `?${sub}` : ''}`, protocol: 'rest-xml', checks: [], unmapped: why });
  if (!bucket) return method === 'GET' ? done('s3', 'ListBuckets', 'rest-xml', [r.check('s3', 'ListAllMyBuckets', undefined)]) : unmapped('an S3 call on no bucket');
  if (key) {
    const plain = S3_OBJECT[method]?.[sub];
    if (!plain) return unmapped('an S3 object call the local stack does not read');
    const action = query.has('versionId') ? S3_VERSIONED[plain] ?? plain : plain;
    const checks: Checks = [r.check('s3', action, r.object(decodeURIComponent(bucket), decodeURIComponent(key)))];
    // A copy reads its source with the caller's permission too.
    const source = header(request.headers, 'x-amz-copy-source');
    if (method === 'PUT' && source) {
      const [sourcePath = '', version] = decodeURIComponent(source).split('?versionId=');
      const [sourceBucket = '', ...sourceKey] = sourcePath.replace(/^\//, '').split('/');
      checks.push(r.check('s3', version ? 'GetObjectVersion' : 'GetObject', r.object(sourceBucket, sourceKey.join('/'))));
    }
    return done('s3', action, 'rest-xml', checks);
  }
  const bucketArn = r.bucket(decodeURIComponent(bucket));
  if (method === 'POST' && sub === 'delete') {
    // DeleteObjects needs DeleteObject (or DeleteObjectVersion) on every key it names.
    const objects = [...request.body.toString('utf8').matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map(([, object = '']) => ({
      key: /<Key>([\s\S]*?)<\/Key>/.exec(object)?.[1] ?? '',
      versioned: /<VersionId>/.test(object),
    }));
    return done('s3', 'DeleteObjects', 'rest-xml', objects.map(({ key: name, versioned }) => r.check('s3', versioned ? 'DeleteObjectVersion' : 'DeleteObject', r.object(decodeURIComponent(bucket), unescapeXml(name)))));
  }
  const subresource = S3_BUCKET_SUBRESOURCES[sub];
  const action = !sub
    ? ({ GET: 'ListBucket', HEAD: 'ListBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket' } as Record<string, string>)[method]
    : method === 'GET' ? subresource?.[0] : method === 'PUT' ? subresource?.[1] : method === 'DELETE' ? subresource?.[2] : undefined;
  return action ? done('s3', action, 'rest-xml', [r.check('s3', action, bucketArn)]) : unmapped('an S3 bucket call the local stack does not read');
};

/**
 * SES v2 (REST JSON). SendEmail needs ses:SendEmail on the identity it sends from: read here as the
 * sender's domain (the identity teams verify); an address verified on its own is not told apart.
 */
const ses = (r: Reader, method: string, path: string, body: Buffer): MappedCall => {
  if (method === 'POST' && path === '/v2/email/outbound-emails') {
    const from = text(parseJson(body)?.FromEmailAddress);
    const domain = from?.replace(/^.*<([^>]+)>.*$/, '$1').split('@')[1];
    return done('ses', 'SendEmail', 'rest-json', [r.check('ses', 'SendEmail', domain && r.arn('ses', 'identity', { IdentityName: domain }))]);
  }
  return { service: 'ses', operation: `${method} ${path}`, protocol: 'rest-json', checks: [], unmapped: 'an SES call the local stack does not read' };
};

const unescapeXml = (value: string): string => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const sts = (r: Reader, operation: string, params: Record<string, unknown>): Checks =>
  // Anyone may ask who they are: GetCallerIdentity needs no permission.
  (operation === 'GetCallerIdentity' ? [] : [r.check('sts', operation, text(params.RoleArn))]);

const notRead = (service: string, operation: string): string | undefined =>
  NOT_READ[service]?.find(([pattern]) => pattern.test(operation))?.[1];

const done = (service: string, operation: string, protocol: Protocol, checks: Checks): MappedCall => {
  const declared = notRead(service, operation);
  if (declared) return { service, operation, protocol, checks: [], unmapped: declared };
  const problem = checks.find((check): check is string => typeof check === 'string');
  return problem
    ? { service, operation, protocol, checks: [], unmapped: problem }
    : { service, operation, protocol, checks: checks as Check[] };
};

const JSON_SERVICES: Record<string, (r: Reader, operation: string, body: Record<string, unknown>) => Checks> = { dynamodb, states, events, ssm, secretsmanager, textract, sqs };
const QUERY_SERVICES: Record<string, (r: Reader, operation: string, params: Record<string, unknown>) => Checks> = { sns, sqs, sts };

const parseJson = (body: Buffer): Record<string, unknown> | undefined => {
  if (body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
};

/** Form parameters of the query protocol; `Names.member.1`-style lists are not needed for any check here. */
const formParams = (body: Buffer, query: URLSearchParams): Record<string, unknown> => {
  const params: Record<string, unknown> = Object.fromEntries(query.entries());
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params[name] = value;
  return params;
};

/**
 * Reads a request into the IAM checks it needs. `where` supplies the region (when the signature
 * names none) and the account of the ARNs built.
 */
export const checksOfCall = (request: AwsRequest, data: IamData, where: Where): MappedCall => {
  const url = new URL(request.url, 'http://localhost');
  const path = url.pathname;
  const scope = credentialScope(request, url.searchParams);
  const r = new Reader(data, { ...where, region: scope.region ?? where.region });

  const target = header(request.headers, 'x-amz-target');
  if (target) {
    const [prefix = '', operation = ''] = target.split('.');
    const service = JSON_TARGETS[prefix];
    const body = parseJson(request.body);
    if (!service || !JSON_SERVICES[service]) return { service: prefix, operation, protocol: 'json', checks: [], unmapped: `no IAM reading of ${target}` };
    if (!body) return { service, operation, protocol: 'json', checks: [], unmapped: 'the body is not JSON' };
    return done(service, operation, 'json', JSON_SERVICES[service](r, operation, body));
  }
  if (LAMBDA_PATHS.some(([pattern]) => pattern.test(path)) || /^\/2015-03-31\/functions\/?$/.test(path)) return lambda(r, request.method.toUpperCase(), path, url.searchParams);
  const service = scope.service ?? (virtualHostBucket(header(request.headers, 'host') ?? '') !== undefined ? 's3' : undefined);
  const contentType = header(request.headers, 'content-type') ?? '';
  if (service && QUERY_SERVICES[service] && (contentType.includes('x-www-form-urlencoded') || url.searchParams.has('Action'))) {
    const params = formParams(request.body, url.searchParams);
    // SQS's older clients post to the queue's URL itself.
    if (service === 'sqs' && params.QueueUrl === undefined && /^\/\d{12}\/[^/]+$/.test(path)) params.QueueUrl = path;
    const operation = String(params.Action ?? '');
    return done(service, operation, 'query', QUERY_SERVICES[service](r, operation, params));
  }
  if (service === 's3') return s3(r, request, path, url.searchParams);
  if (service === 'ses') return ses(r, request.method.toUpperCase(), path, request.body);
  return { service: service ?? 'unknown', operation: `${request.method} ${path}`, protocol: 'rest-json', checks: [], unmapped: 'a call the local stack cannot tell the service of' };
};
