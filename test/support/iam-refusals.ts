import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * Each test fails when the test stack refused a call while it ran (LOCAL_IAM=enforce), and says
 * which: the stack's own `IAM AccessDenied` lines name the caller, the action, the resource and the
 * statement that would allow it. A grant missing from serverless.yml then fails the tests that
 * need it with the reason, not only with the status an order ended in. With the template as it
 * is, the stack refuses nothing.
 */
const log = process.env.TEST_STACK_LOG;
let offset = 0;

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

const readFrom = (path: string, start: number): string => {
  const length = sizeOf(path) - start;
  if (length <= 0) return '';
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
};

if (log) {
  beforeEach(() => {
    offset = sizeOf(log);
  });

  afterEach(() => {
    const refusals = readFrom(log, offset).split('\n').filter((line) => line.includes('IAM AccessDenied'));
    if (refusals.length > 0) {
      throw new Error(`the local stack refused ${refusals.length} call(s) while this test ran (LOCAL_IAM):\n${refusals.map((line) => line.replace(/^\[local-stack\] /, '')).join('\n')}`);
    }
  });
}
