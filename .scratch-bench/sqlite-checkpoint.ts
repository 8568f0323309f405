// Checkpoints an embedded store's WAL from a worker thread. better-sqlite3 is synchronous,
// and SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages:
// that commit copies the pages back and fsyncs twice, stalling the event loop for tens of
// milliseconds (bench/: one chat append in ~50 took over 10 ms, the worst 160 ms). Here
// the web process's connection never checkpoints; a second connection on a worker thread
// does, every `everyMs`, and its fsyncs block only that thread. Durability is unchanged:
// commits are as durable as before (synchronous = NORMAL), checkpoints still fsync.
//
// A passive checkpoint never waits for writers, but under steady writes it never catches
// up either, and SQLite only rewinds the WAL once a checkpoint has caught up. So when the
// WAL passes `maxWalBytes`, the worker runs a TRUNCATE checkpoint, which makes writers wait
// while it copies the few frames the passive ones left and empties the file: a short
// pause every `maxWalBytes` of writes instead of one every 4 MB.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 2000');
const walSize = () => {
  try {
    return fs.statSync(workerData.file + '-wal').size;
  } catch {
    return 0;
  }
};
const checkpoint = () => {
  try {
    db.pragma(walSize() > workerData.maxWalBytes ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Hands `db`'s checkpoints to a worker thread; returns the function that stops it. Should
 * the worker fail, the connection goes back to checkpointing itself, so the WAL never
 * grows without bound.
 */
export function checkpointInBackground(db: Database.Database, file: string, everyMs = 250, maxWalBytes = 64 * 2 ** 20): () => void {
  const require = createRequire(import.meta.url);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { file, module: require.resolve('better-sqlite3'), everyMs, maxWalBytes } });
  } catch {
    return () => {};
  }
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const fallBack = () => {
    if (!stopped && db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  worker.unref();
  return () => {
    if (stopped) return;
    stopped = true;
    worker.postMessage('stop');
  };
}
