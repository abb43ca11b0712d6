import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionBundle } from '../packaging/packaged-functions.js';
import { extractEntry } from '../packaging/zip.js';

export interface ImportTarget {
  label: string;
  moduleFile: string;
  env: Record<string, string>;
}

export interface ColdStartResult {
  label: string;
  /** Time of `await import(bundle)` inside the fresh process. */
  importMs: number[];
  /** Spawn to exit of the whole process: Node's own start-up plus the import. */
  processMs: number[];
  error?: string;
}

const RESULT_PREFIX = 'BENCH_IMPORT_MS=';
const PROBE = `const started = performance.now();
await import(process.env.BENCH_MODULE_URL);
process.stdout.write('\\n${RESULT_PREFIX}' + (performance.now() - started) + '\\n');
`;
const EMPTY_HANDLER = 'export const handler = async () => ({});\n';

const activeProbes = new Set<ChildProcess>();

export const killActiveProbes = (): void => {
  for (const child of activeProbes) child.kill('SIGKILL');
};

/** Writes each bundle (and its source map, which --enable-source-maps reads) plus an empty handler into `dir`. */
export const prepareTargets = (bundles: FunctionBundle[], dir: string, region: string): ImportTarget[] => {
  const targets: ImportTarget[] = [];
  const withRegion = (environment: Record<string, string>) => ({ ...environment, AWS_REGION: region });
  for (const bundle of bundles) {
    if (!bundle.zip || !bundle.handlerEntry) continue;
    const moduleFile = join(dir, bundle.name, bundle.handlerEntry.name);
    mkdirSync(dirname(moduleFile), { recursive: true });
    writeFileSync(moduleFile, extractEntry(bundle.zip, bundle.handlerEntry));
    if (bundle.sourceMapEntry) writeFileSync(`${moduleFile}.map`, extractEntry(bundle.zip, bundle.sourceMapEntry));
    targets.push({ label: bundle.name, moduleFile, env: withRegion(bundle.environment) });
  }
  const emptyFile = join(dir, 'empty', 'handler.mjs');
  mkdirSync(dirname(emptyFile), { recursive: true });
  writeFileSync(emptyFile, EMPTY_HANDLER);
  // Same environment (NODE_OPTIONS included) as the real handlers, so only the bundle differs.
  targets.unshift({ label: 'empty handler (baseline)', moduleFile: emptyFile, env: withRegion(bundles[0]?.environment ?? {}) });
  writeFileSync(join(dir, 'probe.mjs'), PROBE);
  return targets;
};

const runProbe = (dir: string, target: ImportTarget): Promise<{ importMs: number; processMs: number }> =>
  new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(dir, 'probe.mjs')], {
      cwd: dirname(target.moduleFile),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Only what the function would have: no AWS_ENDPOINT_URL or credentials from this process.
      env: { PATH: process.env.PATH ?? '', ...target.env, BENCH_MODULE_URL: pathToFileURL(target.moduleFile).href },
    });
    activeProbes.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      activeProbes.delete(child);
      const processMs = performance.now() - started;
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`exit ${code ?? signal}: ${stderr.trim().split('\n').slice(0, 3).join(' / ') || 'no result line'}`));
        return;
      }
      resolveRun({ importMs: Number(line.slice(RESULT_PREFIX.length)), processMs });
    });
  });

/**
 * One warm-up run per target (file-system cache), then `runs` rounds. Every round visits every
 * target once, so background noise on this small machine spreads evenly instead of hitting one function.
 */
export const measureColdStarts = async (dir: string, targets: ImportTarget[], runs: number, log: (line: string) => void): Promise<ColdStartResult[]> => {
  const results = targets.map((target): ColdStartResult => ({ label: target.label, importMs: [], processMs: [] }));
  for (let round = 0; round <= runs; round += 1) {
    for (const [index, target] of targets.entries()) {
      const result = results[index]!;
      if (result.error) continue;
      try {
        const sample = await runProbe(dir, target);
        if (round === 0) continue;
        result.importMs.push(sample.importMs);
        result.processMs.push(sample.processMs);
      } catch (error) {
        result.error = (error as Error).message;
        log(`cold start of ${target.label} failed: ${result.error}`);
      }
    }
  }
  return results;
};
