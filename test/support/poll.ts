/** Asks `probe` every `intervalMs` until `done` holds, and fails after `timeoutMs`: waits on readiness, never a fixed sleep. */
export const pollUntil = async <T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms (last seen: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
