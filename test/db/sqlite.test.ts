// The embedded engine: the repository contract, migrations, and several processes sharing
// one DATA_DIR (web nodes and a clock on one host).
import test from 'ava';
import Database from 'better-sqlite3';
import { SqliteChatRepo } from '../../src/chat/chat.sqlite';
import { newId } from '../../src/ids';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../../src/db/migrations';
import { migrate, openSqlite } from '../../src/db/sqlite';
import { createSqliteStore } from '../../src/db/sqlite-store';
import { SqliteTopicsRepo } from '../../src/topics/topics.sqlite';
import { SqliteUsersRepo } from '../../src/users/users.sqlite';
import { aTopic, aUser, anEntry, anOrder, SECTIONS, storeContract } from './store-contract';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-'));

storeContract('sqlite :memory:', async () => {
  const store = createSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});

// The same contract on a file in WAL mode, the way DATA_DIR is used in production.
storeContract(
  'sqlite file',
  async () => {
    const dir = tmpDir();
    const store = createSqliteStore(dir);
    return {
      store,
      cleanup: async () => {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { orders: SECTIONS.orders, ledger: SECTIONS.ledger },
);

test('migrations run once: a fresh file is at the latest version, and migrating again changes nothing', (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite(dir);
  t.is(db.pragma('user_version', { simple: true }), LATEST);
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const before = tables();
  for (const name of ['users', 'topics', 'orders', 'ledger']) t.true(before.includes(name), name);
  db.prepare("INSERT INTO users (userID, nick, name, avatar, title, phone, updatedAt) VALUES ('u', 'n', '', '', '', '', 0)").run();
  t.notThrows(() => migrate(db));
  t.notThrows(() => migrate(db));
  t.is(db.pragma('user_version', { simple: true }), LATEST);
  t.deepEqual(tables(), before);
  t.is((db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n, 1);
  db.close();
});

test('a chat written before migration 5 (the counter on the room row) goes on at the next seq', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  for (const m of MIGRATIONS.filter((x) => x.version <= 4)) db.exec(m.sql);
  db.pragma('user_version = 4');
  const [o_id, buyer, seller] = [newId(), newId(), newId()];
  db.prepare('INSERT INTO chat_rooms (o_id, buyer, seller, last_seq) VALUES (?, ?, ?, 2)').run(o_id, buyer, seller);
  db.prepare("INSERT INTO chat_members VALUES (?, ?, 'buyer', 2, 2, 0), (?, ?, 'seller', 0, 2, 2)").run(o_id, buyer, o_id, seller);
  for (const seq of [1, 2]) {
    db.prepare("INSERT INTO messages (msgid, o_id, seq, from_id, to_id, type, content, client_id, createdAt) VALUES (?, ?, ?, ?, ?, 'text', 'old', NULL, 0)").run(newId(), o_id, seq, buyer, seller);
  }
  migrate(db);
  t.is(db.pragma('user_version', { simple: true }), LATEST);
  const repo = new SqliteChatRepo(db);
  const r = await repo.append({ o_id, buyer, seller }, { msgid: newId(), from: seller, to: buyer, type: 'text', content: 'new', client_id: null, createdAt: new Date() });
  t.is(r.message.seq, 3);
  t.deepEqual(
    r.members.map((m) => [m.role, m.read_seq, m.last_seq, m.unread]),
    [
      ['buyer', 2, 3, 1],
      ['seller', 3, 3, 0],
    ],
  );
});

test('a reopened store keeps its data', async (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [u, topic, order, entry] = [aUser(), aTopic(), anOrder({ status: 'paid', payAt: new Date(5) }), anEntry()];
  const first = createSqliteStore(dir);
  await first.users.upsert(u);
  await first.topics.insert(topic);
  await first.orders.insert(order);
  await first.ledger.credit(entry);
  await first.close();

  const second = createSqliteStore(dir);
  t.teardown(() => second.close());
  t.deepEqual(await second.users.get(u.userID), u);
  t.deepEqual(await second.topics.get(topic.topic_id), topic);
  t.deepEqual(await second.orders.get(order.o_id), order);
  t.deepEqual(await second.ledger.list(entry.userID, 0, 10), [entry]);
  t.false(await second.ledger.credit({ ...entry, id: 'another' }), 'the unique key survives the reopen');
});

test('a file at an older version is brought up to date on open, keeping its rows', (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A store as the first release left it: only migration 1.
  const Database = openSqlite(':memory:').constructor as new (file: string) => ReturnType<typeof openSqlite>;
  const old = new Database(path.join(dir, 'store.sqlite'));
  old.exec(MIGRATIONS[0].sql);
  old.pragma(`user_version = ${MIGRATIONS[0].version}`);
  old.prepare("INSERT INTO users (userID, nick, name, avatar, title, phone, updatedAt) VALUES ('u1', 'old', '', '', '', '', 0)").run();
  old.close();

  const db = openSqlite(dir);
  t.is(db.pragma('user_version', { simple: true }), LATEST);
  t.is((db.prepare("SELECT nick FROM users WHERE userID = 'u1'").get() as { nick: string }).nick, 'old');
  db.close();
});

test('migration 7 clusters profiles and topics on their keys, keeping every column of every row', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  for (const m of MIGRATIONS.filter((x) => x.version <= 6)) db.exec(m.sql);
  db.pragma('user_version = 6');
  const users = [aUser(), aUser({ nick: "it's", title: '资深顾问' })];
  const topics = [aTopic({ expert_id: users[1].userID, finish_count: 3, rating_sum: 9, rating_count: 2 }), aTopic({ expert_id: users[1].userID })];
  const insertUser = db.prepare('INSERT INTO users (userID, nick, name, avatar, title, phone, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const u of users) insertUser.run(u.userID, u.nick, u.name, u.avatar, u.title, u.phone, u.updatedAt.getTime());
  const insertTopic = db.prepare('INSERT INTO topics (topic_id, expert_id, title, category, price, finish_count, rating_sum, rating_count, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const x of topics) insertTopic.run(x.topic_id, x.expert_id, x.title, x.category, x.price, x.finish_count, x.rating_sum, x.rating_count, x.createdAt.getTime());
  const rowsOf = (table: string, key: string) => db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all();
  const before = { users: rowsOf('users', 'userID'), topics: rowsOf('topics', 'topic_id') };

  migrate(db);
  t.is(db.pragma('user_version', { simple: true }), LATEST);
  t.deepEqual({ users: rowsOf('users', 'userID'), topics: rowsOf('topics', 'topic_id') }, before);
  // Clustered: no rowid, and a key lookup is the table's own primary key.
  const definition = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
  t.regex(definition('users'), /WITHOUT ROWID$/);
  t.regex(definition('topics'), /WITHOUT ROWID$/);
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail).join(' ');
  t.regex(plan('SELECT nick FROM users WHERE userID = ?'), /USING PRIMARY KEY/);
  t.regex(plan('SELECT topic_id FROM topics WHERE expert_id = ?'), /topics_expert/);
  // The repositories read what the old tables held.
  const store = { users: new SqliteUsersRepo(db), topics: new SqliteTopicsRepo(db) };
  t.deepEqual(await store.users.get(users[1].userID), users[1]);
  t.deepEqual(await store.topics.get(topics[0].topic_id), topics[0]);
  t.deepEqual((await store.topics.getBriefs(topics.map((x) => x.topic_id))).map((x) => x.topic_id).sort(), topics.map((x) => x.topic_id).sort());
});

test('migration 9 drops the list-change counters and their triggers; orders, topics and profiles are written and read as before', async (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const old = new Database(path.join(dir, 'store.sqlite'));
  for (const m of MIGRATIONS.filter((x) => x.version <= 8)) old.exec(m.sql);
  old.pragma('user_version = 8');
  old.close();
  const store = createSqliteStore(dir);
  t.teardown(() => store.close());
  const seen = new Database(path.join(dir, 'store.sqlite'), { readonly: true });
  t.teardown(() => seen.close());
  const objects = seen.prepare("SELECT type, name FROM sqlite_master WHERE type = 'trigger' OR name = 'list_versions'").all();
  t.deepEqual(objects, [], 'no trigger and no counter table left');
  // Each write a trigger fired on: it would now fail on the missing table if a trigger were left.
  const user = aUser();
  await store.users.upsert(user);
  await store.users.upsert({ ...user, nick: 'after' });
  const topic = aTopic({ expert_id: user.userID });
  await store.topics.insert(topic);
  const order = anOrder({ expert_id: user.userID, topic_id: topic.topic_id });
  await store.orders.insert(order);
  const moved = await store.orders.transition(order.o_id, ['pending'], 'confirmed', 'confirmAt', new Date(), {});
  t.is(moved.order?.status, 'confirmed');
  const page = await store.orders.list({ userID: order.userID, statuses: ['confirmed'], skip: 0, limit: 10 });
  t.deepEqual(page.map((o) => [o.o_id, o.topic?.title, o.party?.nick]), [[order.o_id, topic.title, 'after']]);
  t.is((await store.users.get(user.userID))?.nick, 'after');
});

// ---------------------------------------------------------------------------------------
// Several processes on one DATA_DIR.

interface WorkerResult {
  pid: number;
  error?: string;
  version?: number;
  tables?: string[];
  transitions?: string[];
  credits?: string[];
  called?: string[];
}

/** Starts `n` worker processes, lets them all go at once, and collects their reports. */
async function workers(n: number, args: string[]): Promise<WorkerResult[]> {
  const script = path.join(import.meta.dirname, 'fixtures', 'sqlite-worker.ts');
  const procs = Array.from({ length: n }, () => spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
  const outputs = procs.map(
    (p) =>
      new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.once('error', reject);
        p.once('close', (code) => resolve({ stdout, stderr, code }));
      }),
  );
  // Wait until every worker has loaded its modules, then release them together.
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d;
      if (seen.includes('ready\n')) (p.stdout.off('data', onData), resolve());
    };
    p.stdout.on('data', onData);
  })));
  for (const p of procs) p.stdin.end('go\n');
  return Promise.all(
    outputs.map(async (o) => {
      const { stdout, stderr, code } = await o;
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const r = JSON.parse(line) as WorkerResult;
        if (code !== 0 && !r.error) r.error = `exit ${code}: ${stderr}`;
        return r;
      } catch {
        return { pid: -1, error: `exit ${code}: ${stdout} ${stderr}` };
      }
    }),
  );
}

