// `npm test`: every tier in turn, stopping at the first that fails, then one closing line
// `tests: N passed, N failed` summed from the runners' own reports (jest's `Tests:` line, pytest's
// last line). Plain JavaScript: it runs before anything is compiled.
import { spawn } from 'node:child_process';

const TIERS = [
  ['lint'],
  ['typecheck'],
  ['mock-config', '--', '--check'],
  ['check:template'],
  ['diagrams', '--', '--check'],
  ['test:unit'],
  ['test:emulator'],
  ['test:workflows'],
  ['test:e2e'],
  // 100 orders under injected infrastructure faults; each invariant that holds counts as a test passed.
  ['chaos', '--', '--orders', '100'],
  ['test:deployed'],
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

const run = (args) => new Promise((done) => {
  const child = spawn('npm', ['run', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk) => { text += chunk; process.stdout.write(chunk); });
  child.stderr.on('data', (chunk) => { text += chunk; process.stderr.write(chunk); });
  child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), text }));
});

let passed = 0;
let failed = 0;
for (const tier of TIERS) {
  const { code, text } = await run(tier);
  const counts = counted(text);
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0) {
    // A tier that failed before its runner could count (lint, a stack that would not start) is one failure.
    if (counts.failed === 0) failed += 1;
    console.log(`\nnpm run ${tier.join(' ')} failed (exit ${code})`);
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exit(code);
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
