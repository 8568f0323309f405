import type { Db, Filter } from 'mongodb';
import { unwrap } from '../db/mongo';
import type { Order, OrderListRow, OrderPatch, OrderStatus } from './order.types';
import type { FinishedStats } from '../topics/topic.types';
import { embeds, type BriefSources } from './embeds';
import type { AdminOrderFilter, CommentListFilter, OrderListFilter, OrdersRepo, OrderUpdate, TransitionResult, UpdateCondition } from './orders.repo';

const toOrder = (d: any): Order => {
  const o = unwrap<any>(d, 'o_id');
  delete o.appealed;
  o.refund ??= null; // a document written without the field owes no refund
  return o as Order;
};

/** The fields of OrderBrief: an order list reads no more of each order. */
const BRIEF = { userID: 1, expert_id: 1, topic_id: 1, status: 1, rating: 1, createdAt: 1 } as const;

export class MongoOrdersRepo implements OrdersRepo {
  private col;
  /** `briefs`: where a list's topics and parties are read from (two batched reads per page). */
  constructor(
    db: Db,
    private briefs: BriefSources,
  ) {
    this.col = db.collection<any>('orders');
  }
  async ensureIndexes() {
    // Each list and sweep reads one bounded run of one index, already in its order (equality
    // fields, then the sort with `_id` last as the tiebreak, then ranges): see
    // test/db/mongo-indexes.test.ts, which checks every query the contract sends against these.
    await this.col.createIndexes([
      // a buyer's and an expert's orders in some statuses, newest first
      { key: { userID: 1, status: 1, createdAt: -1, _id: -1 } },
      { key: { expert_id: 1, status: 1, createdAt: -1, _id: -1 } },
      // the expiry sweeps: in a status, no open appeal, oldest statusAt first
      { key: { status: 1, appealed: 1, statusAt: 1 } },
      // the settlement sweep: finished and not yet settled
      { key: { status: 1, settledAt: 1 } },
      // comments of a topic or an expert, newest first
      { key: { topic_id: 1, commentAt: -1, _id: -1 }, partialFilterExpression: { commentAt: { $type: 'date' } } },
      { key: { expert_id: 1, commentAt: -1, _id: -1 }, partialFilterExpression: { commentAt: { $type: 'date' } } },
      // the staff console: every order, by status, or by appeal, newest first (and their counts)
      { key: { createdAt: -1, _id: -1 } },
      { key: { status: 1, createdAt: -1, _id: -1 } },
      { key: { appealed: 1, createdAt: -1, _id: -1 } },
      // the settlement's recount of a topic's finished orders (finishedStats), from the index alone
      { key: { topic_id: 1, status: 1, rating: 1 } },
      // the refunds-owed sweep (listRefundOwed): only orders that owe one are in it
      { key: { refund: 1, _id: 1 }, partialFilterExpression: { refund: 'owed' } },
    ]);
  }
  async insert({ o_id, ...rest }: Order) {
    await this.col.insertOne({ _id: o_id, ...rest, appealed: !!rest.appeal });
  }
  async get(o_id: string) {
    const d = await this.col.findOne({ _id: o_id });
    return d ? toOrder(d) : null;
  }
  async getParties(o_id: string) {
    const d = await this.col.findOne({ _id: o_id }, { projection: { userID: 1, expert_id: 1, status: 1 } });
    return d ? { o_id: d._id as string, userID: d.userID as string, expert_id: d.expert_id as string, status: d.status as OrderStatus } : null;
  }

