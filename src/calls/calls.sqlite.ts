import { fromMs, toMs, type Sqlite } from '../db/sqlite';
import type { Call, CallRowStatus } from './call.types';
import type { CallsRepo } from './calls.repo';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'endedAt'] as const;
const COLUMNS = ['id', 'callSid', 'o_id', 'provider', 'fromUser', 'toUser', 'status', 'active', 'duration', 'error', ...DATE_FIELDS];

function fromRow(r: any): Call {
  const c: any = { ...r, active: r.active === 1 };
  for (const f of DATE_FIELDS) c[f] = fromMs(r[f]);
  return c as Call;
}

function toRow(c: Partial<Call>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if ((DATE_FIELDS as readonly string[]).includes(k)) r[k] = toMs(v as Date | null);
    else if (k === 'active') r[k] = v ? 1 : 0;
    else r[k] = v;
  }
  return r;
}

export class SqliteCallsRepo implements CallsRepo {
  private insertStmt;
  private getStmt;
  private bySidStmt;
  private activeStmt;
  constructor(private db: Sqlite) {
    this.insertStmt = db.prepare(`INSERT INTO calls (${COLUMNS.join(',')}) VALUES (${COLUMNS.map((c) => '@' + c).join(',')})`);
    this.getStmt = db.prepare('SELECT * FROM calls WHERE id = ?');
    this.bySidStmt = db.prepare('SELECT * FROM calls WHERE callSid = ?');
    this.activeStmt = db.prepare('SELECT * FROM calls WHERE o_id = ? AND active = 1');
  }

  async insert(call: Call) {
    try {
      this.insertStmt.run(toRow(call));
      return true;
    } catch (err) {
      // calls_active: UNIQUE (o_id) WHERE active = 1
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return false;
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
