import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageElsewhere } from '../packaging/package-elsewhere.js';

/**
 * How long `serverless package --stage local` takes from scratch: what `npm start` pays once
 * after a source change (with a current template it packages nothing). Packaged into a folder of
 * its own; the local stack's `.serverless/` is left as it was.
 */
export const measurePackaging = async (serviceDir: string): Promise<number> => {
  const out = mkdtempSync(join(tmpdir(), 'bench-package-'));
  const started = performance.now();
  try {
    await packageElsewhere(serviceDir, 'local', out);
    return performance.now() - started;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
