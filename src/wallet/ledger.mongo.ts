import type { Db } from 'mongodb';
import { insertOnce, unwrap } from '../db/mongo';
import type { LedgerEntry } from './ledger.types';
import type { LedgerRepo } from './ledger.repo';

export class MongoLedgerRepo implements LedgerRepo {
  private col;
  constructor(db: Db) {
    this.col = db.collection<any>('ledger');
  }
  async ensureIndexes() {
    // The unique key is what makes a settlement credit exactly once.
    await this.col.createIndex({ key: 1 }, { unique: true });
    // a user's entries newest first (and the balance's $match)
    await this.col.createIndex({ userID: 1, createdAt: -1, _id: -1 });
  }
  /** The unique index on `key` lets exactly one of racing credits of a key in. */
  async credit({ id, ...rest }: LedgerEntry) {
    return insertOnce(this.col, { _id: id, ...rest });
  }
  async balance(userID: string) {
    const [r] = await this.col.aggregate([{ $match: { userID } }, { $group: { _id: null, sum: { $sum: '$amount' } } }]).toArray();
    return r ? Number(r.sum) : 0;
  }
  async list(userID: string, skip: number, limit: number) {
    const docs = await this.col.find({ userID }).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).toArray();
    return docs.map((d) => unwrap<LedgerEntry>(d, 'id')!);
  }
}
