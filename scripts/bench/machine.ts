import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  date: string;
  /** 1-minute load average at the start; others may be using this machine too. */
  loadAverage: number;
}

const cpuModelFromProc = (): string | undefined => {
  if (!existsSync('/proc/cpuinfo')) return undefined;
  const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((text) => text.startsWith('model name'));
  return line?.split(':').slice(1).join(':').trim();
};

export const describeMachine = (): Machine => ({
  cpuModel: cpuModelFromProc() ?? cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  node: process.version,
  os: `${type()} ${release()}`,
  date: new Date().toISOString(),
  loadAverage: loadavg()[0] ?? 0,
});

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); undefined elsewhere. */
export const processCpuMs = (pid: number | undefined): number | undefined => {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
};
