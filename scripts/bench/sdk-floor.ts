import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import type { TemplateResolver } from 'local-stack';

/**
 * A function's "floor": a bundle of only the AWS SDK clients its IAM role lets it call, plus
 * Powertools Logger and middy, built with the esbuild options serverless.yml gives
 * serverless-esbuild. A handler cannot be lighter than its floor; the benchmark compares the two,
 * and the deployable-bundles test fails when a bundle carries a client its role gives no use for.
 */

/** The label of a floor's cold-start target: `placeOrder floor`. */
export const FLOOR_SUFFIX = ' floor';

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
};
/** Granted to every function for the Lambda runtime's own log writing; no SDK client calls them. */
export const RUNTIME_ONLY_IAM_SERVICES = new Set(['logs']);

/** `dynamodb:GetItem` → the document client's `GetCommand`, as our handlers call DynamoDB. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  GetItem: 'GetCommand', PutItem: 'PutCommand', UpdateItem: 'UpdateCommand', DeleteItem: 'DeleteCommand',
  Query: 'QueryCommand', Scan: 'ScanCommand', BatchGetItem: 'BatchGetCommand', BatchWriteItem: 'BatchWriteCommand',
  TransactGetItems: 'TransactGetCommand', TransactWriteItems: 'TransactWriteCommand',
};

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

/** A handler that calls each allowed action once through its client, behind middy with the Powertools Logger. */
export const floorSource = (actions: string[]): string => {
  const imports = [
    "import middy from '@middy/core';",
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';",
  ];
  const setup = ['const logger = new Logger();'];
  const calls: string[] = [];
  const byService = new Map<string, string[]>();
  for (const action of actions) {
    const [service = '', name = ''] = action.split(':');
    if (RUNTIME_ONLY_IAM_SERVICES.has(service)) continue;
    byService.set(service, [...(byService.get(service) ?? []), name]);
  }
  for (const [service, names] of byService) {
    const sdk = SDK_PACKAGES_BY_IAM_SERVICE[service];
    if (!sdk) throw new Error(`no SDK client known for IAM service ${service}`);
    if (service === 'dynamodb') {
      const commands = names.map((name) => DOCUMENT_COMMANDS[name] ?? `${name}Command`);
      imports.push("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';");
      imports.push(`import { DynamoDBDocumentClient, ${commands.join(', ')} } from '@aws-sdk/lib-dynamodb';`);
      setup.push('const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}));');
      calls.push(...commands.map((command, index) => `dynamodb.send(new ${command}(event.${names[index]}))`));
    } else {
      const commands = names.map((name) => `${name}Command`);
      imports.push(`import { ${sdk.client}, ${commands.join(', ')} } from '${sdk.packages[0]}';`);
      setup.push(`const ${service} = new ${sdk.client}({});`);
      calls.push(...commands.map((command, index) => `${service}.send(new ${command}(event.${names[index]}))`));
    }
  }
  return [
    ...imports,
    ...setup,
    `export const handler = middy(async (event) => Promise.all([${calls.join(', ')}])).use(injectLambdaContext(logger));`,
    '',
  ].join('\n');
};

/** Options serverless-esbuild's own keys aside: the ones esbuild itself takes. */
const esbuildOptions = (projectRoot: string): BuildOptions => {
  const serverless = parse(readFileSync(join(projectRoot, 'serverless.yml'), 'utf8')) as { custom?: { esbuild?: Record<string, unknown> } };
  const { exclude: _exclude, packager: _packager, outputFileExtension: _extension, ...options } = serverless.custom?.esbuild ?? {};
  return options as BuildOptions;
};

export interface FloorBundle {
  moduleFile: string;
  size: number;
}

/** Builds the floor of one function into `dir`/`name`/handler.mjs (with its linked map, like the real bundle). */
export const buildFloor = async (projectRoot: string, dir: string, name: string, actions: string[]): Promise<FloorBundle> => {
  const outdir = join(dir, `floor-${name}`);
  mkdirSync(outdir, { recursive: true });
  const moduleFile = join(outdir, 'handler.mjs');
  await build({
    ...esbuildOptions(projectRoot),
    stdin: { contents: floorSource(actions), resolveDir: projectRoot, sourcefile: `floor-${name}.mjs`, loader: 'js' },
    outfile: moduleFile,
    logLevel: 'silent',
  });
  return { moduleFile, size: statSync(moduleFile).size };
};
