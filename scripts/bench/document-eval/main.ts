import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../workflows.js';
import { describeMachine } from '../machine.js';
import { extractionSection } from './report.js';
import { defaultCacheDirectory, evaluateExtraction, misses } from './evaluate.js';

/**
 * `npm run bench:extraction`: the document extraction's accuracy on the evaluation set, alone (the
 * whole `npm run bench` takes many minutes). `--misses` lists every field that was not right;
 * `--only <prefix>` scores the documents whose id starts so (e.g. `contract-0`).
 */
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const log = (line: string) => process.stderr.write(`[extraction] ${line}\n`);

const evaluation = await evaluateExtraction({
  cacheDirectory: defaultCacheDirectory(PROJECT_ROOT),
  log,
  ...(only ? { filter: (id: string) => id.startsWith(only) } : {}),
});
const report = [`# Document extraction`, '', ...extractionSection(evaluation, describeMachine()), ''].join('\n');
process.stdout.write(report);
if (args.includes('--misses')) process.stdout.write(`\n## Misses\n\n${misses(evaluation.scores).map((line) => `- ${line}`).join('\n')}\n`);
mkdirSync(join(PROJECT_ROOT, '.local'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, '.local/extraction.md'), report);
log(`${evaluation.scores.length} documents, ${evaluation.read} read now, in ${(evaluation.ms / 1000).toFixed(1)} s; report in .local/extraction.md`);
