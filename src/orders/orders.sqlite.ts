import { insertSql, placeholders, prep, rowCodec, type Sqlite } from '../db/sqlite';
import type { Order, OrderPatch, OrderStatus } from './order.types';
import type { AdminOrderFilter, CommentListFilter, OrderListFilter, OrdersRepo, TransitionResult } from './orders.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'statusAt', 'confirmAt', 'rejectAt', 'payAt', 'finishAt', 'completeAt', 'cancelAt', 'commentAt', 'settledAt'] as const;
const COLUMNS = ['o_id', 'userID', 'expert_id', 'topic_id', 'question', 'self_desc', 'status', 'price', 'type', 'comment', 'rating', 'called', ...DATE_FIELDS, 'reason', 'canceledBy', 'appeal', 'appealed', 'client', 'platform', 'channel'];

const codec = rowCodec<Order>({ dates: DATE_FIELDS, booleans: ['called'], json: ['appeal'] });

function fromRow(r: any): Order {
  const o: any = codec.fromRow(r);
  if (o.appeal) o.appeal.at = new Date(o.appeal.at);
  // `appealed` is a column for the indexes, derived from `appeal`; the order does not carry it.
  delete o.appealed;
  return o as Order;
}

function toRow(o: Partial<Order>): Record<string, unknown> {
  const r = codec.toRow(o);
  if ('appeal' in o) r.appealed = o.appeal ? 1 : 0;
  return r;
}

export class SqliteOrdersRepo implements OrdersRepo {
  private getStmt;
  private insertStmt;
  constructor(private db: Sqlite) {
    this.getStmt = db.prepare('SELECT * FROM orders WHERE o_id = ?');
    this.insertStmt = db.prepare(insertSql('orders', COLUMNS));
  }

  async insert(order: Order) {
    this.insertStmt.run(toRow(order));
  }

  async get(o_id: string) {
    const r = this.getStmt.get(o_id);
    return r ? fromRow(r) : null;
  }

  async getMany(ids: string[]) {
    if (ids.length === 0) return [];
    return prep(this.db, `SELECT * FROM orders WHERE o_id IN (${placeholders(ids.length)})`).all(...ids).map(fromRow);
  }

  async list(f: OrderListFilter) {
    const [col, val] = f.userID ? ['userID', f.userID] : ['expert_id', f.expert_id];
    return prep(this.db, `SELECT * FROM orders WHERE ${col} = ? AND status IN (${placeholders(f.statuses.length)})
        ORDER BY createdAt DESC, o_id DESC LIMIT ? OFFSET ?`)
      .all(val, ...f.statuses, f.limit, f.skip)
      .map(fromRow);
  }

  async listComments(f: CommentListFilter) {
    const [col, val] = f.topic_id ? ['topic_id', f.topic_id] : ['expert_id', f.expert_id];
    return prep(this.db, `SELECT * FROM orders WHERE ${col} = ? AND commentAt IS NOT NULL ORDER BY commentAt DESC, o_id DESC LIMIT ? OFFSET ?`)
      .all(val, f.limit, f.skip)
      .map(fromRow);
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
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (prep(this.db, `SELECT COUNT(*) AS n FROM orders ${w}`).get(...args) as { n: number }).n;
    const list = prep(this.db, `SELECT * FROM orders ${w} ORDER BY createdAt DESC, o_id DESC LIMIT ? OFFSET ?`)
      .all(...args, f.limit, f.skip)
      .map(fromRow);
    return { list, total };
  }

  async transition(o_id: string, from: OrderStatus[], to: OrderStatus, timeField: keyof Order | null, now: Date, patch: OrderPatch): Promise<TransitionResult> {
    const set: Partial<Order> = { ...patch, status: to, statusAt: now, updatedAt: now };
    if (timeField) (set as any)[timeField] = now;
    const row = toRow(set);
    const cols = Object.keys(row);
    // A single UPDATE ... WHERE status IN (...) is atomic: of racing callers exactly one changes the row.
    const sql = `UPDATE orders SET ${cols.map((c) => `${c} = @${c}`).join(', ')}
      WHERE o_id = @__id AND status IN (${from.map((_, i) => `@__from${i}`).join(',')}) RETURNING *`;
    const params: Record<string, unknown> = { ...row, __id: o_id };
    from.forEach((s, i) => (params[`__from${i}`] = s));
    const updated = prep(this.db, sql).get(params);
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
    const r = prep(this.db, `UPDATE orders SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE ${where} RETURNING *`).get(params);
    return r ? fromRow(r) : null;
  }

  async listDue(status: OrderStatus, before: Date, limit: number) {
    return prep(this.db, 'SELECT * FROM orders WHERE status = ? AND statusAt < ? AND appealed = 0 ORDER BY statusAt LIMIT ?')
      .all(status, before.getTime(), limit)
      .map(fromRow);
  }

  async listUnsettled(limit: number) {
    return prep(this.db, `SELECT * FROM orders WHERE status = 'finished' AND settledAt IS NULL LIMIT ?`).all(limit).map(fromRow);
  }
}

