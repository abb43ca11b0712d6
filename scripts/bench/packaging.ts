import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How long `serverless package --stage local` takes from scratch: what `npm start` pays once
 * after a source change (with a current template it packages nothing). Packaged into a folder of
 * its own, so the local stack's `.serverless/` is untouched.
 */
export const measurePackaging = async (serviceDir: string): Promise<number> => {
  const out = mkdtempSync(join(tmpdir(), 'bench-package-'));
  const started = performance.now();
  try {
    const child = spawn(join(serviceDir, 'node_modules/.bin/serverless'), ['package', '--stage', 'local', '--package', out], {
      cwd: serviceDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`serverless package failed (exit ${code}): ${errors.trim().split('\n').at(-1) ?? ''}`);
    return performance.now() - started;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
