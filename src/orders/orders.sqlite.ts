import { LIST_CACHE_MB } from '../../config/defaults';
import { BoundedMap } from '../bounded-map';
import { fromMs, insertSql, placeholders, prep, prepRaw, rowCodec, type Sqlite } from '../db/sqlite';
import type { Order, OrderParties, OrderPatch, OrderStatus } from './order.types';
import { DETAIL_JSON_SQL, LIST_JSON_SQL } from './order-json.sql';
import { ListPageCache } from './list-page-cache';
import type { ListViewer } from './order.view';
import type { AdminOrderFilter, CommentListFilter, OrderListFilter, OrderListRow, OrdersRepo, TransitionResult } from './orders.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'statusAt', 'confirmAt', 'rejectAt', 'payAt', 'finishAt', 'completeAt', 'cancelAt', 'commentAt', 'settledAt'] as const;
const COLUMNS = ['o_id', 'userID', 'expert_id', 'topic_id', 'question', 'self_desc', 'status', 'price', 'type', 'comment', 'rating', 'called', ...DATE_FIELDS, 'reason', 'canceledBy', 'appeal', 'appealed', 'client', 'platform', 'channel'];

const codec = rowCodec<Order>({ dates: DATE_FIELDS, booleans: ['called'], json: ['appeal'] });

/**
 * Reads name their columns and take raw (array) rows, decoded here rather than by
 * codec.fromRow. better-sqlite3 builds a row object key by key, and the codec then copied
 * it, walked its field kinds with `in` checks and needed a `delete` of `appealed` that left
 * a slow dictionary object for the views: together 24 µs of an order read against 10
 * (bench/). Decoded exactly as the codec does: epoch ms to Date, 0/1 to boolean, JSON text
 * to an object. `appealed` is a column for the indexes, derived from `appeal`; the order
 * does not carry it, so it is not read.
 */
const FIELDS = COLUMNS.filter((c) => c !== 'appealed');
const ORDER_COLUMNS = FIELDS.join(', ');
const KIND = FIELDS.map((c) => ((DATE_FIELDS as readonly string[]).includes(c) ? 'date' : c === 'called' ? 'bool' : c === 'appeal' ? 'json' : 'plain'));
function fromRow(r: unknown[]): Order {
  const o: any = {};
  for (let i = 0; i < FIELDS.length; i++) {
    const v = r[i];
    const k = KIND[i];
    o[FIELDS[i]] = k === 'plain' ? v : k === 'date' ? fromMs(v) : k === 'bool' ? v === 1 : v ? JSON.parse(v as string) : null;
  }
  if (o.appeal) o.appeal.at = new Date(o.appeal.at);
  return o as Order;
}
const fromRows = (rows: unknown[]) => (rows as unknown[][]).map(fromRow);

/**
 * An order list's page in one statement: the page read from the list's covering index
 * (migration 6) with its topics and the other parties joined to it. As three statements
 * (the page, then topics and profiles by IN lists) a page of ten cost 115 µs in a timing
 * loop, against 50 joined. Only the listed columns are read: 31 columns of 10 rows cost
 * 190 µs, 7 under 50 (bench/). Every column read here is one whose change migration 8's
 * triggers count: a page is kept until one of them changes (list-page-cache.ts), so a column
 * added here needs its trigger too.
 */
const LIST_SQL = (by: 'userID' | 'expert_id', statuses: number, limit: number) => {
  const other = by === 'userID' ? 'expert_id' : 'userID';
  // The limit is part of the text, not a parameter: with a bound LIMIT the same query took
  // twice as long (76 against 40 µs), as SQLite plans a literal one as a small top-N. It is
  // a validated integer of a few distinct values (1..PAGE.maxLimit), so the statements cached
  // per text stay few.
  return `SELECT o.o_id, o.userID, o.expert_id, o.topic_id, o.status, o.rating, o.createdAt,
      t.topic_id AS t_id, t.title AS t_title, t.category AS t_category, t.finish_count AS t_finish_count,
      p.userID AS p_id, p.nick AS p_nick, p.name AS p_name, p.avatar AS p_avatar, p.title AS p_title
    FROM orders o LEFT JOIN topics t ON t.topic_id = o.topic_id LEFT JOIN users p ON p.userID = o.${other}
    WHERE o.${by} = ? AND o.status IN (${placeholders(statuses)})
    ORDER BY o.createdAt DESC, o.o_id DESC LIMIT ${limit} OFFSET ?`;
};
const checkLimit = (limit: number) => {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`list: limit must be a non-negative integer, not ${limit}`);
};
const listRow = (r: any[]): OrderListRow => ({
  o_id: r[0],
  userID: r[1],
  expert_id: r[2],
  topic_id: r[3],
  status: r[4],
  rating: r[5],
  createdAt: new Date(r[6]),
  topic: r[7] === null ? null : { topic_id: r[7], title: r[8], category: r[9], finish_count: r[10] },
  party: r[11] === null ? null : { userID: r[11], nick: r[12], name: r[13], avatar: r[14], title: r[15] },
});

