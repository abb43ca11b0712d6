import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT, readDefinition, serviceName, STATEMACHINES_DIR, taskStateNames, workflows, type Workflow } from './workflows.js';

/**
 * `npm run mock-config` writes statemachines/mock-config.json, the Step Functions Local mock-config
 * file that the local emulator, Step Functions Local and LocalStack load (SFN_MOCK_CONFIG), from
 * each workflow's sparse statemachines/<name>/mock-cases.yaml. `-- --check` only says whether the
 * committed file is current (npm test runs it).
 *
 * A mock-cases file names each Task's usual answer once (`defaults`), then per case only what
 * differs. Answers live in `responses`, beside the case that uses them or, when several workflows
 * share one, in statemachines/mock-responses.yaml.
 */
export const MOCK_CONFIG_PATH = join(STATEMACHINES_DIR, 'mock-config.json');
export const SHARED_RESPONSES_PATH = join(STATEMACHINES_DIR, 'mock-responses.yaml');
/** The stage whose machine names the test cases are keyed by (`<machine arn>#<case>`). */
const MOCKED_STAGE = 'local';

type MockedResponse = Record<string, { Return?: unknown; Throw?: { Error: string; Cause?: string } }>;

export interface MockCases {
  /** Every Task state of the definition, with the response it gives unless a case says otherwise. */
  defaults: Record<string, string>;
  cases: Record<string, Record<string, string> | null>;
  responses?: Record<string, MockedResponse>;
}

export interface MockConfig {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, MockedResponse>;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One response name, one answer: a second, different definition under a name already taken is an error. */
const addResponses = (into: Record<string, MockedResponse>, from: Record<string, MockedResponse>, source: string, owners: Map<string, string>) => {
  for (const [name, response] of Object.entries(from)) {
    const owner = owners.get(name);
    if (owner && !sameJson(into[name], response)) throw new Error(`${source}: response ${name} is already defined differently in ${owner}`);
    into[name] = response;
    owners.set(name, owner ?? source);
  }
};

/** Expands one workflow's sparse cases, checking them against its definition. */
export const expandCases = (workflowName: string, tasks: string[], mocks: MockCases, knownResponses: Set<string>): Record<string, Record<string, string>> => {
  const where = `statemachines/${workflowName}/mock-cases.yaml`;
  const problems: string[] = [];
  const taskSet = new Set(tasks);
  const withoutDefault = tasks.filter((task) => !(task in (mocks.defaults ?? {})));
  if (withoutDefault.length > 0) problems.push(`defaults lack the Task state(s) ${withoutDefault.join(', ')}`);
  const check = (context: string, mapping: Record<string, string>) => {
    for (const [state, response] of Object.entries(mapping)) {
      if (!taskSet.has(state)) problems.push(`${context}: ${state} is not a Task state of the definition`);
      if (!knownResponses.has(response)) problems.push(`${context}: ${state} answers ${response}, which no responses block defines`);
    }
  };
  check('defaults', mocks.defaults ?? {});
  const expanded: Record<string, Record<string, string>> = {};
  for (const [name, overrides] of Object.entries(mocks.cases ?? {})) {
    check(`case ${name}`, overrides ?? {});
    expanded[name] = { ...mocks.defaults, ...overrides };
  }
  if (Object.keys(expanded).length === 0) problems.push('no cases');
  if (problems.length > 0) throw new Error(`${where}:\n  ${problems.join('\n  ')}`);
  return expanded;
};

export const buildMockConfig = (list: Workflow[] = workflows(), sharedResponsesPath = SHARED_RESPONSES_PATH): MockConfig => {
  const owners = new Map<string, string>();
  const responses: Record<string, MockedResponse> = {};
  addResponses(responses, (parse(readFileSync(sharedResponsesPath, 'utf8')) as Record<string, MockedResponse> | null) ?? {}, relative(PROJECT_ROOT, sharedResponsesPath), owners);
  const perWorkflow = list.map((workflow) => {
    const mocks = parse(readFileSync(workflow.mockCasesPath, 'utf8')) as MockCases;
    addResponses(responses, mocks.responses ?? {}, relative(PROJECT_ROOT, workflow.mockCasesPath), owners);
    return { workflow, mocks };
  });
  const known = new Set(Object.keys(responses));
  const prefix = `${serviceName()}-${MOCKED_STAGE}`;
  const stateMachines: MockConfig['StateMachines'] = {};
  for (const { workflow, mocks } of perWorkflow) {
    stateMachines[`${prefix}-${workflow.name}`] = { TestCases: expandCases(workflow.name, taskStateNames(readDefinition(workflow)), mocks, known) };
  }
  return { StateMachines: stateMachines, MockedResponses: responses };
};

export const renderMockConfig = (config: MockConfig): string => `${JSON.stringify(config, null, 2)}\n`;

const main = () => {
  const check = process.argv.includes('--check');
  const rendered = renderMockConfig(buildMockConfig());
  const target = relative(PROJECT_ROOT, MOCK_CONFIG_PATH);
  if (check) {
    let current = '';
    try {
      current = readFileSync(MOCK_CONFIG_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== rendered) {
      console.error(`${target} is stale: a mock-cases.yaml changed without regenerating it. Run: npm run mock-config`);
      process.exit(1);
    }
    console.log(`${target} is current`);
    return;
  }
  writeFileSync(MOCK_CONFIG_PATH, rendered);
  console.log(`wrote ${target}`);
};

if (import.meta.url === `file://${process.argv[1]}`) main();
