import { insertSql, isConstraintViolation, placeholders, rowCodec, type Sqlite } from '../db/sqlite';
import type { Payment, PaymentStatus } from './payment.types';
import type { PaymentSweepFilter, PaymentsRepo } from './payments.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'paidAt', 'closedAt', 'refundedAt'] as const;
const COLUMNS = ['pay_id', 'o_id', 'userID', 'provider', 'channel', 'amount', 'currency', 'charge_id', 'status', 'charge', 'kept', ...DATE_FIELDS, 'refund_id', 'refundAttempts', 'error'];

const { fromRow, toRow } = rowCodec<Payment>({ dates: DATE_FIELDS, booleans: ['kept'], json: ['charge'] });

export class SqlitePaymentsRepo implements PaymentsRepo {
  private insertStmt;
  private getStmt;
  private byChargeStmt;
  private keepStmt;
  constructor(private db: Sqlite) {
    this.insertStmt = db.prepare(insertSql('payments', COLUMNS));
    this.getStmt = db.prepare('SELECT * FROM payments WHERE pay_id = ?');
    this.byChargeStmt = db.prepare('SELECT * FROM payments WHERE charge_id = ?');
    this.keepStmt = db.prepare('UPDATE payments SET kept = 1 WHERE pay_id = ?');
  }

  async insert(p: Payment) {
    this.insertStmt.run(toRow(p));
  }

  async get(pay_id: string) {
    const r = this.getStmt.get(pay_id);
    return r ? fromRow(r) : null;
  }

  async getByChargeId(charge_id: string) {
    const r = this.byChargeStmt.get(charge_id);
    return r ? fromRow(r) : null;
  }

  async listByOrder(o_id: string) {
    return this.db.prepare('SELECT * FROM payments WHERE o_id = ? ORDER BY pay_id').all(o_id).map(fromRow);
  }

  async update(pay_id: string, from: PaymentStatus[], set: Partial<Payment>, expectUpdatedAt?: Date) {
    const row = toRow(set);
    const params: Record<string, unknown> = { ...row, __id: pay_id };
    from.forEach((s, i) => (params[`__s${i}`] = s));
    let where = `pay_id = @__id AND status IN (${from.map((_, i) => `@__s${i}`).join(',')})`;
    if (expectUpdatedAt) {
      where += ' AND updatedAt = @__at';
      params.__at = expectUpdatedAt.getTime();
    }
    // A single UPDATE ... WHERE status IN (...) is atomic, across processes sharing the file too.
    const sql = `UPDATE payments SET ${Object.keys(row).map((c) => `${c} = @${c}`).join(', ')} WHERE ${where} RETURNING *`;
    const r = this.db.prepare(sql).get(params);
    return r ? fromRow(r) : null;
  }

  async keep(pay_id: string) {
    try {
      this.keepStmt.run(pay_id);
      return true;
    } catch (err) {
      // payments_kept: UNIQUE (o_id) WHERE kept = 1
      if (isConstraintViolation(err)) return false;
      throw err;
    }
  }

  async listForSweep(f: PaymentSweepFilter) {
    const args: unknown[] = [...f.statuses];
    let where = `status IN (${placeholders(f.statuses.length)})`;
    if (f.openOnly) where += ' AND closedAt IS NULL';
    if (f.updatedBefore) {
      where += ' AND updatedAt < ?';
      args.push(f.updatedBefore.getTime());
    }
    if (f.after) {
      where += ' AND pay_id > ?';
      args.push(f.after);
    }
    return this.db.prepare(`SELECT * FROM payments WHERE ${where} ORDER BY pay_id LIMIT ?`).all(...args, f.limit).map(fromRow);
  }
}