test('three processes opening one fresh DATA_DIR at once migrate it once', async (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const results = await workers(3, [dir, 'open']);
  for (const r of results) {
    t.is(r.error, undefined, r.error);
    t.is(r.version, LATEST);
  }
  t.deepEqual(results[0].tables, results[1].tables);
  t.deepEqual(results[0].tables, results[2].tables);
});

test('three processes racing on the same orders and ledger keys: each move and each credit happens exactly once', async (t) => {
  const dir = tmpDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const store = createSqliteStore(dir);
  const orders = Array.from({ length: 400 }, () => anOrder({ status: 'pending' }));
  for (const o of orders) await store.orders.insert(o);
  await store.close();

  const all = orders.map((o) => o.o_id);
  const results = await workers(3, [dir, 'race', all.join(',')]);
  for (const r of results) t.is(r.error, undefined, r.error);

  for (const kind of ['transitions', 'credits', 'called'] as const) {
    const won = results.flatMap((r) => r[kind] ?? []);
    t.is(won.length, all.length, `${kind}: one winner per order`);
    t.deepEqual([...new Set(won)].sort(), [...all].sort(), `${kind}: every order won once`);
  }
  // Who wins is up to the scheduler, so it is only logged.
  t.log('transitions won per process:', results.map((r) => r.transitions?.length));

  const after = createSqliteStore(dir);
  t.teardown(() => after.close());
  for (const o of orders) t.like(await after.orders.get(o.o_id), { status: 'confirmed', called: true });
  t.is(await after.ledger.balance('expert-of-the-race'), 100 * all.length);
  t.is((await after.ledger.list('expert-of-the-race', 0, 1000)).length, all.length);
});
