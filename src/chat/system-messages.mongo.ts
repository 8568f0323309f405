import type { Collection, Db } from 'mongodb';
import { isDuplicateKey, unwrap } from '../db/mongo';
import type { DefFields, DefWrite, SystemMessageDef, SystemMessagesRepo } from './system-messages.repo';

const toDef = (d: unknown) => unwrap<SystemMessageDef>(d as any, 'id')!;

export class MongoSystemMessagesRepo implements SystemMessagesRepo {
  private col: Collection<any>;
  constructor(db: Db) {
    this.col = db.collection('system_messages');
  }

  async ensureIndexes() {
    await this.col.createIndexes([
      // One live definition per key; soft-deleted ones (dtime > 0) may repeat.
      { key: { key: 1 }, unique: true, partialFilterExpression: { dtime: 0 }, name: 'live_key' },
      { key: { key: 1, dtime: 1 } },
      // the live definitions by key (the staff list and its count)
      { key: { dtime: 1, key: 1 } },
    ]);
  }

  async list(skip: number, limit: number) {
    const [docs, total] = await Promise.all([
      this.col.find({ dtime: 0 }).sort({ key: 1 }).skip(skip).limit(limit).toArray(),
      this.col.countDocuments({ dtime: 0 }),
    ]);
    return { list: docs.map(toDef), total };
  }

  async get(id: string) {
    const d = await this.col.findOne({ _id: id, dtime: 0 });
    return d ? toDef(d) : null;
  }

  async listLive(keys: string[]) {
    if (keys.length === 0) return [];
    return (await this.col.find({ dtime: 0, key: { $in: keys } }).toArray()).map(toDef);
  }

  async create({ id, ...rest }: SystemMessageDef): Promise<DefWrite> {
    try {
      await this.col.insertOne({ _id: id, ...rest });
      return { ok: true, def: { id, ...rest } };
    } catch (err) {
      if (isDuplicateKey(err)) return { ok: false, reason: 'duplicate' };
      throw err;
    }
  }

  async update(id: string, fields: Partial<DefFields>, utime: number): Promise<DefWrite> {
    try {
      const d = await this.col.findOneAndUpdate({ _id: id, dtime: 0 }, { $set: { ...fields, utime } }, { returnDocument: 'after' });
      return d ? { ok: true, def: toDef(d) } : { ok: false, reason: 'missing' };
    } catch (err) {
      if (isDuplicateKey(err)) return { ok: false, reason: 'duplicate' };
      throw err;
    }
  }

  async softDelete(id: string, dtime: number) {
    return (await this.col.updateOne({ _id: id, dtime: 0 }, { $set: { dtime } })).modifiedCount === 1;
  }

  async insertIfKeyAbsent({ id, key, ...rest }: SystemMessageDef) {
    try {
      // Matches a live or deleted definition of the key: only a key never defined is inserted.
      // Of two racing upserts, the unique live_key index lets one insert; the other is refused.
      const r = await this.col.updateOne({ key }, { $setOnInsert: { _id: id, key, ...rest } }, { upsert: true });
      return r.upsertedCount === 1;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}
