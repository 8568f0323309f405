import type { Db } from 'mongodb';
import { insertOnce, unwrap } from '../db/mongo';
import type { Call, CallRowStatus } from './call.types';
import type { CallsRepo } from './calls.repo';

const toCall = (d: any): Call => unwrap<Call>(d, 'id')!;

export class MongoCallsRepo implements CallsRepo {
  private col;
  constructor(db: Db) {
    this.col = db.collection<any>('calls');
  }
  async ensureIndexes() {
    await this.col.createIndexes([
      { key: { callSid: 1 }, unique: true, partialFilterExpression: { callSid: { $type: 'string' } } },
      // One active call per order.
      { key: { o_id: 1, active: 1 }, name: 'o_id_active', unique: true, partialFilterExpression: { active: true } },
      // An order's calls for the customer-service console.
      { key: { o_id: 1, createdAt: 1 }, name: 'o_id_createdAt' },
    ]);
  }
  async insert({ id, ...rest }: Call) {
    // The unique partial index o_id_active refuses a second active call of the order.
    return insertOnce(this.col, { _id: id, ...rest });
  }
  async get(id: string) {
    const d = await this.col.findOne({ _id: id });
    return d ? toCall(d) : null;
  }
  async getByCallSid(callSid: string) {
    const d = await this.col.findOne({ callSid });
    return d ? toCall(d) : null;
  }
  async getActive(o_id: string) {
    const d = await this.col.findOne({ o_id, active: true });
    return d ? toCall(d) : null;
  }
  async listByOrder(o_id: string, limit: number) {
    const list = await this.col.find({ o_id }).sort({ createdAt: 1, _id: 1 }).limit(limit).toArray();
    return list.map(toCall);
  }
  async update(id: string, from: CallRowStatus[], set: Partial<Call>) {
    const { id: _ignored, ...$set } = set;
    // Single-document atomicity: of racing updates from one status exactly one matches.
    const d = await this.col.findOneAndUpdate({ _id: id, status: { $in: from } }, { $set }, { returnDocument: 'after' });
    return d ? toCall(d) : null;
  }
}
