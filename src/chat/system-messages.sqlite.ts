import { placeholders, writeTx, type Sqlite } from '../db/sqlite';
import type { DefFields, DefWrite, SystemMessageDef, SystemMessagesRepo } from './system-messages.repo';

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';

export class SqliteSystemMessagesRepo implements SystemMessagesRepo {
  constructor(private db: Sqlite) {}

  async list(skip: number, limit: number) {
    const list = this.db.prepare('SELECT * FROM system_messages WHERE dtime = 0 ORDER BY key LIMIT ? OFFSET ?').all(limit, skip) as SystemMessageDef[];
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM system_messages WHERE dtime = 0').get() as { n: number };
    return { list, total: n };
  }

  async get(id: string) {
    return (this.db.prepare('SELECT * FROM system_messages WHERE id = ? AND dtime = 0').get(id) as SystemMessageDef | undefined) ?? null;
  }

  async listLive(keys: string[]) {
    if (keys.length === 0) return [];
    return this.db.prepare(`SELECT * FROM system_messages WHERE dtime = 0 AND key IN (${placeholders(keys.length)})`).all(...keys) as SystemMessageDef[];
  }

  async create(def: SystemMessageDef): Promise<DefWrite> {
    try {
      this.db
        .prepare('INSERT INTO system_messages (id, key, buyer, seller, admin, ctime, utime, dtime) VALUES (@id, @key, @buyer, @seller, @admin, @ctime, @utime, @dtime)')
        .run(def);
      return { ok: true, def };
    } catch (err) {
      if (isUniqueViolation(err)) return { ok: false, reason: 'duplicate' };
      throw err;
    }
  }

  async update(id: string, fields: Partial<DefFields>, utime: number): Promise<DefWrite> {
    const set = { ...fields, utime };
    const cols = Object.keys(set);
    try {
      const row = this.db
        .prepare(`UPDATE system_messages SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id AND dtime = 0 RETURNING *`)
        .get({ ...set, __id: id }) as SystemMessageDef | undefined;
      return row ? { ok: true, def: row } : { ok: false, reason: 'missing' };
    } catch (err) {
      if (isUniqueViolation(err)) return { ok: false, reason: 'duplicate' };
      throw err;
    }
  }

  async softDelete(id: string, dtime: number) {
    return this.db.prepare('UPDATE system_messages SET dtime = ? WHERE id = ? AND dtime = 0').run(dtime, id).changes === 1;
  }

  async insertIfKeyAbsent(def: SystemMessageDef) {
    // Under the write lock, so two nodes starting on one file insert a key once.
    return writeTx(this.db, () => {
      const exists = this.db.prepare('SELECT 1 FROM system_messages WHERE key = ? LIMIT 1').get(def.key);
      if (exists) return false;
      this.db.prepare('INSERT INTO system_messages (id, key, buyer, seller, admin, ctime, utime, dtime) VALUES (@id, @key, @buyer, @seller, @admin, @ctime, @utime, @dtime)').run(def);
      return true;
    });
  }
}
