import type { TemplateResolver } from 'local-stack';

/**
 * Which AWS SDK clients a function may use, from the IAM role the compiled template gives it:
 * the deployable-bundles test fails when a bundle carries a client its role has no use for, and
 * the benchmark builds each function's floor from the same answer.
 */
/** The SDK packages an IAM service prefix's actions are called with. */
export const SDK_PACKAGES_BY_IAM_SERVICE: Record<string, { packages: string[]; client: string }> = {
  dynamodb: { packages: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'], client: 'DynamoDBClient' },
  states: { packages: ['@aws-sdk/client-sfn'], client: 'SFNClient' },
  events: { packages: ['@aws-sdk/client-eventbridge'], client: 'EventBridgeClient' },
  sns: { packages: ['@aws-sdk/client-sns'], client: 'SNSClient' },
  sqs: { packages: ['@aws-sdk/client-sqs'], client: 'SQSClient' },
  lambda: { packages: ['@aws-sdk/client-lambda'], client: 'LambdaClient' },
  s3: { packages: ['@aws-sdk/client-s3'], client: 'S3Client' },
  secretsmanager: { packages: ['@aws-sdk/client-secrets-manager'], client: 'SecretsManagerClient' },
  ssm: { packages: ['@aws-sdk/client-ssm'], client: 'SSMClient' },
  textract: { packages: ['@aws-sdk/client-textract'], client: 'TextractClient' },
  ses: { packages: ['@aws-sdk/client-sesv2'], client: 'SESv2Client' },
};
/** Granted for what the Lambda runtime does itself (its logs, X-Ray's traces); no SDK client of ours calls them. */
export const RUNTIME_ONLY_IAM_SERVICES = new Set(['logs', 'xray']);

/** The actions the function's own IAM role allows, from the compiled template (`dynamodb:GetItem`, ...). */
export const allowedActions = (resolver: TemplateResolver, functionLogicalId: string): string[] => {
  const role = resolver.resource(functionLogicalId).Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const roleId = role?.['Fn::GetAtt']?.[0];
  if (!roleId) throw new Error(`${functionLogicalId} has no role of its own in the template`);
  const policies = (resolver.resource(roleId).Properties?.Policies ?? []) as { PolicyDocument: { Statement: { Effect: string; Action: string | string[] }[] } }[];
  const actions = policies.flatMap((policy) => policy.PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat());
  return [...new Set(actions)].sort();
};

/** The SDK packages those actions need; throws on a service this map does not know yet. */
export const sdkPackagesFor = (actions: string[]): string[] => {
  const packages = new Set<string>();
  for (const action of actions) {
    const service = action.split(':')[0] ?? '';
    if (RUNTIME_ONLY_IAM_SERVICES.has(service)) continue;
    const sdk = SDK_PACKAGES_BY_IAM_SERVICE[service];
    if (!sdk) throw new Error(`no SDK client known for IAM action ${action}: add its service to SDK_PACKAGES_BY_IAM_SERVICE`);
    sdk.packages.forEach((name) => packages.add(name));
  }
  return [...packages].sort();
};

/** The AWS SDK client and lib packages a bundle was built from, read from its source map's `sources`. */
export const sdkPackagesInSourceMap = (sourceMap: string): string[] => {
  const { sources } = JSON.parse(sourceMap) as { sources: string[] };
  const found = sources.map((source) => /node_modules\/(@aws-sdk\/(?:client|lib)-[a-z0-9-]+)\//.exec(source)?.[1]).filter((name): name is string => !!name);
  return [...new Set(found)].sort();
};
