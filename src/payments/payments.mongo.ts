import type { Db, Filter } from 'mongodb';
import { isDuplicateKey, unwrap } from '../db/mongo';
import type { Payment, PaymentStatus } from './payment.types';
import type { PaymentSweepFilter, PaymentsRepo } from './payments.repo';

const toPayment = (d: any): Payment => unwrap<Payment>(d, 'pay_id')!;

export class MongoPaymentsRepo implements PaymentsRepo {
  private col;
  constructor(db: Db) {
    this.col = db.collection<any>('payments');
  }
  async ensureIndexes() {
    await this.col.createIndexes([
      // Free payments have no charge: only real charge ids are unique.
      { key: { charge_id: 1 }, unique: true, partialFilterExpression: { charge_id: { $type: 'string' } } },
      // an order's payments in id order
      { key: { o_id: 1, _id: 1 } },
      // At most one payment per order is the one that paid it.
      { key: { o_id: 1, kept: 1 }, name: 'o_id_kept', unique: true, partialFilterExpression: { kept: true } },
      // the payment sweeps, paging by id: open ones in some statuses, or ones not updated lately
      { key: { status: 1, closedAt: 1, _id: 1 } },
      { key: { status: 1, _id: 1, updatedAt: 1 } },
    ]);
  }
  async insert({ pay_id, ...rest }: Payment) {
    await this.col.insertOne({ _id: pay_id, ...rest });
  }
  async get(pay_id: string) {
    const d = await this.col.findOne({ _id: pay_id });
    return d ? toPayment(d) : null;
  }
  async getByChargeId(charge_id: string) {
    const d = await this.col.findOne({ charge_id });
    return d ? toPayment(d) : null;
  }
  async listByOrder(o_id: string) {
    return (await this.col.find({ o_id }).sort({ _id: 1 }).toArray()).map(toPayment);
  }
  async update(pay_id: string, from: PaymentStatus[], set: Partial<Payment>, expectUpdatedAt?: Date) {
    const q: Filter<any> = { _id: pay_id, status: { $in: from } };
    if (expectUpdatedAt) q.updatedAt = expectUpdatedAt;
    const { pay_id: _ignored, ...$set } = set;
    // Single-document atomicity: of racing updates from one status exactly one matches.
    const d = await this.col.findOneAndUpdate(q, { $set }, { returnDocument: 'after' });
    return d ? toPayment(d) : null;
  }
  async keep(pay_id: string) {
    try {
      // The unique partial index o_id_kept refuses a second kept payment of the order.
      await this.col.updateOne({ _id: pay_id }, { $set: { kept: true } });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  async listForSweep(f: PaymentSweepFilter) {
    const q: Filter<any> = { status: { $in: f.statuses } };
    if (f.openOnly) q.closedAt = null;
    if (f.updatedBefore) q.updatedAt = { $lt: f.updatedBefore };
    if (f.after) q._id = { $gt: f.after };
    return (await this.col.find(q).sort({ _id: 1 }).limit(f.limit).toArray()).map(toPayment);
  }
}
