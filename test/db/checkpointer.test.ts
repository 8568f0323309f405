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
  const checkpointer = startCheckpointer(db, 20);
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

test('under steady writes the WAL still starts over, so it stays bounded', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite(dir);
  const checkpointer = startCheckpointer(db, 10, 200);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
  // Never idle for long: a few writes every millisecond or so, each at least one 4 KB page of WAL.
  let rows = 0;
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    for (let i = 0; i < 5; i++, rows++) insert.run(Buffer.alloc(4096, rows));
    await sleep(1);
  }
  await checkpointer.stop();
  // `log` is the WAL's length in frames since it last started over (checkpointing here changes nothing of that).
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  t.true(rows > 1000, `${rows} rows written`);
  t.true(log < rows / 2, `the WAL holds ${log} frames, not the ${rows}+ written`);
  t.is((db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n, rows);
  db.close();
});
