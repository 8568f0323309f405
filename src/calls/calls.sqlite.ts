import { insertSql, isConstraintViolation, rowCodec, type Sqlite } from '../db/sqlite';
import type { Call, CallRowStatus } from './call.types';
import type { CallsRepo } from './calls.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'endedAt'] as const;
const COLUMNS = ['id', 'callSid', 'o_id', 'provider', 'fromUser', 'toUser', 'status', 'active', 'duration', 'error', ...DATE_FIELDS];

const { fromRow, toRow } = rowCodec<Call>({ dates: DATE_FIELDS, booleans: ['active'] });

export class SqliteCallsRepo implements CallsRepo {
  private insertStmt;
  private getStmt;
  private bySidStmt;
  private activeStmt;
  private byOrderStmt;
  constructor(private db: Sqlite) {
    this.insertStmt = db.prepare(insertSql('calls', COLUMNS));
    this.getStmt = db.prepare('SELECT * FROM calls WHERE id = ?');
    this.bySidStmt = db.prepare('SELECT * FROM calls WHERE callSid = ?');
    this.activeStmt = db.prepare('SELECT * FROM calls WHERE o_id = ? AND active = 1');
    this.byOrderStmt = db.prepare('SELECT * FROM calls WHERE o_id = ? ORDER BY createdAt, id LIMIT ?');
  }

  async insert(call: Call) {
    try {
      this.insertStmt.run(toRow(call));
      return true;
    } catch (err) {
      // calls_active: UNIQUE (o_id) WHERE active = 1
      if (isConstraintViolation(err)) return false;
      throw err;
    }
  }

  async get(id: string) {
    const r = this.getStmt.get(id);
    return r ? fromRow(r) : null;
  }

  async getByCallSid(callSid: string) {
    const r = this.bySidStmt.get(callSid);
    return r ? fromRow(r) : null;
  }

  async getActive(o_id: string) {
    const r = this.activeStmt.get(o_id);
    return r ? fromRow(r) : null;
  }

  async listByOrder(o_id: string, limit: number) {
    return this.byOrderStmt.all(o_id, limit).map(fromRow);
  }

  async update(id: string, from: CallRowStatus[], set: Partial<Call>) {
    const row = toRow(set);
    const params: Record<string, unknown> = { ...row, __id: id };
    from.forEach((s, i) => (params[`__s${i}`] = s));
    const sql = `UPDATE calls SET ${Object.keys(row).map((c) => `${c} = @${c}`).join(', ')}
      WHERE id = @__id AND status IN (${from.map((_, i) => `@__s${i}`).join(',')}) RETURNING *`;
    const r = this.db.prepare(sql).get(params);
    return r ? fromRow(r) : null;
  }
}
