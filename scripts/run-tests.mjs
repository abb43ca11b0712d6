// `npm test`: every tier, stage by stage, stopping after the first stage with a failure, then one closing line
// `tests: N passed, N failed` summed from the runners' own reports (jest's `Tests:` line, pytest's
// last line). Plain JavaScript: it runs before anything is compiled.
import { spawn } from 'node:child_process';

// Stages run one after the other; the chains of a stage run side by side (each chain's tiers in
// turn). The static checks and the unit tests share a stage with the emulator's pytest checks,
// which mostly wait on launchers: on two cores that saves most of a minute. The tiers that start a
// local stack run alone.
const STAGES = [
  [
    [['lint'], ['typecheck'], ['mock-config', '--', '--check'], ['check:template'], ['diagrams', '--', '--check'], ['test:unit']],
    [['test:emulator']],
  ],
  [[['test:workflows']]],
  [[['test:e2e']]],
  // 100 orders under injected infrastructure faults; each invariant that holds counts as a test passed.
  [[['chaos', '--', '--orders', '100']]],
  [[['test:deployed']]],
];

// Colour codes, which jest adds when it writes to a terminal.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const counted = (text) => {
  // jest: "Tests:       1 failed, 183 passed, 184 total"; pytest -q: "52 passed, 1 failed in 27.10s"
  const lines = text.split('\n').map((line) => line.replace(ANSI_COLOUR, '').trim());
  const summaries = lines.filter((line) => /^Tests:\s/.test(line) || /^=*\s*\d+ (passed|failed)\b.* in [\d.]+s/.test(line));
  const sum = (word) => summaries.reduce((total, line) => total + Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0), 0);
  // npm run chaos: "chaos: 6 invariants held, 0 violated (0 violations)"
  const chaos = lines.map((line) => /^chaos: (\d+) invariants held, (\d+) violated/.exec(line)).filter(Boolean);
  const chaosSum = (group) => chaos.reduce((total, match) => total + Number(match[group]), 0);
  return { passed: sum('passed') + chaosSum(1), failed: sum('failed') + chaosSum(2) };
};

/** Runs one tier; its output goes straight through (`live`) or is kept for later, so side-by-side chains do not interleave. */
const run = (args, live) => new Promise((done) => {
  const child = spawn('npm', ['run', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk) => { text += chunk; if (live) process.stdout.write(chunk); });
  child.stderr.on('data', (chunk) => { text += chunk; if (live) process.stderr.write(chunk); });
  child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), text }));
});

/** A chain's tiers in turn, up to the first that fails. */
const runChain = async (chain, live) => {
  const results = [];
  for (const tier of chain) {
    const result = { tier, ...(await run(tier, live)) };
    results.push(result);
    if (result.code !== 0) break;
  }
  return results;
};

let passed = 0;
let failed = 0;
for (const stage of STAGES) {
  const chains = await Promise.all(stage.map((chain, index) => runChain(chain, index === 0)));
  // The kept output of the other chains, once the stage is over.
  chains.slice(1).flat().forEach(({ text }) => process.stdout.write(text));
  const failures = [];
  for (const { tier, code, text } of chains.flat()) {
    const counts = counted(text);
    passed += counts.passed;
    failed += counts.failed;
    if (code !== 0) {
      // A tier that failed before its runner could count (lint, a stack that would not start) is one failure.
      if (counts.failed === 0) failed += 1;
      failures.push({ tier, code });
    }
  }
  if (failures.length > 0) {
    for (const { tier, code } of failures) console.log(`\nnpm run ${tier.join(' ')} failed (exit ${code})`);
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exit(failures[0].code);
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
