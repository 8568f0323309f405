// A tiny request/response protocol over the IPC channel of a forked child, so the
// orchestrator can drive servers and load generators that live in their own processes.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Request {
  id: number;
  cmd: string;
  payload: unknown;
}
interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}
interface Ready {
  ready: true;
  info: unknown;
}

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Child<Info = unknown> {
  proc: ChildProcess;
  pid: number;
  /** what the child reported when it became ready (e.g. its URL) */
  info: Info;
  call<T = unknown>(cmd: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** asks the child to exit, kills it if it does not within a few seconds */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** extra node flags, e.g. --expose-gc, --cpu-prof */
  nodeArgs?: string[];
  cwd?: string;
  readyTimeoutMs?: number;
  /** forward the child's stdout/stderr (default: stderr only) */
  quiet?: boolean;
}

/** Forks `bench/<rel>` under tsx and waits until it sends `{ready, info}`. */
export async function spawnChild<Info = unknown>(rel: string, opts: SpawnOptions = {}): Promise<Child<Info>> {
  const file = path.join(BENCH_DIR, rel);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
  const proc = fork(file, [], {
    execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
    env,
    cwd: opts.cwd,
    stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', opts.quiet ? 'ignore' : 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${rel}: not ready within ${opts.readyTimeoutMs ?? 60_000} ms`)), opts.readyTimeoutMs ?? 60_000);
    proc.on('message', (m: Reply | Ready) => {
      if ('ready' in m) {
        clearTimeout(timer);
        resolve(m.info as Info);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (p.timer) clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${rel}: ${m.error}`));
    });
    proc.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      reject(new Error(`${rel} exited (${code ?? signal}) before it was ready`));
      for (const p of pending.values()) p.reject(new Error(`${rel} exited (${code ?? signal})`));
      pending.clear();
    });
  }).catch((err) => {
    if (!exited) proc.kill('SIGKILL');
    throw err;
  });

  return {
    proc,
    pid: proc.pid!,
    info,
    call<T>(cmd: string, payload?: unknown, timeoutMs = 600_000) {
      if (exited) return Promise.reject(new Error(`${rel} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${rel}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        proc.send({ id, cmd, payload } satisfies Request);
      });
    },
    async stop() {
      if (exited) return;
      try {
        proc.send({ id: 0, cmd: '__exit', payload: null } satisfies Request);
      } catch {}
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(t);
    },
  };
}

export type Handlers = Record<string, (payload: any) => unknown | Promise<unknown>>;

/**
 * In a child: answers the orchestrator's calls with `handlers` and reports ready.
 * `__exit` runs `onExit` (if any) and exits; so does losing the parent.
 */
export function serveChild(handlers: Handlers, info: unknown, onExit?: () => Promise<void> | void) {
  if (!process.send) throw new Error('this file is a child process of bench/run.ts');
  const exit = async () => {
    try {
      await onExit?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void exit());
  process.on('message', async (m: Request) => {
    if (m.cmd === '__exit') return void exit();
    const h = handlers[m.cmd];
    try {
      if (!h) throw new Error(`unknown command ${m.cmd}`);
      const result = await h(m.payload);
      process.send!({ id: m.id, ok: true, result } satisfies Reply);
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: (err as Error)?.stack ?? String(err) } satisfies Reply);
    }
  });
  process.send({ ready: true, info } satisfies Ready);
}
