import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * `npm run check:interrupt`: proves that Ctrl-C during `npm test` leaves nothing running. Runs the
 * e2e tier in a process group of its own (as a terminal runs a foreground job), waits until its
 * local stack is up and tests run, sends SIGINT to that whole group as Ctrl-C does, then checks
 * that nothing of the run is left: no process of that group, and no process carrying the run's mark
 * in its environment (the stack's Node process and the emulator live in groups of their own).
 */
const root = resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[check:interrupt] ${line}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const processes = (): { pid: number; pgid: number; environ: string; cmdline: string }[] =>
  readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((entry) => {
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const environ = readFileSync(join('/proc', entry, 'environ'), 'utf8');
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').replaceAll('\0', ' ').trim();
      return [{ pid: Number(entry), pgid, environ, cmdline }];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });

const listening = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });

// Every process of the run inherits this mark, those in process groups of their own included.
const mark = `CHECK_INTERRUPT_RUN=${process.pid}-${Date.now()}`;
const run = spawn('npm', ['run', 'test:e2e'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHECK_INTERRUPT_RUN: mark.split('=')[1] } });
const group = run.pid!;
let output = '';
const ports = await new Promise<{ aws: number; http: number }>((found, failed) => {
  const timer = setTimeout(() => failed(new Error(`no local stack after 180 s:\n${output}`)), 180_000);
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /local stack for tests: API http:\/\/localhost:(\d+), AWS http:\/\/localhost:(\d+)/.exec(output);
    if (match) {
      clearTimeout(timer);
      found({ http: Number(match[1]), aws: Number(match[2]) });
    }
  };
  run.stdout.on('data', read);
  run.stderr.on('data', read);
  run.once('exit', (code) => failed(new Error(`the test run ended (${code}) before its stack was up:\n${output}`)));
});
log(`test run (process group ${group}) has its stack on :${ports.http} and :${ports.aws}`);
await sleep(3_000); // tests are running now
const ofRun = () => processes().filter((proc) => proc.pgid === group || proc.environ.includes(`\0${mark}\0`) || proc.environ.startsWith(`${mark}\0`));
const before = ofRun();
log(`before Ctrl-C: ${before.length} processes of the run (${[...new Set(before.map((proc) => proc.cmdline.split(' ')[0]?.split('/').at(-1)))].join(', ')})`);
if (!before.some((proc) => proc.pgid !== group && proc.environ.includes(`\0MOTO_PORT=${ports.aws}\0`))) {
  process.kill(-group, 'SIGKILL');
  log('FAIL: cannot see the stack\'s own processes (the emulator) to check them');
  process.exit(1);
}
process.kill(-group, 'SIGINT');
log('sent SIGINT to the test run\'s process group');

const deadline = Date.now() + 20_000;
let left = ofRun();
while (left.length > 0 && Date.now() < deadline) {
  await sleep(250);
  left = ofRun();
}
const open = [];
for (const port of [ports.http, ports.aws]) if (await listening(port)) open.push(port);
if (left.length > 0 || open.length > 0) {
  for (const proc of left) log(`still running: ${proc.pid} ${proc.cmdline.slice(0, 120)}`);
  if (open.length) log(`still listening: ${open.join(', ')}`);
  for (const proc of left) {
    try { process.kill(proc.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  log('FAIL: an interrupted test run left processes behind (killed now)');
  process.exit(1);
}
log('PASS: after Ctrl-C nothing of the test run is left: no process, no listening port');
