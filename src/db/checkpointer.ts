// WAL checkpoints off the event loop: SQLite's automatic checkpoint waits for the disk inside
// whichever commit crosses the threshold, and every chat message in flight waits with it.
// The process's connection never checkpoints; a worker thread (checkpoint-worker.ts) with its
// own connection does. With several processes on one file each runs one; SQLite lets one
// checkpoint run at a time and the others skip that round. Under steady writes a PASSIVE
// checkpoint never finds the WAL idle, so `restartFrames` (64 MB of 4 KB pages by default)
// bounds it with a RESTART (BENCHMARKS.md, "Measurements behind the code").
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger';
import type { CheckpointWorkerData, CheckpointWorkerRequest } from './checkpoint-worker';
import type { Sqlite } from './sqlite';

/**
 * The worker's entry: the built dist/checkpoint-worker.js beside the bundle, or under tsx
 * (no built file beside this source) a shim that loads the TypeScript source through tsx.
 */
function workerEntry(): URL {
  const built = new URL('./checkpoint-worker.js', import.meta.url);
  return fs.existsSync(built) ? built : new URL('./checkpoint-worker.dev.mjs', import.meta.url);
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
  const workerData: CheckpointWorkerData = { file: db.name, intervalMs, restartFrames, restartWaitMs: 50 };
  const worker = new Worker(workerEntry(), { workerData });
  worker.unref(); // never what keeps a process alive
  db.pragma('wal_autocheckpoint = 0');
  let failed = false;
  worker.on('error', (err) => {
    if (failed) return;
    failed = true;
    log?.error({ err }, 'checkpoint worker failed; the store checkpoints in its own commits');
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
