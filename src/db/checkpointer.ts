// WAL checkpoints off the event loop: SQLite's automatic checkpoint waits for the disk inside
// whichever commit crosses the threshold, and every chat message in flight waits with it.
// The process's connection never checkpoints; a worker thread (checkpoint-worker.ts) with its
// own connection does. With several processes on one file each runs one; SQLite lets one
// checkpoint run at a time and the others skip that round. Under steady writes a PASSIVE
// checkpoint never finds the WAL idle, so `restartFrames` (64 MB of 4 KB pages by default)
// bounds it with a RESTART (BENCHMARKS.md, "Measurements behind the code").
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger';
import type { CheckpointWorkerData, CheckpointWorkerRequest } from './checkpoint-worker';
import type { Sqlite } from './sqlite';

const require = createRequire(import.meta.url);

/**
 * The worker's entry: the built dist/checkpoint-worker.js beside the bundle; from the sources
 * (tsx: npm run dev, the tests) the TypeScript compiled by esbuild into the temp folder, once
 * per content, as a worker thread has no TypeScript loader.
 */
function workerEntry(): URL {
  const built = new URL('./checkpoint-worker.js', import.meta.url);
  if (fs.existsSync(built)) return built;
  const source = fs.readFileSync(new URL('./checkpoint-worker.ts', import.meta.url), 'utf8');
  const compiled = path.join(os.tmpdir(), `checkpoint-worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  if (!fs.existsSync(compiled)) {
    const { code } = (require('esbuild') as typeof import('esbuild')).transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' });
    // Written aside and renamed: a process starting meanwhile reads a whole file.
    const partial = `${compiled}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, compiled);
  }
  return pathToFileURL(compiled);
}

interface Checkpointer {
  stop(): Promise<void>;
}

interface CheckpointerOptions {
  /** told once when the worker fails to start or dies */
  log?: Logger;
  intervalMs?: number;
  /** the WAL's length in frames past which the worker restarts it */
  restartFrames?: number;
}

/** Takes over `db`'s checkpoints; should the worker fail to start or die, `db` checkpoints for itself again. */
export function startCheckpointer(db: Sqlite, { log, intervalMs = 200, restartFrames = 16_384 }: CheckpointerOptions = {}): Checkpointer {
  const failed = (err: unknown) => log?.error({ err }, 'checkpoint worker failed; the store checkpoints in its own commits');
  const workerData: CheckpointWorkerData = { driver: require.resolve('better-sqlite3'), file: db.name, intervalMs, restartFrames, restartWaitMs: 50 };
  let worker: Worker;
  try {
    worker = new Worker(workerEntry(), { workerData });
  } catch (err) {
    failed(err);
    return { stop: async () => {} };
  }
  worker.unref(); // never what keeps a process alive
  db.pragma('wal_autocheckpoint = 0');
  // A worker reports one error at most: it exits with it.
  worker.once('error', (err) => {
    failed(err);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  // Should the worker's RESTART keep losing the race for the write lock (writers that never
  // pause), the WAL passes twice the bound and the worker asks us: our own connection then
  // restarts it between two of its transactions, waiting for the copy and one fsync.
  worker.on('message', (m: CheckpointWorkerRequest) => {
    if (m !== 'restart' || !db.open || db.inTransaction) return;
    try {
      db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // Busy with another process: the worker asks again next round.
    }
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop() {
      worker.ref(); // keeps the process up until the last round is done and the file closed
      worker.postMessage('stop'); // after an exit, a no-op
      return exited;
    },
  };
}
