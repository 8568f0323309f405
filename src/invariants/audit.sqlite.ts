import { fromMs, type Sqlite } from '../db/sqlite';
import type { OrderFact, StoreAudit } from './audit';

export class SqliteAudit implements StoreAudit {
  constructor(private db: Sqlite) {}

  private all<T>(sql: string): T[] {
    return this.db.prepare(sql).all() as T[];
  }

  async orders() {
    const rows = this.all<any>('SELECT o_id, status, expert_id, topic_id, price, rating, payAt, settledAt, refund FROM orders');
    return rows.map((r): OrderFact => ({ ...r, payAt: fromMs(r.payAt), settledAt: fromMs(r.settledAt) }));
  }
  async ledger() {
    return this.all<any>('SELECT key, userID, o_id, amount, kind FROM ledger');
  }
  async payments() {
    return this.all<any>('SELECT pay_id, o_id, status, kept FROM payments').map((r) => ({ ...r, kept: r.kept === 1 }));
  }
  async topics() {
    return this.all<any>('SELECT topic_id, finish_count, rating_sum, rating_count FROM topics');
  }
  async chatSeqs() {
    return this.all<any>('SELECT o_id, COUNT(*) AS count, COUNT(DISTINCT seq) AS distinct_, MIN(seq) AS min, MAX(seq) AS max FROM messages GROUP BY o_id').map(({ distinct_, ...r }) => ({ ...r, distinct: distinct_ }));
  }
  async chatMembers() {
    return this.all<any>('SELECT o_id, userID, read_seq, last_seq, unread FROM chat_members');
  }
}
