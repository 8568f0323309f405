// Runs an entry point as a child process and reads its JSON log lines. Waits are on log
// lines and exit; timeouts only guard failures.
//
// The child is `node_modules/.bin/tsx <entry>`, what `npx tsx` and `npm start` end up running:
// npm and npx themselves exit at once on SIGTERM without passing it on (Heroku signals every
// process of a dyno, so there the server gets it anyway), which would leave a test watching
// the wrong process. `group: true` runs the command in its own process group so a test can
// signal all of it, as Heroku does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface Child {
  proc: ChildProcess;
  /** every JSON log line so far (non-JSON lines are kept as {raw}) */
  lines: any[];
  /** the first log line (past or future) that satisfies pred */
  waitForLog(pred: (line: any) => boolean, guardMs?: number): Promise<any>;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** resolves when every process holding the output pipes has exited */
  closed: Promise<void>;
  /** sends a signal to the child, or to its whole process group when spawned with `group` */
  signal(sig: NodeJS.Signals): void;
  output(): string;
}

export function spawnEntry(entry: string, env: Record<string, string>, opts: { command?: string[]; group?: boolean } = {}): Child {
  const [cmd, ...args] = opts.command ?? [TSX, entry];
  const proc = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: !!opts.group });
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
  const closed = new Promise<void>((resolve) => proc.stdout!.once('close', () => resolve()));
  return {
    proc,
    lines,
    exited,
    closed,
    signal(sig) {
      if (opts.group) process.kill(-proc.pid!, sig);
      else proc.kill(sig);
    },
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

/** Resolves with `p`'s value, or rejects when it has not settled after guardMs (a failure guard). */
export function within<T>(p: Promise<T>, guardMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${guardMs} ms`)), guardMs);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
