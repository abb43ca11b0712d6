import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `serverless package --stage <stage> --package <dir>`, leaving `.serverless/` as it was. Serverless
 * deletes the service's `.serverless/` at every package, whatever `--package` says, and that folder
 * holds the local stack's template and zips: it is set aside for the run and put back after.
 */
export const packageElsewhere = async (serviceDir: string, stage: string, outDir: string): Promise<void> => {
  const kept = join(serviceDir, '.serverless');
  const aside = join(serviceDir, `.serverless-aside-${process.pid}`);
  const hadOne = existsSync(kept);
  if (hadOne) renameSync(kept, aside);
  try {
    rmSync(outDir, { recursive: true, force: true });
    const child = spawn(join(serviceDir, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', outDir], {
      cwd: serviceDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`serverless package --stage ${stage} failed (exit ${code}):\n${output}`);
  } finally {
    rmSync(kept, { recursive: true, force: true });
    if (hadOne) renameSync(aside, kept);
  }
};
