import { fromMs, placeholders, prep, type Sqlite } from '../db/sqlite';
import type { UserProfile, UsersRepo } from './users.repo';

const row = (r: any): UserProfile => ({ ...r, updatedAt: fromMs(r.updatedAt)! });

export class SqliteUsersRepo implements UsersRepo {
  private upsertStmt;
  private getStmt;
  constructor(private db: Sqlite) {
    this.upsertStmt = db.prepare(`INSERT INTO users (userID, nick, name, avatar, title, phone, updatedAt)
      VALUES (@userID, @nick, @name, @avatar, @title, @phone, @updatedAt)
      ON CONFLICT(userID) DO UPDATE SET nick=excluded.nick, name=excluded.name, avatar=excluded.avatar,
        title=excluded.title, phone=excluded.phone, updatedAt=excluded.updatedAt`);
    this.getStmt = db.prepare('SELECT * FROM users WHERE userID = ?');
  }
  async upsert(p: UserProfile) {
    this.upsertStmt.run({ ...p, updatedAt: p.updatedAt.getTime() });
  }
  async get(userID: string) {
    const r = this.getStmt.get(userID);
    return r ? row(r) : null;
  }
  async getMany(ids: string[]) {
    if (ids.length === 0) return [];
    return prep(this.db, `SELECT * FROM users WHERE userID IN (${placeholders(ids.length)})`).all(...ids).map(row);
  }
}
