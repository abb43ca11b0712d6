import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// serverless-esbuild stages each function's zip in a directory under the OS temp dir and removes
// it without `recursive`, which fails on a non-empty directory and is swallowed: every packaging
// run left one directory per function behind (floydspace/serverless-esbuild#589).
// scripts/patches/ mends it at `npm ci` (patch-package).
const utilsPath = createRequire(import.meta.url).resolve('serverless-esbuild/dist/utils.js');

describe('packaging a function', () => {
  const work = mkdtempSync(join(tmpdir(), 'packaging-temp-files-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the zip and leaves nothing in the temp directory', () => {
    const osTemp = join(work, 'os-temp');
    mkdirSync(osTemp);
    mkdirSync(join(work, 'functions', 'demo'), { recursive: true });
    writeFileSync(join(work, 'functions', 'demo', 'handler.mjs'), 'export const handler = async () => 42;\n');
    const zipPath = join(work, 'out', 'demo.zip');
    const files = [{ rootPath: join(work, 'functions', 'demo', 'handler.mjs'), localPath: 'functions/demo/handler.mjs' }];

    // A process of its own: os.tmpdir() reads the real environment, which jest does not let a test change.
    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(utilsPath)}).zip(${JSON.stringify(zipPath)}, ${JSON.stringify(files)})`], {
      env: { ...process.env, TMPDIR: osTemp },
      encoding: 'utf8',
    });

    expect(run.stderr).toBe('');
    expect(existsSync(zipPath)).toBe(true);
    expect(readdirSync(osTemp)).toEqual([]);
  });
});
