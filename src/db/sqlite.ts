// The embedded engine. One file under DATA_DIR in WAL mode, so several processes of one
// host (web nodes and a clock) share it: readers never block, writers queue on the
// database lock (busy_timeout) instead of failing, and every multi-step write runs in a
// BEGIN IMMEDIATE transaction so two processes cannot interleave inside it.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Sqlite = Database.Database;

export function openSqlite(dataDir: string): Sqlite {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'store.sqlite');
  }
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  migrate(db);
  return db;
}

/** Applies the migrations this file has not seen yet, under the write lock, so concurrent starters agree. */
export function migrate(db: Sqlite): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

const statements = new WeakMap<Sqlite, Map<string, Database.Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared once. Preparing costs more than
 * running a small query (bench/: 7% of the CPU of GET /rest/orders went to preparing its
 * three statements on every request). Callers build SQL from a few shapes (an IN list of
 * up to 100 ids, a handful of statuses), so the cache stays small; it is bounded anyway.
 */
export function prep(db: Sqlite, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) {
    if (byText.size >= 1000) byText.clear();
    st = db.prepare(sql);
    byText.set(sql, st);
  }
  return st;
}

/** Runs fn in BEGIN IMMEDIATE: the write lock is taken up front, so read-then-write steps stay atomic across processes. */
export function writeTx<T>(db: Sqlite, fn: () => T): T {
  return db.transaction(fn).immediate();
}

// Row <-> value helpers: SQLite has no dates or booleans.
export const toMs = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
export const fromMs = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');