function toRow(o: Partial<Order>): Record<string, unknown> {
  const r = codec.toRow(o);
  if ('appeal' in o) r.appealed = o.appeal ? 1 : 0;
  return r;
}

export class SqliteOrdersRepo implements OrdersRepo {
  private getStmt;
  private detailJsonStmt;
  private partiesStmt;
  private insertStmt;
  private listVersionsStmt;
  private listPages: ListPageCache;
  /** `listCacheMb`: MB the order-list pages kept may take (0: none kept; LIST_CACHE_MB's default without it). */
  constructor(
    private db: Sqlite,
    { listCacheMb = LIST_CACHE_MB }: { listCacheMb?: number } = {},
  ) {
    this.getStmt = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE o_id = ?`).raw(true);
    this.detailJsonStmt = db.prepare(DETAIL_JSON_SQL).raw(true);
    this.partiesStmt = db.prepare('SELECT o_id, userID, expert_id, status FROM orders WHERE o_id = ?');
    this.insertStmt = db.prepare(insertSql('orders', COLUMNS));
    this.listVersionsStmt = db.prepare(`SELECT (SELECT v FROM list_versions WHERE k = '*'), (SELECT v FROM list_versions WHERE k = ?)`).raw(true);
    this.listPages = new ListPageCache(Math.floor(listCacheMb * 2 ** 20));
  }

  async insert(order: Order) {
    this.insertStmt.run(toRow(order));
  }

  async get(o_id: string) {
    const r = this.getStmt.get(o_id) as unknown[] | undefined;
    return r ? fromRow(r) : null;
  }

  async getDetailJson(o_id: string) {
    const r = this.detailJsonStmt.get(o_id) as [string, string, Buffer] | undefined;
    return r ? { userID: r[0], expert_id: r[1], json: r[2] } : null;
  }

  async getParties(o_id: string) {
    return (this.partiesStmt.get(o_id) as OrderParties | undefined) ?? null;
  }

  async getMany(ids: string[]) {
    if (ids.length === 0) return [];
    return fromRows(prepRaw(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE o_id IN (${placeholders(ids.length)})`).all(...ids));
  }

  async list(f: OrderListFilter) {
    const rows = this.listStatement(f, null).all(f.userID ?? f.expert_id, ...f.statuses, f.skip) as any[][];
    return rows.map(listRow);
  }

  async listJson(f: OrderListFilter, viewer: ListViewer) {
    const who = (f.userID ?? f.expert_id)!;
    // Inside a transaction a page could show writes that are not committed yet: not kept.
    if (!this.listPages.enabled || this.db.inTransaction) return this.buildListJson(f, viewer, who);
    // The versions are read before the page is built: a change committed in between leaves
    // the page newer than the versions it is kept with, which costs a rebuild next time and
    // never hands out a stale page.
    const [all, mine] = this.listVersionsStmt.get(who) as [number | null, number | null];
    const versions = { all, mine };
    const key = `${f.userID ? 'buyer' : 'expert'} ${who} ${viewer} ${f.limit} ${f.skip} ${f.statuses.join(',')}`;
    const kept = this.listPages.get(key, versions);
    if (kept) return kept;
    const json = this.buildListJson(f, viewer, who);
    this.listPages.set(key, versions, json);
    return json;
  }

  private buildListJson(f: OrderListFilter, viewer: ListViewer, who: string): Buffer {
    return (this.listStatement(f, viewer).get(who, ...f.statuses, f.skip) as [Buffer])[0];
  }

  /**
   * The list's statement by its shape, found by a short key: building the 1.5 KB SQL text and
   * hashing it for prep's cache on every request was 10 % of GET /rest/orders (bench/).
   */
  private listStatements = new BoundedMap<ReturnType<typeof prepRaw>>(1000);
  private listStatement(f: OrderListFilter, viewer: ListViewer | null) {
    const by = f.userID ? 'userID' : 'expert_id';
    return this.listStatements.getOr(`${by} ${f.statuses.length} ${f.limit} ${viewer}`, () => {
      checkLimit(f.limit);
      const page = LIST_SQL(by, f.statuses.length, f.limit);
      return prepRaw(this.db, viewer ? LIST_JSON_SQL(page, viewer) : page);
    });
  }

  async listComments(f: CommentListFilter) {
    const [col, val] = f.topic_id ? ['topic_id', f.topic_id] : ['expert_id', f.expert_id];
    return fromRows(prepRaw(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${col} = ? AND commentAt IS NOT NULL ORDER BY commentAt DESC, o_id DESC LIMIT ? OFFSET ?`).all(val, f.limit, f.skip));
  }

  async adminList(f: AdminOrderFilter) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.statuses?.length) {
      where.push(`status IN (${placeholders(f.statuses.length)})`);
      args.push(...f.statuses);
    }
    if (f.appealed !== undefined) {
      where.push('appealed = ?');
      args.push(f.appealed ? 1 : 0);
    }
    if (f.party !== undefined) {
      where.push('(userID = ? OR expert_id = ?)');
      args.push(f.party, f.party);
    }
    if (f.o_id !== undefined) {
      where.push('o_id = ?');
      args.push(f.o_id);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (prep(this.db, `SELECT COUNT(*) AS n FROM orders ${w}`).get(...args) as { n: number }).n;
    const list = fromRows(prepRaw(this.db, `SELECT ${ORDER_COLUMNS} FROM orders ${w} ORDER BY createdAt DESC, o_id DESC LIMIT ? OFFSET ?`).all(...args, f.limit, f.skip));
    return { list, total };
  }

  async transition(o_id: string, from: OrderStatus[], to: OrderStatus, timeField: keyof Order | null, now: Date, patch: OrderPatch): Promise<TransitionResult> {
    const set: Partial<Order> = { ...patch, status: to, statusAt: now, updatedAt: now };
    if (timeField) (set as any)[timeField] = now;
    const row = toRow(set);
    const cols = Object.keys(row);
    // A single UPDATE ... WHERE status IN (...) is atomic: of racing callers exactly one changes the row.
    const sql = `UPDATE orders SET ${cols.map((c) => `${c} = @${c}`).join(', ')}
      WHERE o_id = @__id AND status IN (${from.map((_, i) => `@__from${i}`).join(',')}) RETURNING ${ORDER_COLUMNS}`;
    const params: Record<string, unknown> = { ...row, __id: o_id };
    from.forEach((s, i) => (params[`__from${i}`] = s));
    const updated = prepRaw(this.db, sql).get(params) as unknown[] | undefined;
    if (updated) return { order: fromRow(updated), current: null };
    return { order: null, current: await this.get(o_id) };
  }

  async update(o_id: string, whileIn: OrderStatus[], set: Partial<Order>, cond: { appealOpen?: boolean; called?: boolean } = {}) {
    const row = toRow(set);
    const cols = Object.keys(row);
    let where = `o_id = @__id AND status IN (${whileIn.map((_, i) => `@__s${i}`).join(',')})`;
    if (cond.appealOpen !== undefined) where += ` AND appealed = ${cond.appealOpen ? 1 : 0}`;
    if (cond.called !== undefined) where += ` AND called = ${cond.called ? 1 : 0}`;
    const params: Record<string, unknown> = { ...row, __id: o_id };
    whileIn.forEach((s, i) => (params[`__s${i}`] = s));
    const r = prepRaw(this.db, `UPDATE orders SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE ${where} RETURNING ${ORDER_COLUMNS}`).get(params) as unknown[] | undefined;
    return r ? fromRow(r) : null;
  }

  async listDue(status: OrderStatus, before: Date, limit: number) {
    return fromRows(prepRaw(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = ? AND statusAt < ? AND appealed = 0 ORDER BY statusAt LIMIT ?`).all(status, before.getTime(), limit));
  }

  async listUnsettled(limit: number) {
    return fromRows(prepRaw(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = 'finished' AND settledAt IS NULL LIMIT ?`).all(limit));
  }
}

