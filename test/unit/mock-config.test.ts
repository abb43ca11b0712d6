import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMockConfig, expandCases, MOCK_CONFIG_PATH, renderMockConfig } from '../../scripts/mock-config.js';
import { readDefinition, taskStateNames, workflows, type Workflow } from '../../scripts/workflows.js';

const RESPONSES = new Set(['Ok', 'Failed']);

describe('sparse mock cases', () => {
  it('gives every case the defaults, overridden only where the case says', () => {
    const expanded = expandCases('demo', ['Charge', 'Ship'], {
      defaults: { Charge: 'Ok', Ship: 'Ok' },
      cases: { HappyPath: null, ShipFails: { Ship: 'Failed' } },
    }, RESPONSES);

    expect(expanded).toEqual({ HappyPath: { Charge: 'Ok', Ship: 'Ok' }, ShipFails: { Charge: 'Ok', Ship: 'Failed' } });
  });

  it('refuses defaults that leave a Task unmocked, so adding a Task means adding its default', () => {
    expect(() => expandCases('demo', ['Charge', 'Ship'], { defaults: { Charge: 'Ok' }, cases: { HappyPath: null } }, RESPONSES))
      .toThrow(/defaults lack the Task state\(s\) Ship/);
  });

  it('refuses a case naming a state the definition does not have, or a response nobody defines', () => {
    const mocks = { defaults: { Charge: 'Ok' }, cases: { Typo: { Chrage: 'Ok' }, Unknown: { Charge: 'Declined' } } };

    expect(() => expandCases('demo', ['Charge'], mocks, RESPONSES)).toThrow(/case Typo: Chrage is not a Task state[\s\S]*case Unknown: Charge answers Declined, which no responses block defines/);
  });

  it('refuses two different answers under one response name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cases-'));
    const workflow = (name: string, response: unknown): Workflow => {
      mkdirSync(join(dir, name));
      const paths = { definitionPath: join(dir, name, 'definition.asl.yaml'), fragmentPath: join(dir, name, 'serverless.yml'), mockCasesPath: join(dir, name, 'mock-cases.yaml') };
      writeFileSync(paths.definitionPath, 'StartAt: Charge\nStates:\n  Charge: { Type: Task, Resource: arn, End: true }\n');
      writeFileSync(paths.mockCasesPath, JSON.stringify({ defaults: { Charge: 'Ok' }, cases: { HappyPath: null }, responses: { Ok: response } }));
      return { name, dir: join(dir, name), ...paths };
    };
    writeFileSync(join(dir, 'shared.yaml'), '{}');
    const list = [workflow('first', { 0: { Return: { a: 1 } } }), workflow('second', { 0: { Return: { a: 2 } } })];

    expect(() => buildMockConfig(list, join(dir, 'shared.yaml'))).toThrow(/second\/mock-cases.yaml: response Ok is already defined differently in .*first\/mock-cases.yaml/);
  });

  it('is what statemachines/mock-config.json holds (npm run mock-config writes it)', () => {
    expect(readFileSync(MOCK_CONFIG_PATH, 'utf8')).toBe(renderMockConfig(buildMockConfig()));
  });

  it('has a case for every workflow folder, each mocking every Task of its definition', () => {
    const config = buildMockConfig();

    for (const workflow of workflows()) {
      const [machine] = Object.entries(config.StateMachines).filter(([name]) => name.endsWith(`-${workflow.name}`));
      const cases = Object.values(machine?.[1].TestCases ?? {});
      expect(cases.length).toBeGreaterThan(0);
      for (const mocked of cases) expect(Object.keys(mocked).sort()).toEqual(taskStateNames(readDefinition(workflow)).sort());
    }
  });
});
