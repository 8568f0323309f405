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
