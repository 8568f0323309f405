// Reads a process's memory and CPU from /proc (Linux), so servers are measured from
// outside without instrumenting them.
import fs from 'node:fs';
import os from 'node:os';

/** Resident set size in bytes (VmRSS), or NaN when the process is gone. */
export function rssOf(pid: number): number {
  return statusField(pid, 'VmRSS');
}

/** Peak resident set size in bytes (VmHWM: the kernel's high-water mark). */
export function peakRssOf(pid: number): number {
  return statusField(pid, 'VmHWM');
}

function statusField(pid: number, field: string): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

const TICK = 100; // USER_HZ on Linux

/** CPU time of a process and its threads in ms: user, system (kernel: syscalls, I/O) and their sum. */
export function cpuTimesOf(pid: number): { user: number; sys: number; total: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: fields start after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const user = (Number(f[11]) * 1000) / TICK;
    const sys = (Number(f[12]) * 1000) / TICK;
    return { user, sys, total: user + sys };
  } catch {
    return { user: NaN, sys: NaN, total: NaN };
  }
}

export const cpuMsOf = (pid: number) => cpuTimesOf(pid).total;

/** Measures a process's CPU use over an interval, as a percentage of one core (`.sys()`: the kernel's part). */
export function cpuMeter(pid: number) {
  const t0 = performance.now();
  const c0 = cpuTimesOf(pid);
  let last = c0;
  let lastAt = t0;
  const read = () => {
    last = cpuTimesOf(pid);
    lastAt = performance.now();
    return (100 * (last.total - c0.total)) / (lastAt - t0);
  };
  return Object.assign(read, { sys: () => (100 * (last.sys - c0.sys)) / (lastAt - t0) });
}

/** Samples RSS every `everyMs` and keeps the peak (VmHWM covers the whole life; this covers a window). */
export function rssSampler(pid: number, everyMs = 100) {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    const r = rssOf(pid);
    if (r > peak) peak = r;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const r = rssOf(pid);
      if (r > peak) peak = r;
      return peak;
    },
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    load: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** This process's CPU use since `start` (from process.cpuUsage), as % of one core. */
export function selfCpuMeter() {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(c0);
    return (100 * (d.user + d.system)) / 1000 / (performance.now() - t0);
  };
}
