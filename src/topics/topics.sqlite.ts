import { fromMs, placeholders, prep, type Sqlite } from '../db/sqlite';
import type { Topic, TopicsRepo } from './topics.repo';

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
  async getMany(ids: string[]) {
    if (ids.length === 0) return [];
    return prep(this.db, `SELECT * FROM topics WHERE topic_id IN (${placeholders(ids.length)})`).all(...ids).map(row);
  }
  async recordFinish(topic_id: string, rating: number) {
    this.finishStmt.run({ topic_id, rating });
  }
}
