import { readFileSync } from 'node:fs';

/**
 * The compiled CloudFormation template of `serverless package`, with just enough of
 * CloudFormation's intrinsic functions resolved to name every resource locally. moto's own
 * CloudFormation misreads `Fn::Sub` with a variable map, so we resolve instead of deploying.
 */
export interface Resource {
  Type: string;
  /** The name of a template condition; the resource exists only where it holds. */
  Condition?: string;
  Properties?: Record<string, unknown>;
}

export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
}

export const LOCAL_ACCOUNT = '000000000000';

export const loadTemplate = (path: string): Template => JSON.parse(readFileSync(path, 'utf8')) as Template;

/** Every logical id a value points at with `Ref`, in order. */
export const referencedLogicalIds = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(referencedLogicalIds);
  if (value === null || typeof value !== 'object') return [];
  const { Ref: ref, ...rest } = value as Record<string, unknown>;
  return [...(typeof ref === 'string' ? [ref] : []), ...Object.values(rest).flatMap(referencedLogicalIds)];
};

export class TemplateResolver {
  private readonly pseudo: Record<string, string>;
  /** ARNs only the service can give (an EventBridge connection's ends in an id it draws), once created. */
  private readonly createdArns = new Map<string, string>();

  constructor(
    private readonly template: Template,
    readonly region: string,
    readonly stackName: string,
  ) {
    this.pseudo = {
      'AWS::Region': region,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::StackName': stackName,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NoValue': '',
    };
  }

  resource(logicalId: string): Resource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`template has no resource ${logicalId}`);
    return resource;
  }

  /** The physical name a resource gets: its explicit name property, else one derived like CloudFormation's. */
  physicalName(logicalId: string): string {
    const { Type, Properties = {} } = this.resource(logicalId);
    const explicit: Record<string, string> = {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::Events::EventBus': 'Name',
      'AWS::Events::Rule': 'Name',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::S3::Bucket': 'BucketName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::Events::Connection': 'Name',
    };
    const key = explicit[Type];
    const value = key ? Properties[key] : undefined;
    return value === undefined ? `${this.stackName}-${logicalId}` : String(this.resolve(value));
  }

  ref(logicalId: string): string {
    const pseudo = this.pseudo[logicalId];
    if (pseudo !== undefined) return pseudo;
    const { Type } = this.resource(logicalId);
    switch (Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SecretsManager::Secret':
        return this.getAtt(logicalId, 'Arn');
      case 'AWS::SQS::Queue':
        return `http://sqs.${this.region}.localhost/${LOCAL_ACCOUNT}/${this.physicalName(logicalId)}`;
      default:
        return this.physicalName(logicalId);
    }
  }

  /** Records the ARN the service gave a resource whose ARN cannot be known before it exists. */
  recordArn(logicalId: string, arn: string): void {
    this.createdArns.set(logicalId, arn);
  }

  getAtt(logicalId: string, attribute: string): string {
    const { Type } = this.resource(logicalId);
    if (Type === 'AWS::Events::Connection' && (attribute === 'Arn' || attribute === 'SecretArn')) {
      const created = this.createdArns.get(logicalId);
      if (!created) throw new Error(`${logicalId}.${attribute} is known once the connection is created (its ARN ends in an id EventBridge draws)`);
      if (attribute === 'Arn') return created;
    }
    const name = this.physicalName(logicalId);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${LOCAL_ACCOUNT}:${resource}`;
    const arns: Record<string, () => string> = {
      'AWS::DynamoDB::Table': () => arn('dynamodb', `table/${name}`),
      'AWS::SNS::Topic': () => arn('sns', name),
      'AWS::SQS::Queue': () => arn('sqs', name),
      'AWS::Events::EventBus': () => arn('events', `event-bus/${name}`),
      // A rule on a bus of its own is named under the bus, as EventBridge names it.
      'AWS::Events::Rule': () => {
        const bus = String(this.resolve(this.resource(logicalId).Properties?.EventBusName ?? 'default')).replace(/^arn:.*:event-bus\//, '');
        return arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`);
      },
      'AWS::StepFunctions::StateMachine': () => arn('states', `stateMachine:${name}`),
      'AWS::Lambda::Function': () => arn('lambda', `function:${name}`),
      'AWS::Logs::LogGroup': () => arn('logs', `log-group:${name}:*`),
      'AWS::IAM::Role': () => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`,
      'AWS::S3::Bucket': () => `arn:aws:s3:::${name}`,
      // AWS appends six random characters; Secrets Manager also finds a secret by this partial ARN.
      'AWS::SecretsManager::Secret': () => arn('secretsmanager', `secret:${name}`),
    };
    if (attribute === 'Arn' || attribute === 'TopicArn') {
      const build = arns[Type];
      if (build) return build();
    }
    if (attribute === 'Name' || attribute === 'TopicName' || attribute === 'QueueName') return name;
    if (attribute === 'QueueUrl') return this.ref(logicalId);
    throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} (${Type})`);
  }

  private sub(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) return String(this.resolve(variables[name]));
      const [logicalId = '', attribute] = name.split('.');
      return attribute ? this.getAtt(logicalId, attribute) : this.ref(logicalId);
    });
  }

  /** Resolves every intrinsic function in a value, recursively. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[key, argument]] = entries as [[string, unknown]];
      switch (key) {
        case 'Ref':
          return this.ref(String(argument));
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
          return this.getAtt(String(logicalId), String(attribute));
        }
        case 'Fn::Sub':
          return Array.isArray(argument)
            ? this.sub(String(argument[0]), argument[1] as Record<string, unknown>)
            : this.sub(String(argument), {});
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, text] = argument as [string, unknown];
          return String(this.resolve(text)).split(separator);
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
          return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals': {
          const [left, right] = argument as [unknown, unknown];
          return JSON.stringify(this.resolve(left)) === JSON.stringify(this.resolve(right));
        }
        case 'Fn::Not':
          return !(this.resolve((argument as unknown[])[0]) as boolean);
        case 'Fn::And':
          return (argument as unknown[]).every((item) => this.resolve(item) === true);
        case 'Fn::Or':
          return (argument as unknown[]).some((item) => this.resolve(item) === true);
        case 'Condition':
          return this.condition(String(argument));
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }

  /** A named condition of the template, as CloudFormation evaluates it for this stage. */
  condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`template has no condition ${name}`);
    return this.resolve(definition) === true;
  }

  /** Resources of a type that exist in this stage (a false Condition means CloudFormation skips them). */
  logicalIdsOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === type && (resource.Condition === undefined || this.condition(resource.Condition)))
      .map(([logicalId]) => logicalId);
  }

  properties(logicalId: string): Record<string, unknown> {
    return this.resolve(this.resource(logicalId).Properties ?? {}) as Record<string, unknown>;
  }
}
