// The unread numbers cost what is unread, not what is stored. Two SQLite stores hold the
// same chats and cursors; in one of them the thousands of messages the reader has already
// read do not exist. unreadnum and unreadchat must run the same statements, touch the same
// rows and answer the same in both, and every statement must be an index search (no SCAN).
import test from 'ava';
import { ChatService } from '../../src/chat/chat.service';
import { SqliteChatRepo } from '../../src/chat/chat.sqlite';
import { SystemMessagesService } from '../../src/chat/system-messages.service';
import { SqliteSystemMessagesRepo } from '../../src/chat/system-messages.sqlite';
import { openSqlite, type Sqlite } from '../../src/db/sqlite';
import { newId } from '../../src/ids';
import type { OrdersService } from '../../src/orders/orders.service';
import type { Push } from '../../src/realtime/push';

const READER = newId();
const READ_ORDERS = 40;
const READ_PER_ORDER = 50;

/** Counts the statements run through a connection and the rows they return or change. */
function counted(db: Sqlite) {
  const stats = { statements: 0, rows: 0, sql: new Set<string>() };
  const wrapStatement = (stmt: any, sql: string): any => {
    const proxy: any = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        // pluck(), raw() and the like return the statement itself: keep counting through it.
        if (!['all', 'get', 'run'].includes(prop as string)) return (...args: unknown[]) => {
          const r = value.apply(target, args);
          return r === target ? proxy : r;
        };
        return (...args: unknown[]) => {
          const r = value.apply(target, args);
          stats.statements++;
          stats.sql.add(sql);
          stats.rows += prop === 'all' ? r.length : prop === 'get' ? (r ? 1 : 0) : r.changes;
          return r;
        };
      },
    });
    return proxy;
  };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), sql);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: proxy as Sqlite,
    stats,
    reset() {
      stats.statements = 0;
      stats.rows = 0;
      stats.sql.clear();
    },
  };
}

const noPush: Push = { send() {} };

