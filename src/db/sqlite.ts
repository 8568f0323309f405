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
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // Once a checkpoint has caught up, the WAL starts over from the top and is cut back to this size.
    db.pragma('journal_size_limit = 67108864');
  }
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
const rawStatements = new WeakMap<Sqlite, Map<string, Database.Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared once: preparing costs more than
 * running a small query (BENCHMARKS.md). Callers build SQL from a few shapes (an IN list of
 * up to 100 ids, a handful of statuses), so the cache stays small; it is bounded anyway.
 */
export function prep(db: Sqlite, sql: string): Database.Statement {
  return cached(statements, db, sql, false);
}

/**
 * The same, answering rows as arrays (`raw`): better-sqlite3 makes a row object key by key,
 * which costs per column. A cache of its own, so prep() never hands out a raw one.
 */
export function prepRaw(db: Sqlite, sql: string): Database.Statement {
  return cached(rawStatements, db, sql, true);
}

function cached(cache: WeakMap<Sqlite, Map<string, Database.Statement>>, db: Sqlite, sql: string, raw: boolean): Database.Statement {
  let byText = cache.get(db);
  if (!byText) cache.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) {
    if (byText.size >= 1000) byText.clear();
    st = db.prepare(sql);
    if (raw) st.raw(true);
    byText.set(sql, st);
  }
  return st;
}

/** Runs fn in BEGIN IMMEDIATE: the write lock is taken up front, so read-then-write steps stay atomic across processes. */
export function writeTx<T>(db: Sqlite, fn: () => T): T {
  return db.transaction(fn).immediate();
}

// Row <-> value helpers: SQLite has no dates or booleans.
const toMs = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
export const fromMs = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** How a domain object's fields map to columns: dates as epoch ms, booleans as 0/1, objects as JSON text. */
interface RowShape {
  dates: readonly string[];
  booleans?: readonly string[];
  json?: readonly string[];
}

/** One converter pair per table, so each repository lists its special fields instead of rewriting the loop. */
export function rowCodec<T>(shape: RowShape) {
  const kind = new Map<string, 'date' | 'bool' | 'json'>();
  for (const f of shape.dates) kind.set(f, 'date');
  for (const f of shape.booleans ?? []) kind.set(f, 'bool');
  for (const f of shape.json ?? []) kind.set(f, 'json');
  return {
    toRow(value: Partial<T>): Record<string, unknown> {
      const r: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const t = kind.get(k);
        r[k] = t === 'date' ? toMs(v as Date | null) : t === 'bool' ? (v ? 1 : 0) : t === 'json' ? (v ? JSON.stringify(v) : null) : v;
      }
      return r;
    },
    fromRow(row: any): T {
      const o: any = { ...row };
      for (const [k, t] of kind) {
        if (!(k in row)) continue;
        o[k] = t === 'date' ? fromMs(row[k]) : t === 'bool' ? row[k] === 1 : row[k] ? JSON.parse(row[k]) : null;
      }
      return o as T;
    },
  };
}

/** `INSERT INTO table (a, b) VALUES (@a, @b)` for named parameters. */
export const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(',')}) VALUES (${columns.map((c) => '@' + c).join(',')})`;

/** A UNIQUE, PRIMARY KEY or other constraint refused the write. */
export const isConstraintViolation = (err: unknown) => (err as { code?: string })?.code?.startsWith('SQLITE_CONSTRAINT') ?? false;
