// The checkpoint worker thread (started by checkpointer.ts): its own connection to the store's
// file runs PASSIVE checkpoints every `intervalMs`, and a RESTART once the WAL passes
// `restartFrames`. Built as dist/checkpoint-worker.js, or compiled on start when run from
// the sources (see workerEntry in checkpointer.ts).
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  /** better-sqlite3's entry as the main thread resolves it: this file may run from anywhere */
  driver: string;
  file: string;
  intervalMs: number;
  restartFrames: number;
  /** how long a RESTART waits for the write lock before the round gives up */
  restartWaitMs: number;
}

/** The worker's one request to the store's own connection: restart the WAL yourself. */
export type CheckpointWorkerRequest = 'restart';

const port = parentPort!;
const config = workerData as CheckpointWorkerData;
const Database = createRequire(import.meta.url)(config.driver) as typeof BetterSqlite3;
const db = new Database(config.file);
db.pragma('busy_timeout = 0');

function round() {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    if (log < config.restartFrames) return;
    // Long enough to start over: RESTART holds the write lock while it copies what is left
    // and syncs the file. It waits for it briefly; the store's group commits do not wait for
    // us meanwhile, they retry from their event loop (group-commit.ts).
    let r: { busy: number; log: number };
    db.pragma(`busy_timeout = ${config.restartWaitMs}`);
    try {
      [r] = db.pragma('wal_checkpoint(RESTART)') as { busy: number; log: number }[];
    } finally {
      db.pragma('busy_timeout = 0');
    }
    if (r.busy && r.log >= 2 * config.restartFrames) port.postMessage('restart' satisfies CheckpointWorkerRequest);
  } catch {
    // Busy or closing: the next round tries again.
  }
}

const timer = setInterval(round, config.intervalMs);
// The only message the worker receives is "stop": a last round, then close the file.
port.on('message', () => {
  clearInterval(timer);
  round();
  db.close();
  port.close();
});