/** The reader is the buyer of many fully read chats and of two with unread messages. */
async function build(withReadMessages: boolean) {
  const raw = openSqlite(':memory:');
  const c = counted(raw);
  const repo = new SqliteChatRepo(c.db);
  const orders = new Map<string, { o_id: string; userID: string; expert_id: string }>();
  const parties = (o_id: string, seller: string) => {
    orders.set(o_id, { o_id, userID: READER, expert_id: seller });
    return { o_id, buyer: READER, seller };
  };
  const say = (p: { o_id: string; buyer: string; seller: string }, from: string, content: string) =>
    repo.append(p, { msgid: newId(), from, to: from === p.buyer ? p.seller : p.buyer, type: 'text', content, client_id: null, createdAt: new Date(0) });

  for (let i = 0; i < READ_ORDERS; i++) {
    const p = parties(newId(), newId());
    for (let n = 0; n < READ_PER_ORDER; n++) await say(p, n % 2 ? p.buyer : p.seller, `read ${n}`);
    await repo.markRead(p.o_id, READER, Number.MAX_SAFE_INTEGER);
  }
  const busy = parties(newId(), newId());
  for (let n = 0; n < 300; n++) await say(busy, n % 2 ? busy.buyer : busy.seller, `old ${n}`);
  await repo.markRead(busy.o_id, READER, Number.MAX_SAFE_INTEGER);
  for (const n of [1, 2, 3]) await say(busy, busy.seller, `new ${n}`);
  const quiet = parties(newId(), newId());
  for (const n of [1, 2]) await say(quiet, quiet.seller, `hi ${n}`);

  // "Those messages don't exist": the same chats and cursors, without what the reader has read.
  if (!withReadMessages) {
    raw.exec(`DELETE FROM messages WHERE seq <= (SELECT read_seq FROM chat_members m WHERE m.o_id = messages.o_id AND m.userID = '${READER}')`);
  }
  const stored = (raw.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  const ordersService = { mustGetParties: async (o_id: string) => orders.get(o_id) } as unknown as OrdersService;
  const system = new SystemMessagesService(new SqliteSystemMessagesRepo(c.db));
  const chat = new ChatService(repo, ordersService, system, noPush);
  c.reset();
  return { raw, chat, stats: c.stats, reset: c.reset, stored };
}

const shape = (list: { o_id: string; list: { content: string; seq: number }[] }[]) => list.map((o) => o.list.map((m) => [m.seq, m.content]));

test('unreadnum and unreadchat cost the same with or without thousands of read messages', async (t) => {
  const full = await build(true);
  const lean = await build(false);
  t.true(full.stored >= READ_ORDERS * READ_PER_ORDER + 300, 'the full store holds the read messages');
  t.is(lean.stored, 5, 'the lean store holds only the unread ones');

  const run = async (s: typeof full) => {
    s.reset();
    const numbers = await s.chat.unreadNumbers(READER);
    const afterNumbers = { statements: s.stats.statements, rows: s.stats.rows };
    const sql = [...s.stats.sql];
    s.reset();
    const chat = await s.chat.unreadChat(READER, 50);
    const afterChat = { statements: s.stats.statements, rows: s.stats.rows };
    return { numbers, afterNumbers, chat, afterChat, sql: [...sql, ...s.stats.sql] };
  };
  const a = await run(full);
  const b = await run(lean);

  t.is(a.numbers.total, 5);
  t.deepEqual(
    a.numbers.list.map((x) => x.count).sort(),
    [2, 3],
  );
  t.deepEqual(
    b.numbers.list.map((x) => x.count).sort(),
    [2, 3],
  );
  t.deepEqual(shape(a.chat).sort(), shape(b.chat).sort());
  t.deepEqual(a.afterNumbers, b.afterNumbers, 'unreadnum: same statements and rows');
  t.deepEqual(a.afterNumbers, { statements: 1, rows: 2 }, 'unreadnum: one statement, a row per chat with something unread');
  t.deepEqual(a.afterChat, b.afterChat, 'unreadchat: same statements and rows');
  // 2 chats with 5 unread messages: a handful of rows, not thousands.
  t.true(a.afterChat.rows <= 20, `unreadchat touched ${a.afterChat.rows} rows`);
  t.deepEqual((await full.chat.unreadNumbers(READER)).list, [], 'unreadchat marked everything read');

  // Rows returned equal rows examined only if every statement searches an index.
  t.true(a.sql.length >= 4, 'the statements of both calls were seen');
  for (const sql of new Set(a.sql)) {
    const plan = (full.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...dummyParams(sql)) as { detail: string }[]).map((r) => r.detail).join('; ');
    t.notRegex(plan, /\bSCAN (messages|chat_members|chat_rooms|system_messages)\b/, `${sql} → ${plan}`);
    if (process.env.SHOW_PLANS) t.log(sql.replace(/\s+/g, ' '), '→', plan);
  }
});

/** Positional or named parameters with placeholder values: EXPLAIN only needs them bound. */
function dummyParams(sql: string): unknown[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]);
  if (named.length) return [Object.fromEntries(named.map((n) => [n, 0]))];
  return Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 0);
}

test('unreadnum lists every chat with something unread, newest order first, with their total', async (t) => {
  const db = openSqlite(':memory:');
  t.teardown(() => db.close());
  const repo = new SqliteChatRepo(db);
  const me = newId();
  // Order ids in no particular order (not the time order newId gives), unread counts from 0 to 12.
  const hex = () => Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  const insert = db.prepare('INSERT INTO chat_members (o_id, userID, role, read_seq, last_seq, unread) VALUES (?, ?, ?, 0, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 300; i++) {
      const o_id = hex();
      insert.run(o_id, me, i % 3 ? 'buyer' : 'seller', i % 13, i % 13);
      insert.run(o_id, newId(), i % 3 ? 'seller' : 'buyer', 5, 5);
    }
  })();
  const chat = new ChatService(repo, {} as OrdersService, new SystemMessagesService(new SqliteSystemMessagesRepo(db)), noPush);
  const numbers = await chat.unreadNumbers(me);
  t.true(numbers.list.length > 250 && numbers.list.length < 300, 'the chats with nothing unread are left out');
  const ids = numbers.list.map((x) => x.o_id);
  t.deepEqual(ids, [...ids].sort().reverse(), 'newest order first');
  t.true(numbers.list.every((x) => x.count > 0));
  t.is(numbers.total, numbers.list.reduce((n, x) => n + x.count, 0));
  t.deepEqual(await chat.unreadNumbers(newId()), { total: 0, list: [] });
});
