import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AslMachine, AslState } from 'local-stack';
import { parse } from 'yaml';

/**
 * The workflows are the folders of statemachines/: each holds its definition, its Serverless
 * fragment and its mock cases. Everything that needs the list of workflows (the mock-config
 * generator, the tests, the diagrams) derives it from here, never from a second list.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STATEMACHINES_DIR = join(PROJECT_ROOT, 'statemachines');

export type { AslMachine, AslState } from 'local-stack';

export interface Workflow {
  /** The folder's name, which is also the machine's name after the stage prefix (`sfn-orders-local-<name>`). */
  name: string;
  dir: string;
  definitionPath: string;
  fragmentPath: string;
  mockCasesPath: string;
}

const FILES = { definition: 'definition.asl.yaml', fragment: 'serverless.yml', mockCases: 'mock-cases.yaml' } as const;

export const workflows = (root = STATEMACHINES_DIR): Workflow[] =>
  readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const workflow = {
        name,
        dir,
        definitionPath: join(dir, FILES.definition),
        fragmentPath: join(dir, FILES.fragment),
        mockCasesPath: join(dir, FILES.mockCases),
      };
      const missing = Object.values(FILES).filter((file) => !existsSync(join(dir, file)));
      if (missing.length > 0) throw new Error(`statemachines/${name}/ lacks ${missing.join(', ')} (see docs/add-a-workflow.md)`);
      return workflow;
    });

const readYaml = <T>(path: string): T => parse(readFileSync(path, 'utf8')) as T;

/** The definition as written, Serverless variables (`${self:…}`) and all. */
export const readDefinition = (workflow: Workflow): AslMachine => readYaml<AslMachine>(workflow.definitionPath);

export interface WorkflowFragment {
  functions?: Record<string, { handler: string; events?: unknown[] }>;
  stateMachine: { id: string; name: string; type?: 'STANDARD' | 'EXPRESS'; events?: unknown[] };
  resources?: { Resources?: Record<string, unknown>; Outputs?: Record<string, unknown> };
}

export const readFragment = (workflow: Workflow): WorkflowFragment => readYaml<WorkflowFragment>(workflow.fragmentPath);

/** Every state of a machine, branch and iterator states included, with the state that holds it (undefined at the top). */
export const walkStates = (machine: AslMachine, visit: (name: string, state: AslState, parent?: string) => void, parent?: string): void => {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state, parent);
    for (const branch of state.Branches ?? []) walkStates(branch, visit, name);
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) walkStates(nested, visit, name);
  }
};

export const taskStateNames = (machine: AslMachine): string[] => {
  const names: string[] = [];
  walkStates(machine, (name, state) => { if (state.Type === 'Task') names.push(name); });
  return names;
};

/** `service:` of the root serverless.yml: machine names are `<service>-<stage>-<workflow>`. */
export const serviceName = (root = PROJECT_ROOT): string =>
  readYaml<{ service: string }>(join(root, 'serverless.yml')).service;
