import type { Db } from 'mongodb';
import type { StoreAudit } from './audit';

export class MongoAudit implements StoreAudit {
  constructor(private db: Db) {}

  private async all(collection: string, fields: string[], id: string) {
    const projection = Object.fromEntries(fields.map((f) => [f, 1]));
    const docs = await this.db.collection<any>(collection).find({}, { projection }).toArray();
    return docs.map(({ _id, ...rest }) => ({ ...Object.fromEntries(fields.map((f) => [f, null])), ...rest, ...(id ? { [id]: _id } : {}) }));
  }

  async orders() {
    return (await this.all('orders', ['status', 'expert_id', 'topic_id', 'price', 'rating', 'payAt', 'settledAt', 'refund'], 'o_id')) as any[];
  }
  async ledger() {
    return (await this.all('ledger', ['key', 'userID', 'o_id', 'amount', 'kind'], '')) as any[];
  }
  async payments() {
    return (await this.all('payments', ['o_id', 'status', 'kept'], 'pay_id')).map((p: any) => ({ ...p, kept: p.kept === true }));
  }
  async topics() {
    return (await this.all('topics', ['finish_count', 'rating_sum', 'rating_count'], 'topic_id')) as any[];
  }
  async chatSeqs() {
    const docs = await this.db
      .collection('messages')
      .aggregate([{ $group: { _id: '$o_id', count: { $sum: 1 }, seqs: { $addToSet: '$seq' }, min: { $min: '$seq' }, max: { $max: '$seq' } } }])
      .toArray();
    return docs.map((d) => ({ o_id: d._id as string, count: d.count as number, distinct: (d.seqs as number[]).length, min: d.min as number, max: d.max as number }));
  }
  async chatMembers() {
    return (await this.all('chat_members', ['o_id', 'userID', 'read_seq', 'last_seq', 'unread'], '')) as any[];
  }
}
