// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
// commit crosses the threshold and waits there for the disk (two fsyncs, 4-30 ms each on
// a virtual disk): every chat message in flight waits with it. Instead the process's
// connection never checkpoints, and a worker thread with its own connection runs PASSIVE
// checkpoints, which copy what is in the WAL into the database without blocking writers
// or readers. With several processes on one file each runs one; SQLite lets one
// checkpoint run at a time and the others simply skip that round. `restartFrames` (64 MB of
// 4 KB pages by default) bounds the WAL: under steady writes a passive checkpoint never
// finds the WAL idle, so it would never start over (2 GB in 15 s in a scratch run); past the
// bound the worker runs a RESTART checkpoint, which takes the write lock while it copies
// what is left and syncs. The store's group commits meanwhile retry from their event loop
// instead of sleeping in SQLite's busy handler, so the process keeps serving.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Sqlite } from './sqlite';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** Plain JavaScript, so the worker needs no TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const round = () => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log < workerData.restartFrames) return;
    // Long enough to start over: RESTART holds the write lock while it copies what is left
    // and syncs the file. It waits for it briefly; the store's group commits do not wait for
    // us meanwhile, they retry from their event loop (group-commit.ts).
    let r;
    db.pragma('busy_timeout = ' + workerData.restartWaitMs);
    try {
      [r] = db.pragma('wal_checkpoint(RESTART)');
    } finally {
      db.pragma('busy_timeout = 0');
    }
    if (r.busy && r.log >= 2 * workerData.restartFrames) parentPort.postMessage('restart');
  } catch {
    // Busy or closing: the next round tries again.
  }
};
const timer = setInterval(round, workerData.intervalMs);
// The only message the worker receives is "stop": a last round, then close the file.
parentPort.on('message', () => {
  clearInterval(timer);
  round();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Takes over `db`'s checkpoints; should the worker die, `db` checkpoints for itself again. */
export function startCheckpointer(db: Sqlite, intervalMs = 200, restartFrames = 16_384): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: db.name, driver, intervalMs, restartFrames, restartWaitMs: 50 } });
  worker.unref(); // never what keeps a process alive
  db.pragma('wal_autocheckpoint = 0');
  worker.on('error', () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  // Should the worker's RESTART keep losing the race for the write lock (writers that never
  // pause), the WAL passes twice the bound and the worker asks us: our own connection then
  // restarts it between two of its transactions, waiting for the copy and one fsync.
  worker.on('message', (m) => {
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
