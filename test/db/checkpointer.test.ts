// Checkpoints run in a worker thread: the store's own connection never checkpoints (its
// commits never wait for the disk), yet what is written reaches the database file.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCheckpointer } from '../../src/db/checkpointer';
import { openSqlite } from '../../src/db/sqlite';

test('a file store hands its checkpoints to the worker, which copies the WAL into the database', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite(dir);
  const file = path.join(dir, 'store.sqlite');
  const checkpointer = startCheckpointer(db, { intervalMs: 20 });
  t.is(db.pragma('wal_autocheckpoint', { simple: true }), 0, 'the connection no longer checkpoints in its commits');

  const before = fs.statSync(file).size;
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
  for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(4096, i));
  // Eventually, not within a deadline we assert on: the worker runs every 20 ms here.
  let grown = false;
  for (let i = 0; i < 250 && !grown; i++) {
    await sleep(20);
    grown = fs.statSync(file).size > before + 200 * 4096;
  }
  t.true(grown, 'the rows reached the database file');

  await checkpointer.stop();
  await checkpointer.stop(); // a second stop is harmless
  t.is((db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n, 200);
  db.close();
});

/**
 * The WAL file's header: `restarts` is its checkpoint sequence number, which SQLite raises each
 * time the WAL starts over from the top once a checkpoint has copied all of it.
 */
function walHeader(dbFile: string) {
  const fd = fs.openSync(`${dbFile}-wal`, 'r');
  try {
    const h = Buffer.alloc(32);
    fs.readSync(fd, h, 0, 32, 0);
    return { restarts: h.readUInt32BE(12) };
  } finally {
    fs.closeSync(fd);
  }
}

test('under steady writes the WAL still starts over, so it stays bounded', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite(dir);
  const file = path.join(dir, 'store.sqlite');
  const checkpointer = startCheckpointer(db, { intervalMs: 10, restartFrames: 100 });
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
  const start = walHeader(file).restarts;
  // Never idle: a few commits (each at least one page of WAL) every turn of the event loop,
  // until the WAL has started over twice. The cap is a failure guard on work, not on time:
  // without checkpoints the WAL would hold every one of these commits.
  const MAX_COMMITS = 20_000;
  let commits = 0;
  while (walHeader(file).restarts < start + 2 && commits < MAX_COMMITS) {
    for (let i = 0; i < 5; i++, commits++) insert.run(Buffer.alloc(1024, commits));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await checkpointer.stop();
  const restarts = walHeader(file).restarts - start;
  t.true(restarts >= 2, `the WAL started over ${restarts} times in ${commits} commits`);
  // `log` is the WAL's length in frames since it last started over (checkpointing here changes nothing of that).
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  t.true(log < commits, `the WAL holds ${log} frames, not one per each of the ${commits} commits`);
  t.is((db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n, commits);
  db.close();
});
