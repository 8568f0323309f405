import { fromMs, placeholders, prep, prepRaw, type Sqlite } from '../db/sqlite';
import type { ProfileBrief, UserProfile } from './user.types';
import type { UsersRepo } from './users.repo';

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
  /**
   * Only the embedded columns, in raw rows: every column better-sqlite3 turns into a row
   * object's key costs (see prepRaw).
   */
  async getBriefs(ids: string[]): Promise<ProfileBrief[]> {
    if (ids.length === 0) return [];
    const rows = prepRaw(this.db, `SELECT userID, nick, name, avatar, title FROM users WHERE userID IN (${placeholders(ids.length)})`).all(...ids) as any[][];
    return rows.map((r) => ({ userID: r[0], nick: r[1], name: r[2], avatar: r[3], title: r[4] }));
  }
}
