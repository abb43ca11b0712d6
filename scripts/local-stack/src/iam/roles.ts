import { referencedLogicalIds, type TemplateResolver } from '../template.js';
import type { SourcedStatement, Statement } from './policy.js';

/**
 * The template's IAM, as AWS would hold it once deployed: each role with its inline policies, the
 * AWS::IAM::Policy and ::ManagedPolicy resources attached to it and the AWS managed policies it
 * names; and each Lambda function's resource policy, from its AWS::Lambda::Permission resources.
 */
export interface Role {
  arn: string;
  name: string;
  statements: SourcedStatement[];
  /** What the local stack could not take in (an AWS managed policy it does not know). */
  notes: string[];
}

const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
/** The AWS managed policies Lambda roles commonly name, as AWS publishes them (all on "*"). */
const AWS_MANAGED: Record<string, string[]> = {
  AWSLambdaBasicExecutionRole: LOGS,
  AWSLambdaSQSQueueExecutionRole: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS],
  AWSLambdaDynamoDBExecutionRole: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS],
  AWSLambdaVPCAccessExecutionRole: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', ...LOGS],
  AWSXRayDaemonWriteAccess: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
};

interface PolicyDocument { Statement?: Statement | Statement[] }

const statementsOf = (document: unknown, source: string): SourcedStatement[] => {
  const statements = (document as PolicyDocument | undefined)?.Statement;
  return (Array.isArray(statements) ? statements : statements ? [statements] : [])
    .map((statement, index) => ({ statement, source: `${source}, statement ${statement.Sid ?? index + 1}` }));
};

export const rolesOfTemplate = (resolver: TemplateResolver): Map<string, Role> => {
  const roles = new Map<string, Role>();
  const byLogicalId = new Map<string, Role>();
  const byName = new Map<string, Role>();
  for (const logicalId of resolver.logicalIdsOfType('AWS::IAM::Role')) {
    const name = resolver.physicalName(logicalId);
    const role: Role = { arn: resolver.getAtt(logicalId, 'Arn'), name, statements: [], notes: [] };
    roles.set(role.arn, role);
    byLogicalId.set(logicalId, role);
    byName.set(name, role);
    let properties: Record<string, unknown>;
    try {
      properties = resolver.properties(logicalId);
    } catch (error) {
      role.notes.push(`its policies could not be resolved locally (${(error as Error).message}): nothing is allowed`);
      continue;
    }
    for (const policy of (properties.Policies as { PolicyName?: unknown; PolicyDocument?: unknown }[] | undefined) ?? []) {
      role.statements.push(...statementsOf(policy.PolicyDocument, `role ${name}, policy ${String(policy.PolicyName)}`));
    }
    const managedIds = referencedLogicalIds(resolver.resource(logicalId).Properties?.ManagedPolicyArns);
    for (const arn of (properties.ManagedPolicyArns as unknown[] | undefined) ?? []) {
      const awsManaged = /^arn:aws[^:]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(String(arn))?.[1];
      if (awsManaged && AWS_MANAGED[awsManaged]) {
        role.statements.push({ statement: { Effect: 'Allow', Action: AWS_MANAGED[awsManaged], Resource: '*' }, source: `role ${name}, AWS managed policy ${awsManaged}` });
      } else if (awsManaged) {
        role.notes.push(`AWS managed policy ${awsManaged} is not known locally: nothing it allows is allowed here`);
      }
    }
    // Policies of the template that the role names by Ref in ManagedPolicyArns are attached below.
    for (const managedId of managedIds) {
      if (resolver.resource(managedId).Type !== 'AWS::IAM::ManagedPolicy') continue;
      role.statements.push(...statementsOf(resolver.properties(managedId).PolicyDocument, `role ${name}, managed policy ${resolver.physicalName(managedId)}`));
    }
  }
  // Policies that name their roles: AWS::IAM::Policy, and ::ManagedPolicy's Roles.
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const logicalId of resolver.logicalIdsOfType(type)) {
      const raw = resolver.resource(logicalId).Properties ?? {};
      const properties = resolver.properties(logicalId);
      const attached = new Set<Role>();
      for (const id of referencedLogicalIds(raw.Roles)) if (byLogicalId.has(id)) attached.add(byLogicalId.get(id)!);
      for (const name of (properties.Roles as unknown[] | undefined) ?? []) if (byName.has(String(name))) attached.add(byName.get(String(name))!);
      const policyName = String(properties.PolicyName ?? properties.ManagedPolicyName ?? logicalId);
      for (const role of attached) role.statements.push(...statementsOf(properties.PolicyDocument, `role ${role.name}, policy ${policyName}`));
    }
  }
  return roles;
};

/** Each function's resource policy, by the function's ARN: one Allow per AWS::Lambda::Permission. */
export const lambdaResourcePolicies = (resolver: TemplateResolver): Map<string, SourcedStatement[]> => {
  const functionArns = new Map(resolver.logicalIdsOfType('AWS::Lambda::Function').map((id) => [resolver.physicalName(id), resolver.getAtt(id, 'Arn')] as const));
  const policies = new Map<string, SourcedStatement[]>();
  for (const logicalId of resolver.logicalIdsOfType('AWS::Lambda::Permission')) {
    const p = resolver.properties(logicalId);
    const named = String(p.FunctionName);
    const name = named.startsWith('arn:') ? named.split(':')[6] ?? '' : named.split(':')[0] ?? '';
    const arn = functionArns.get(name);
    if (!arn) continue;
    const qualifier = named.startsWith('arn:') ? named.split(':')[7] : named.split(':')[1];
    const principal = String(p.Principal);
    const condition: Record<string, Record<string, string>> = {};
    if (p.SourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': String(p.SourceArn) };
    if (p.SourceAccount !== undefined) condition.StringEquals = { 'aws:SourceAccount': String(p.SourceAccount) };
    const statement: Statement = {
      Sid: logicalId,
      Effect: 'Allow',
      Action: String(p.Action),
      Resource: qualifier ? `${arn}:${qualifier}` : arn,
      Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
    policies.set(arn, [...(policies.get(arn) ?? []), { statement, source: `resource policy of ${name}, AWS::Lambda::Permission ${logicalId}` }]);
  }
  return policies;
};
