import type { RunningStack } from './stack.js';

/**
 * Runs a starting stack in the foreground: Ctrl-C (SIGINT), SIGTERM and SIGHUP stop all of it. A
 * stop asked for while the stack is still starting stops it as soon as it is up, rather than
 * leaving the emulator (a process group of its own) behind. With LOCAL_STACK_STOP_ON_STDIN_CLOSE=1
 * the stack also stops when whoever started it closes its stdin (a test run that ends, however it
 * ends: Ctrl-C on a test run never reaches this process group).
 */
export const runInForeground = (starting: Promise<RunningStack>, log: (line: string) => void): Promise<RunningStack> => {
  const started = starting.catch((error: Error) => {
    console.error(`[local-stack] failed to start: ${error.message}`);
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping`);
    void started.then((stack) => stack.stop()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  if (process.env.LOCAL_STACK_STOP_ON_STDIN_CLOSE === '1') {
    // Our stdout and stderr went to that process too: writing to them now fails (EPIPE), which
    // must not end this process before it has stopped the emulator.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    process.stdin.on('end', () => shutdown('parent gone (stdin closed)'));
    process.stdin.on('close', () => shutdown('parent gone (stdin closed)'));
    process.stdin.resume();
  }
  return started;
};

/** The line a parent process waits for; the endpoints follow it as JSON. */
export const READY_LINE = 'local stack ready';
export const announceReady = (stack: RunningStack): void => {
  console.log(READY_LINE);
  console.log(`local stack endpoints ${JSON.stringify({ api: stack.httpEndpoint, aws: stack.awsEndpoint })}`);
};
