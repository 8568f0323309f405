// Group commit: writes submitted in one turn share one transaction, each in its own
// savepoint; nobody hears "stored" before the commit, and a failed commit stores nothing.
import test from 'ava';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GroupCommit } from '../../src/db/group-commit';
import { openSqlite, type Sqlite } from '../../src/db/sqlite';

function twoConnections(t: { teardown(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  const db = openSqlite(dir);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  // Another process's view of the same file.
  const other = new Database(path.join(dir, 'store.sqlite'));
  t.teardown(() => {
    other.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, other, countElsewhere: () => (other.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n };
}

const insert = (db: Sqlite) => db.prepare('INSERT INTO notes (id, body) VALUES (?, ?)');
const storedIds = (db: Sqlite) => (db.prepare('SELECT id FROM notes ORDER BY id').all() as { id: number }[]).map((r) => r.id);
/** Each write's value, or its error's message. */
const outcomes = (results: PromiseSettledResult<unknown>[]) => results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message));

test('writes submitted in one turn commit together; each promise resolves only once the commit is visible', async (t) => {
  const { db, countElsewhere } = twoConnections(t);
  const ins = insert(db);
  const seenElsewhere: number[] = [];
  const group = new GroupCommit(db, (id: number) => {
    seenElsewhere.push(countElsewhere());
    ins.run(id, `note ${id}`);
    return id * 10;
  });
  const done = await Promise.all([1, 2, 3].map((id) => group.submit(id).then((v) => ({ v, visible: countElsewhere() }))));
  t.deepEqual(seenElsewhere, [0, 0, 0], 'inside the group nothing was committed yet: one transaction');
  t.deepEqual(done, [
    { v: 10, visible: 3 },
    { v: 20, visible: 3 },
    { v: 30, visible: 3 },
  ]);
  // A later turn is a new group.
  t.is(await group.submit(4), 40);
  t.is(countElsewhere(), 4);
});

test('a write that throws rolls back alone and rejects alone; the rest of its group commits', async (t) => {
  const { db, countElsewhere } = twoConnections(t);
  const ins = insert(db);
  const group = new GroupCommit(db, (id: number) => {
    ins.run(id, 'first row of the write');
    if (id === 2) throw new Error('write 2 fails after writing');
    ins.run(id + 100, 'second row of the write');
    return id;
  });
  const results = await Promise.allSettled([1, 2, 3].map((id) => group.submit(id)));
  t.deepEqual(
    outcomes(results),
    [1, 'write 2 fails after writing', 3],
  );
  t.is(countElsewhere(), 4);
  t.deepEqual(
    storedIds(db),
    [1, 3, 101, 103],
    'nothing of write 2 is left',
  );
});

test('when the write lock cannot be had, every write of the group is rejected and none is stored', async (t) => {
  const { db, other, countElsewhere } = twoConnections(t);
  db.pragma('busy_timeout = 50');
  const ins = insert(db);
  const group = new GroupCommit(db, (id: number) => ins.run(id, 'x').changes);
  other.exec('BEGIN IMMEDIATE'); // another process holds the lock longer than we wait
  const results = await Promise.allSettled([1, 2].map((id) => group.submit(id)));
  other.exec('COMMIT');
  t.deepEqual(
    results.map((r) => r.status === 'rejected' && /locked|busy/i.test(String((r.reason as Error).message))),
    [true, true],
  );
  t.is(countElsewhere(), 0);
  t.is(await group.submit(3), 1, 'the next group goes through');
});

test('a write alone in its group that throws leaves nothing behind and rejects', async (t) => {
  const { db, countElsewhere } = twoConnections(t);
  const ins = insert(db);
  const group = new GroupCommit(db, (id: number) => {
    ins.run(id, 'written before the failure');
    throw new Error(`write ${id} fails`);
  });
  await t.throwsAsync(group.submit(1), { message: 'write 1 fails' });
  t.is(countElsewhere(), 0);
  t.is((db.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n, 0);
  t.false(db.inTransaction);
});

test('waiting for another connection’s write lock does not stop the event loop; writes that arrive meanwhile join the group', async (t) => {
  const { db, other, countElsewhere } = twoConnections(t);
  const ins = insert(db);
  const seenElsewhere: number[] = [];
  const group = new GroupCommit(db, (id: number) => {
    seenElsewhere.push(countElsewhere());
    return ins.run(id, 'x').changes;
  });
  other.exec('BEGIN IMMEDIATE');
  const first = group.submit(1);
  // Only a timer on this same thread releases the lock: had the wait slept inside SQLite's
  // busy handler, the thread would be stuck in it and the write would time out (10 s).
  await new Promise((r) => setTimeout(r, 30));
  const second = group.submit(2);
  t.is(countElsewhere(), 0);
  other.exec('COMMIT');
  t.deepEqual(await Promise.all([first, second]), [1, 1]);
  t.deepEqual(seenElsewhere, [0, 0], 'both writes in the one transaction taken once the lock was free');
  t.is(countElsewhere(), 2);
  t.is(db.pragma('busy_timeout', { simple: true }), 10_000, 'the connection waits as before for its other writes');
});

test('inside a transaction a caller holds open across turns, the writes join it: stored when it commits, one failing write rolled back alone', async (t) => {
  const { db, countElsewhere } = twoConnections(t);
  const ins = insert(db);
  const group = new GroupCommit(db, (id: number) => {
    ins.run(id, 'x');
    if (id === 2) throw new Error('write 2 fails');
    return id;
  });
  db.exec('BEGIN IMMEDIATE');
  const results = await Promise.allSettled([1, 2, 3].map((id) => group.submit(id)));
  t.deepEqual(
    outcomes(results),
    [1, 'write 2 fails', 3],
  );
  t.true(db.inTransaction, 'the caller’s transaction is still open');
  t.is(countElsewhere(), 0, 'nothing is visible before the caller commits');
  db.exec('COMMIT');
  t.deepEqual(
    storedIds(db),
    [1, 3],
  );
});
