import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, readDefinition, workflows } from '../../scripts/workflows.js';

/**
 * The names of our typed errors are the contract with the state machines: every error a
 * definition catches or retries by a name of ours must be thrown by some class with that name.
 */
// AWS's own names: `Sandbox.Timedout` is what Lambda reports for a function that ran out of time, `Runtime.ExitError` for one whose runtime died.
const SERVICE_PREFIXES = /^(States|Lambda|Sandbox|Runtime|DynamoDB|SNS|SQS|EventBridge|StepFunctions|Textract)\./;
const SHARED_DIR = join(PROJECT_ROOT, 'functions/shared');

const errorNamesIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(errorNamesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    key === 'ErrorEquals' ? (item as string[]) : errorNamesIn(item));
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);

/** Every module of functions/shared that declares an error class, so a new one is found without being listed here. */
const modulesDeclaringErrors = sourceFiles(SHARED_DIR).filter((file) => /class \w+ extends \w*Error\b/.test(readFileSync(file, 'utf8')));

const ourErrorNames = async (): Promise<Set<string>> => {
  const names = new Set<string>();
  const modules = await Promise.all(modulesDeclaringErrors.map((file) => import(file) as Promise<Record<string, unknown>>));
  for (const candidate of modules.flatMap((module) => Object.values(module))) {
    if (typeof candidate !== 'function' || !(candidate.prototype instanceof Error)) continue;
    try {
      names.add((new (candidate as new (...args: unknown[]) => Error)([])).name);
    } catch {
      // a constructor that needs other arguments; BadRequestError names its instances itself
    }
  }
  return names;
};

describe('error names shared with the state machines', () => {
  it('finds the modules that declare our errors', () => {
    expect(modulesDeclaringErrors.map((file) => relative(SHARED_DIR, file))).toContain('errors.ts');
  });

  it.each(workflows().map((workflow) => [workflow.name, workflow] as const))('%s catches and retries only errors some class of ours throws', async (_name, workflow) => {
    const definition = readDefinition(workflow);
    const ours = await ourErrorNames();

    const names = [...new Set(errorNamesIn(definition))];
    const custom = names.filter((name) => !SERVICE_PREFIXES.test(name));

    // Every definition catches something (States.ALL at least): an empty list means the reader missed them.
    expect(names.length).toBeGreaterThan(0);
    expect(custom.filter((name) => !ours.has(name))).toEqual([]);
  });
});
