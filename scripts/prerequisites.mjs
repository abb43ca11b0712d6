// Checks, before `npm start`, `npm test` or `npm run bench` begins, what they need that npm does not
// install, and prints the command that installs whatever is missing. `node scripts/prerequisites.mjs`
// checks Node only (enough to package); with `emulator` it checks the local stack's Python and OCR too, with
// `browser` the Chromium the browser tests drive, with `pytest` the emulator checks' runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const MOTO_VERSION = '5.2.1';
const problems = [];

// npm scripts run under the node@24 devDependency; a plain `node` 20 from the shell is not enough.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  problems.push([
    `Node ${process.versions.node} is running this; the project needs Node 24 (the Lambda runtime nodejs24.x).`,
    'Run it through npm (npm start, npm test) after `npm ci`, which installs the node@24 devDependency, or install Node 24.',
  ]);
}

const emulatorProblem = () => {
  const probe = spawnSync('python3', ['-c', [
    'import sys',
    'assert sys.version_info >= (3, 10), "Python %d.%d is too old (3.10 or later)" % sys.version_info[:2]',
    // moto_server's web app, and what its Step Functions engine parses ASL and JSONPath with.
    'import moto, flask, flask_cors, antlr4, jsonpath_ng',
    'print(moto.__version__)',
  ].join('\n')], { encoding: 'utf8' });
  const install = `python3 -m pip install 'moto[server]==${MOTO_VERSION}'`;
  if (probe.error) {
    return [
      'python3 is not on PATH; the local stack\'s emulator (moto) runs on Python 3.10 or later.',
      'Install Python:  sudo apt-get install python3 python3-venv   (Debian/Ubuntu)   or   brew install python   (macOS)',
      `then:            ${install}`,
    ];
  }
  if (probe.status !== 0) {
    const reason = probe.stderr.trim().split('\n').at(-1) ?? 'unknown error';
    return [
      `python3 cannot run the local stack's emulator: ${reason}`,
      `Install it:  ${install}`,
      'Where pip refuses (an "externally managed" system Python), use a virtual environment and keep it active:',
      `             python3 -m venv ~/.venvs/moto && . ~/.venvs/moto/bin/activate && ${install}`,
    ];
  }
  const version = probe.stdout.trim();
  if (version !== MOTO_VERSION) {
    return [
      `python3 has moto ${version}; the emulator's run-time fixes (scripts/local-stack/emulator/moto_launcher.py) are for moto ${MOTO_VERSION}.`,
      `Install it:  ${install}`,
    ];
  }
  return undefined;
};

// The local stack answers Textract by OCR (scripts/local-stack/src/textract-ocr.ts).
const ocrProblem = () => {
  const missing = ['tesseract', 'pdftoppm'].filter((tool) => spawnSync(tool, [tool === 'tesseract' ? '--version' : '-v']).error);
  if (missing.length === 0) return undefined;
  return [
    `${missing.join(' and ')} not on PATH; the local stack's Textract reads documents with them.`,
    'Install them:  sudo apt-get install -y tesseract-ocr poppler-utils   (Debian/Ubuntu)   or   brew install tesseract poppler   (macOS)',
  ];
};

if (process.argv.includes('emulator')) {
  const problem = emulatorProblem() ?? ocrProblem();
  if (problem) problems.push(problem);
}

// pytest runs the emulator's own checks (npm run test:emulator).
if (process.argv.includes('pytest') && spawnSync('python3', ['-c', 'import pytest'], { encoding: 'utf8' }).status !== 0) {
  problems.push([
    'python3 has no pytest; the emulator\'s checks (scripts/local-stack/emulator) run with it.',
    'Install it:  python3 -m pip install pytest   (into the same Python as moto)',
  ]);
}

// The same default test/e2e/approval-browser.test.ts uses.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.argv.includes('browser') && !existsSync(chromium)) {
  problems.push([
    `No Chromium at ${chromium}; the browser tests (an approver following an email link) drive it.`,
    'Install it:  sudo apt-get install -y chromium   (Debian/Ubuntu)   or   brew install --cask chromium   (macOS)',
    'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  ]);
}

if (problems.length > 0) {
  console.error('Missing prerequisites (see "Prerequisites" in README.md):');
  for (const lines of problems) console.error(`\n  ${lines.join('\n  ')}`);
  console.error('');
  process.exit(1);
}