  async list(f: OrderListFilter): Promise<OrderListRow[]> {
    const q: Filter<any> = f.userID ? { userID: f.userID } : { expert_id: f.expert_id };
    q.status = { $in: f.statuses };
    const docs = await this.col.find(q, { projection: BRIEF }).sort({ createdAt: -1, _id: -1 }).skip(f.skip).limit(f.limit).toArray();
    const other = f.userID ? 'expert_id' : 'userID';
    const [topicOf, partyOf] = await embeds(
      this.briefs,
      docs.map((d) => d.topic_id as string),
      docs.map((d) => d[other] as string),
    );
    return docs.map((d) => ({
      o_id: d._id,
      userID: d.userID,
      expert_id: d.expert_id,
      topic_id: d.topic_id,
      status: d.status,
      rating: d.rating,
      createdAt: d.createdAt,
      topic: topicOf.get(d.topic_id) ?? null,
      party: partyOf.get(d[other]) ?? null,
    }));
  }
  async listComments(f: CommentListFilter) {
    const q: Filter<any> = f.topic_id ? { topic_id: f.topic_id } : { expert_id: f.expert_id };
    q.commentAt = { $type: 'date' };
    return (await this.col.find(q).sort({ commentAt: -1, _id: -1 }).skip(f.skip).limit(f.limit).toArray()).map(toOrder);
  }
  async adminList(f: AdminOrderFilter) {
    const q: Filter<any> = {};
    if (f.statuses?.length) q.status = { $in: f.statuses };
    if (f.appealed !== undefined) q.appealed = f.appealed;
    if (f.party !== undefined) q.$or = [{ userID: f.party }, { expert_id: f.party }];
    if (f.o_id !== undefined) q._id = f.o_id;
    const [list, total] = await Promise.all([
      this.col.find(q).sort({ createdAt: -1, _id: -1 }).skip(f.skip).limit(f.limit).toArray(),
      this.col.countDocuments(q),
    ]);
    return { list: list.map(toOrder), total };
  }
  async transition(o_id: string, from: OrderStatus[], to: OrderStatus, timeField: keyof Order | null, now: Date, patch: OrderPatch): Promise<TransitionResult> {
    const set: Record<string, unknown> = { ...patch, status: to, statusAt: now, updatedAt: now };
    if (timeField) set[timeField] = now;
    if ('appeal' in patch) set.appealed = !!patch.appeal;
    // Single-document atomicity: the status test and the write are one step, so of racing
    // transitions exactly one finds the order in `from`.
    const d = await this.col.findOneAndUpdate({ _id: o_id, status: { $in: from } }, { $set: set }, { returnDocument: 'after' });
    if (d) return { order: toOrder(d), current: null };
    return { order: null, current: await this.get(o_id) };
  }
  async update(o_id: string, whileIn: OrderStatus[], set: OrderUpdate, cond: UpdateCondition = {}) {
    const q: Filter<any> = { _id: o_id, status: { $in: whileIn } };
    if (cond.appealOpen !== undefined) q.appealed = cond.appealOpen;
    if (cond.called !== undefined) q.called = cond.called;
    if (cond.refund !== undefined) q.refund = cond.refund;
    const $set: Record<string, unknown> = { ...set };
    if ('appeal' in set) $set.appealed = !!set.appeal;
    // Single-document atomicity, as in transition: the conditions hold when the write lands.
    const d = await this.col.findOneAndUpdate(q, { $set }, { returnDocument: 'after' });
    return d ? toOrder(d) : null;
  }
  async listDue(status: OrderStatus, before: Date, limit: number) {
    return (await this.col.find({ status, statusAt: { $lt: before }, appealed: false }).sort({ statusAt: 1 }).limit(limit).toArray()).map(toOrder);
  }
  async markSettled(o_id: string, now: Date) {
    const d = await this.col.findOneAndUpdate({ _id: o_id, status: 'finished', settledAt: null }, { $set: { settledAt: now } }, { returnDocument: 'after' });
    return d ? toOrder(d) : null;
  }

  /**
   * What the topic's finish_count and rating are made of: its finished orders, their number,
   * the sum of their ratings and how many have one (a rating of 0: finished without one).
   */
  async finishedStats(topic_id: string): Promise<FinishedStats> {
    const [r] = await this.col
      .aggregate([
        { $match: { topic_id, status: 'finished' } },
        { $group: { _id: null, finish_count: { $sum: 1 }, rating_sum: { $sum: '$rating' }, rating_count: { $sum: { $cond: [{ $gt: ['$rating', 0] }, 1, 0] } } } },
      ])
      .toArray();
    return { finish_count: r?.finish_count ?? 0, rating_sum: r?.rating_sum ?? 0, rating_count: r?.rating_count ?? 0 };
  }

  async listRefundOwed(limit: number, after = '') {
    return (await this.col.find({ refund: 'owed', _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).toArray()).map(toOrder);
  }

  async listUnsettled(limit: number) {
    return (await this.col.find({ status: 'finished', settledAt: null }).limit(limit).toArray()).map(toOrder);
  }
}
