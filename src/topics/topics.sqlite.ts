import { fromMs, placeholders, prep, prepRaw, type Sqlite } from '../db/sqlite';
import type { Topic, TopicBrief } from './topic.types';
import type { TopicsRepo } from './topics.repo';

const row = (r: any): Topic => ({ ...r, createdAt: fromMs(r.createdAt)! });

export class SqliteTopicsRepo implements TopicsRepo {
  private getStmt;
  private finishStmt;
  constructor(private db: Sqlite) {
    this.getStmt = db.prepare('SELECT * FROM topics WHERE topic_id = ?');
    this.finishStmt = db.prepare(`UPDATE topics SET finish_count = finish_count + 1,
      rating_sum = rating_sum + @rating, rating_count = rating_count + (CASE WHEN @rating > 0 THEN 1 ELSE 0 END)
      WHERE topic_id = @topic_id`);
  }
  async insert(t: Topic) {
    prep(this.db, `INSERT INTO topics (topic_id, expert_id, title, category, price, finish_count, rating_sum, rating_count, createdAt)
        VALUES (@topic_id, @expert_id, @title, @category, @price, @finish_count, @rating_sum, @rating_count, @createdAt)`)
      .run({ ...t, createdAt: t.createdAt.getTime() });
  }
  async get(id: string) {
    const r = this.getStmt.get(id);
    return r ? row(r) : null;
  }
  /**
   * Only the embedded columns, in raw rows: every column better-sqlite3 turns into a row
   * object's key costs (see prepRaw).
   */
  async getBriefs(ids: string[]): Promise<TopicBrief[]> {
    if (ids.length === 0) return [];
    const rows = prepRaw(this.db, `SELECT topic_id, title, category, finish_count FROM topics WHERE topic_id IN (${placeholders(ids.length)})`).all(...ids) as any[][];
    return rows.map((r) => ({ topic_id: r[0], title: r[1], category: r[2], finish_count: r[3] }));
  }
  /**
   * Counts one finished order (a rating of 0: finished without a rating). Synchronous, for the
   * settlement's transaction (settlement.sqlite.ts); never called outside it.
   */
  countFinish(topic_id: string, rating: number) {
    this.finishStmt.run({ topic_id, rating });
  }
}
