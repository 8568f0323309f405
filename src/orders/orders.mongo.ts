import type { Db, Filter } from 'mongodb';
import { unwrap } from '../db/mongo';
import type { Order, OrderPatch, OrderStatus } from './order.types';
import { embeds, type BriefSources } from './embeds';
import type { AdminOrderFilter, CommentListFilter, OrderListFilter, OrderListRow, OrdersRepo, TransitionResult } from './orders.repo';

const toOrder = (d: any): Order => {
  const o = unwrap<any>(d, 'o_id');
  delete o.appealed;
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
    await this.col.createIndexes([
      { key: { userID: 1, createdAt: -1 } },
      { key: { expert_id: 1, createdAt: -1 } },
      { key: { status: 1, statusAt: 1 } },
      { key: { topic_id: 1, commentAt: -1 }, partialFilterExpression: { commentAt: { $type: 'date' } } },
      { key: { expert_id: 1, commentAt: -1 }, partialFilterExpression: { commentAt: { $type: 'date' } } },
      { key: { createdAt: -1 } },
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

  async getMany(ids: string[]) {
    return (await this.col.find({ _id: { $in: ids } }).toArray()).map(toOrder);
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
    const d = await this.col.findOneAndUpdate({ _id: o_id, status: { $in: from } }, { $set: set }, { returnDocument: 'after' });
    if (d) return { order: toOrder(d), current: null };
    return { order: null, current: await this.get(o_id) };
  }
  async update(o_id: string, whileIn: OrderStatus[], set: Partial<Order>, cond: { appealOpen?: boolean; called?: boolean } = {}) {
    const q: Filter<any> = { _id: o_id, status: { $in: whileIn } };
    if (cond.appealOpen !== undefined) q.appealed = cond.appealOpen;
    if (cond.called !== undefined) q.called = cond.called;
    const $set: Record<string, unknown> = { ...set };
    if ('appeal' in set) $set.appealed = !!set.appeal;
    const d = await this.col.findOneAndUpdate(q, { $set }, { returnDocument: 'after' });
    return d ? toOrder(d) : null;
  }
  async listDue(status: OrderStatus, before: Date, limit: number) {
    return (await this.col.find({ status, statusAt: { $lt: before }, appealed: false }).sort({ statusAt: 1 }).limit(limit).toArray()).map(toOrder);
  }
  async listUnsettled(limit: number) {
    return (await this.col.find({ status: 'finished', settledAt: null }).limit(limit).toArray()).map(toOrder);
  }
}
