// Runs an entry point (`npx tsx src/server.ts`) as a child process, as a platform would, and
// reads its JSON log lines. Waits are on log lines and exit; timeouts only guard failures.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Child {
  proc: ChildProcess;
  /** every JSON log line so far (non-JSON lines are kept as {raw}) */
  lines: any[];
  /** the first log line (past or future) that satisfies pred */
  waitForLog(pred: (line: any) => boolean, guardMs?: number): Promise<any>;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  output(): string;
}

export function spawnEntry(entry: string, env: Record<string, string>): Child {
  const proc = spawn('npx', ['tsx', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: any[] = [];
  let text = '';
  const waiters: { pred: (l: any) => boolean; resolve: (l: any) => void }[] = [];
  let buf = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    text += chunk;
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const raw = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let line: any;
      try {
        line = JSON.parse(raw);
      } catch {
        line = { raw };
      }
      lines.push(line);
      for (const w of [...waiters]) if (w.pred(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    output: () => text,
    waitForLog(pred, guardMs = 20_000) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching log line within ${guardMs} ms; output:\n${text}`)), guardMs);
        waiters.push({ pred, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`process exited (${code}) before the log line; output:\n${text}`));
        });
      });
    },
  };
}

/** Resolves with the exit code, or rejects when the process is still running after guardMs. */
export function exitWithin(child: Child, guardMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${guardMs} ms`)), guardMs);
    void child.exited.then((code) => (clearTimeout(timer), resolve(code)));
  });
}
