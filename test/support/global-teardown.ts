/** Stops the stack global-setup started: its whole process group, so nothing is left listening. */
export default async function globalTeardown(): Promise<void> {
  const pid = (globalThis as { __LOCAL_STACK_PID__?: number }).__LOCAL_STACK_PID__;
  if (!pid) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false;
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && signal(0 as unknown as NodeJS.Signals)) {
    await new Promise((done) => setTimeout(done, 100));
  }
  signal('SIGKILL');
}
