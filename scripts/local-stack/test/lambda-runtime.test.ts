import { fileURLToPath } from 'node:url';
import { LambdaRuntime, MAX_ENVIRONMENTS, type LambdaFunction } from '../src/lambda-runtime.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

const counting = (name: string, timeoutSeconds = 5): LambdaFunction => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  handler: 'test/support/fixtures/counting-handler.handler',
  timeoutSeconds,
  environment: {},
  codeKey: `${name}.zip`,
  role: '',
});

const runtimeWith = (fn: LambdaFunction): LambdaRuntime => {
  const runtime = new LambdaRuntime(PACKAGE_ROOT);
  runtime.register(fn);
  return runtime;
};

const payloadOf = (result: Awaited<ReturnType<LambdaRuntime['invoke']>>) => {
  if (!result.ok) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  return result.payload as { invocationOfThisEnvironment: number };
};

describe('LambdaRuntime execution environments', () => {
  it('gives invocations that overlap an environment each, as Lambda does, so no module state is shared between them', async () => {
    const fn = counting('overlapping');
    const runtime = runtimeWith(fn);

    const [first, second] = await Promise.all([runtime.invoke(fn, { waitMs: 100 }), runtime.invoke(fn, { waitMs: 100 })]);

    expect([payloadOf(first), payloadOf(second)]).toEqual([{ invocationOfThisEnvironment: 1 }, { invocationOfThisEnvironment: 1 }]);
    expect(runtime.environmentsOf('overlapping')).toBe(2);
  });

  it('reuses an idle environment for the next invocation (a warm start)', async () => {
    const fn = counting('sequential');
    const runtime = runtimeWith(fn);

    const first = payloadOf(await runtime.invoke(fn, {}));
    const second = payloadOf(await runtime.invoke(fn, {}));

    expect([first, second]).toEqual([{ invocationOfThisEnvironment: 1 }, { invocationOfThisEnvironment: 2 }]);
    expect(runtime.environmentsOf('sequential')).toBe(1);
  });

  it(`makes at most ${MAX_ENVIRONMENTS} environments of a function: more overlapping invocations wait for one, and all are answered`, async () => {
    const fn = counting('bursting');
    const runtime = runtimeWith(fn);

    const results = await Promise.all(Array.from({ length: MAX_ENVIRONMENTS + 4 }, () => runtime.invoke(fn, { waitMs: 50 })));
    const counts = results.map((result) => payloadOf(result).invocationOfThisEnvironment);

    expect(runtime.environmentsOf('bursting')).toBe(MAX_ENVIRONMENTS);
    expect(counts.filter((count) => count === 1)).toHaveLength(MAX_ENVIRONMENTS);
    expect(counts.filter((count) => count === 2)).toHaveLength(4);
  });

  it('ends the environment of an invocation that timed out, and starts the next in a new one', async () => {
    const fn = counting('timing-out', 0.05);
    const runtime = runtimeWith(fn);

    const timedOut = await runtime.invoke(fn, { waitMs: 500 });
    const environmentsAfterTimeout = runtime.environmentsOf('timing-out');
    const next = await runtime.invoke(fn, {});

    expect(timedOut).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(environmentsAfterTimeout).toBe(0);
    expect(payloadOf(next)).toEqual({ invocationOfThisEnvironment: 1 });
  });
});
