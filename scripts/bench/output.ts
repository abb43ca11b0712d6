import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The stack runs our handlers in this process, and their JSON logs go to stdout, which must carry
 * only the report. Until `restore()`, everything written to stdout goes to `logFile` instead.
 */
export const divertStdout = (logFile: string): { restore: () => void; write: (text: string) => Promise<void> } => {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'w');
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    writeSync(fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  let restored = false;
  return {
    restore: () => {
      if (restored) return;
      restored = true;
      process.stdout.write = original;
      closeSync(fd);
    },
    write: (text: string) => new Promise<void>((done) => { original(text, () => done()); }),
  };
};

/** Things to undo, last first; safe to run twice (normal end and a signal). */
export class Cleanup {
  private readonly steps: { label: string; run: () => unknown }[] = [];

  add(label: string, run: () => unknown): void {
    this.steps.push({ label, run });
  }

  async run(log: (line: string) => void): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        log(`cleanup "${step.label}" failed: ${(error as Error).message}`);
      }
    }
  }
}
