// Our server, built by createApp exactly as `npm start` builds it, with a private store
// (a temporary DATA_DIR, or a MongoDB database named by BENCH_MONGODB_DB), silent logs,
// no jobs, and chat and REST rate limits high enough not to be what is measured.
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { SqliteChatRepo } from '../../src/chat/chat.sqlite';
import { parseConfig } from '../../src/config';
import { openSqlite } from '../../src/db/sqlite';
import { createStore } from '../../src/db/store';
import { SqliteOrdersRepo } from '../../src/orders/orders.sqlite';
import { SqliteTopicsRepo } from '../../src/topics/topics.sqlite';
import { SqliteUsersRepo } from '../../src/users/users.sqlite';
import { serveChild } from '../lib/ipc';
import { withMemoryAppend } from './memory-chat-append';
import { profileStart, profileStop } from '../lib/profiler';
import { addOtherOrders, seedMessages, seedOrders, seedRooms, type SeedTarget } from '../seed';

const UNMEASURED_LIMITS = ['RATE_LIMIT_ORDER_CREATE', 'RATE_LIMIT_PAY', 'RATE_LIMIT_COMMENT', 'RATE_LIMIT_CALL', 'RATE_LIMIT_WRITE', 'RATE_LIMIT_READ', 'RATE_LIMIT_ANON', 'RATE_LIMIT_WEBHOOK', 'SOCKETS_PER_USER_MAX'];
const config = parseConfig({
  ...process.env,
  PORT: '0',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  RUN_JOBS: 'false',
  CHAT_RATE_PER_S: process.env.CHAT_RATE_PER_S ?? '1000000',
  // A few users send every request of a run: limits high enough not to be what is measured.
  ...Object.fromEntries(UNMEASURED_LIMITS.map((name) => [name, process.env[name] ?? '1000000000'])),
});
// Experiments only (BENCH_SQLITE_PRAGMAS="wal_autocheckpoint = 0;cache_size = -65536"):
// pragmas applied to every SQLite connection right after the store sets its own.
if (process.env.BENCH_SQLITE_PRAGMAS) {
  const extra = process.env.BENCH_SQLITE_PRAGMAS.split(';').map((x) => x.trim()).filter(Boolean);
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
    const r = pragma.call(this, source, options);
    if (/^synchronous\s*=/.test(source)) for (const x of extra) pragma.call(this, x);
    return r;
  } as typeof pragma;
}
const store = await createStore({ mongodbUri: config.MONGODB_URI, mongodbDb: process.env.BENCH_MONGODB_DB, dataDir: config.DATA_DIR });
// --store-free-chat (BENCH_CHAT_APPEND=memory): messages appended in memory, an upper bound.
if (process.env.BENCH_CHAT_APPEND === 'memory') store.chat = withMemoryAppend(store.chat);
const app = await createApp({ config, store });
await new Promise<void>((resolve, reject) => {
  app.server.once('error', reject);
  app.server.listen(0, '127.0.0.1', () => resolve());
});
const { port } = app.server.address() as AddressInfo;

/**
 * Seeding writes through the same repositories; on SQLite through a connection of its own
 * that commits each batch in one transaction (an autocommit per row would take minutes
 * for 100,000 rows), on MongoDB through the app's store.
 */
let seedDb: ReturnType<typeof openSqlite> | undefined;
function seedTarget(): SeedTarget {
  if (store.engine !== 'sqlite' || config.DATA_DIR === ':memory:') return { store, tx: (fn) => fn() };
  if (!seedDb) {
    seedDb = openSqlite(config.DATA_DIR);
    // Batches of thousands of rows in one transaction: the statement journal that the list
    // triggers (migration 8) require of each order's insert outgrows its memory buffer and
    // goes on as a temporary file, written page by page, which doubles the seeding's time.
    // Only this connection: the servers' own transactions are small.
    seedDb.pragma('temp_store = MEMORY');
  }
  const db = seedDb;
  return {
    store: { users: new SqliteUsersRepo(db), topics: new SqliteTopicsRepo(db), orders: new SqliteOrdersRepo(db), chat: new SqliteChatRepo(db) },
    async tx(fn) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const r = await fn();
        db.exec('COMMIT');
        return r;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
  };
}

serveChild(
  {
    seedRooms: (p: { rooms: number }) => seedRooms(seedTarget(), p.rooms),
    seedOrders: (p: { users: number; orders: number; focusOrders: number }) => seedOrders(seedTarget(), p),
    addOtherOrders: (p: { users: string[]; n: number }) => addOtherOrders(seedTarget(), p.users, p.n),
    seedMessages: (p: Parameters<typeof seedMessages>[1]) => seedMessages(seedTarget(), p),
    // Writes what seeding left in the WAL into the database now, rather than in the store's
    // background checkpoints during the first second measured (which then ran at a third of
    // the speed of the rest, for whichever side came first).
    settle: () => {
      if (seedDb?.open) seedDb.pragma('wal_checkpoint(TRUNCATE)');
    },
    profileStart,
    profileStop,
    gc: () => {
      globalThis.gc?.();
      globalThis.gc?.();
      return process.memoryUsage();
    },
  },
  { url: `http://127.0.0.1:${port}`, kind: 'ours', engine: store.engine },
  async () => {
    seedDb?.close();
    await app.close();
  },
);
