import { fromMs, type Sqlite } from '../db/sqlite';
import type { LedgerEntry } from './ledger.types';
import type { LedgerRepo } from './ledger.repo';

const row = (r: any): LedgerEntry => ({ ...r, createdAt: fromMs(r.createdAt)! });

export class SqliteLedgerRepo implements LedgerRepo {
  private insertStmt;
  private balanceStmt;
  constructor(private db: Sqlite) {
    // The UNIQUE key makes the second credit of one settlement a no-op, across processes too.
    this.insertStmt = db.prepare(`INSERT INTO ledger (id, userID, key, o_id, amount, kind, createdAt)
      VALUES (@id, @userID, @key, @o_id, @amount, @kind, @createdAt) ON CONFLICT(key) DO NOTHING`);
    this.balanceStmt = db.prepare('SELECT COALESCE(SUM(amount), 0) AS balance FROM ledger WHERE userID = ?');
  }
  async credit(e: LedgerEntry) {
    return this.creditNow(e);
  }
  /** credit() without the promise, for a caller's transaction (settlement.sqlite.ts). */
  creditNow(e: LedgerEntry) {
    return this.insertStmt.run({ ...e, createdAt: e.createdAt.getTime() }).changes === 1;
  }
  async balance(userID: string) {
    return Number((this.balanceStmt.get(userID) as { balance: number }).balance);
  }
  async list(userID: string, skip: number, limit: number) {
    return this.db
      .prepare('SELECT * FROM ledger WHERE userID = ? ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?')
      .all(userID, limit, skip)
      .map(row);
  }
}
