import { BoundedMap } from '../bounded-map';
import { insertSql, placeholders, prep, prepRaw, rowCodec, type Sqlite } from '../db/sqlite';
import type { Order, OrderListRow, OrderParties, OrderPatch, OrderStatus } from './order.types';
import type { AdminOrderFilter, CommentListFilter, OrderListFilter, OrdersRepo, OrderUpdate, TransitionResult, UpdateCondition } from './orders.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'statusAt', 'confirmAt', 'rejectAt', 'payAt', 'finishAt', 'completeAt', 'cancelAt', 'commentAt', 'settledAt'] as const;
const COLUMNS = ['o_id', 'userID', 'expert_id', 'topic_id', 'question', 'self_desc', 'status', 'price', 'type', 'comment', 'rating', 'called', ...DATE_FIELDS, 'reason', 'canceledBy', 'appeal', 'appealed', 'client', 'platform', 'channel', 'refund'];

const codec = rowCodec<Order>({ dates: DATE_FIELDS, booleans: ['called'], json: ['appeal'] });

/** `appealed` is a column for the indexes, derived from `appeal`; the order does not carry it, so reads leave it out. */
const ORDER_COLUMNS = COLUMNS.filter((c) => c !== 'appealed').join(', ');
function fromRow(r: unknown): Order {
  const o = codec.fromRow(r);
  // The appeal is stored as JSON text, where its time is a string.
  if (o.appeal) o.appeal.at = new Date(o.appeal.at);
  return o;
}
const fromRows = (rows: unknown[]) => rows.map(fromRow);

/**
 * An order list's page in one statement: the page read from the list's covering index
 * (migration 6) with its topics and the other parties joined to it, and only the listed
 * columns: cheaper than three statements or whole rows (BENCHMARKS.md).
 */
const LIST_SQL = (by: 'userID' | 'expert_id', statuses: number, limit: number) => {
  const other = by === 'userID' ? 'expert_id' : 'userID';
  // The limit is part of the text, not a parameter: SQLite plans only a literal LIMIT as a
  // small top-N. It is a validated integer of a few distinct values (1..PAGE.maxLimit), so
  // the statements cached per text stay few.
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
  private partiesStmt;
  private insertStmt;
  constructor(private db: Sqlite) {
    this.getStmt = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE o_id = ?`);
    this.partiesStmt = db.prepare('SELECT o_id, userID, expert_id, status FROM orders WHERE o_id = ?');
    this.insertStmt = db.prepare(insertSql('orders', COLUMNS));
  }

  async insert(order: Order) {
    this.insertStmt.run(toRow(order));
  }

  async get(o_id: string) {
    const r = this.getStmt.get(o_id);
    return r ? fromRow(r) : null;
  }

  async getParties(o_id: string) {
    return (this.partiesStmt.get(o_id) as OrderParties | undefined) ?? null;
  }

  async list(f: OrderListFilter) {
    const rows = this.listStatement(f).all(f.userID ?? f.expert_id, ...f.statuses, f.skip) as any[][];
    return rows.map(listRow);
  }

  /**
   * The list's statement by its shape, found by a short key: no SQL text is built and hashed
   * for prep's cache on every request.
   */
  private listStatements = new BoundedMap<ReturnType<typeof prepRaw>>(1000);
  private listStatement(f: OrderListFilter) {
    const by = f.userID ? 'userID' : 'expert_id';
    return this.listStatements.getOr(`${by} ${f.statuses.length} ${f.limit}`, () => {
      checkLimit(f.limit);
      return prepRaw(this.db, LIST_SQL(by, f.statuses.length, f.limit));
    });
  }

  async listComments(f: CommentListFilter) {
    const [col, val] = f.topic_id ? ['topic_id', f.topic_id] : ['expert_id', f.expert_id];
    return fromRows(prep(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${col} = ? AND commentAt IS NOT NULL ORDER BY commentAt DESC, o_id DESC LIMIT ? OFFSET ?`).all(val, f.limit, f.skip));
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
    const list = fromRows(prep(this.db, `SELECT ${ORDER_COLUMNS} FROM orders ${w} ORDER BY createdAt DESC, o_id DESC LIMIT ? OFFSET ?`).all(...args, f.limit, f.skip));
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
    const updated = prep(this.db, sql).get(params);
    if (updated) return { order: fromRow(updated), current: null };
    return { order: null, current: await this.get(o_id) };
  }

  async update(o_id: string, whileIn: OrderStatus[], set: OrderUpdate, cond: UpdateCondition = {}) {
    const row = toRow(set);
    const cols = Object.keys(row);
    let where = `o_id = @__id AND status IN (${whileIn.map((_, i) => `@__s${i}`).join(',')})`;
    if (cond.appealOpen !== undefined) where += ` AND appealed = ${cond.appealOpen ? 1 : 0}`;
    if (cond.called !== undefined) where += ` AND called = ${cond.called ? 1 : 0}`;
    const params: Record<string, unknown> = { ...row, __id: o_id };
    if (cond.refund !== undefined) {
      where += ' AND refund = @__refund';
      params.__refund = cond.refund;
    }
    whileIn.forEach((s, i) => (params[`__s${i}`] = s));
    const r = prep(this.db, `UPDATE orders SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE ${where} RETURNING ${ORDER_COLUMNS}`).get(params);
    return r ? fromRow(r) : null;
  }

  async listDue(status: OrderStatus, before: Date, limit: number) {
    return fromRows(prep(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = ? AND statusAt < ? AND appealed = 0 ORDER BY statusAt LIMIT ?`).all(status, before.getTime(), limit));
  }

  async markSettled(o_id: string, now: Date) {
    return this.markSettledNow(o_id, now);
  }

  /** markSettled() without the promise, for the settlement's transaction (settlement.sqlite.ts). */
  markSettledNow(o_id: string, now: Date): Order | null {
    const r = prep(this.db, `UPDATE orders SET settledAt = ? WHERE o_id = ? AND status = 'finished' AND settledAt IS NULL RETURNING ${ORDER_COLUMNS}`).get(now.getTime(), o_id);
    return r ? fromRow(r) : null;
  }

  async listRefundOwed(limit: number, after = '') {
    return fromRows(prep(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE refund = 'owed' AND o_id > ? ORDER BY o_id LIMIT ?`).all(after, limit));
  }

  async listUnsettled(limit: number) {
    return fromRows(prep(this.db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = 'finished' AND settledAt IS NULL LIMIT ?`).all(limit));
  }
}

