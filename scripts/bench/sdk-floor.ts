import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse } from 'yaml';
import { RUNTIME_ONLY_IAM_SERVICES, SDK_PACKAGES_BY_IAM_SERVICE } from '../packaging/iam-sdk.js';

/**
 * A function's "floor": a bundle of only the AWS SDK clients its IAM role lets it call, plus
 * Powertools Logger and middy, built with the esbuild options serverless.yml gives
 * serverless-esbuild. A handler cannot be lighter than its floor; the benchmark compares the two,
 * and the deployable-bundles test fails when a bundle carries a client its role gives no use for.
 */

/** The label of a floor's cold-start target: `placeOrder floor`. */
export const FLOOR_SUFFIX = ' floor';

/** `dynamodb:GetItem` → the document client's `GetCommand`, as our handlers call DynamoDB. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  GetItem: 'GetCommand', PutItem: 'PutCommand', UpdateItem: 'UpdateCommand', DeleteItem: 'DeleteCommand',
  Query: 'QueryCommand', Scan: 'ScanCommand', BatchGetItem: 'BatchGetCommand', BatchWriteItem: 'BatchWriteCommand',
  TransactGetItems: 'TransactGetCommand', TransactWriteItems: 'TransactWriteCommand',
};

/** IAM actions that are a permission on another operation, not an operation of their own. */
const PERMISSION_ONLY: Record<string, string> = { 's3:GetObjectVersion': 's3:GetObject' };

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
  for (const action of new Set(actions.map((granted) => PERMISSION_ONLY[granted] ?? granted))) {
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
