import type { Db } from 'mongodb';
import { unwrap } from '../db/mongo';
import type { FinishedStats, Topic, TopicBrief } from './topic.types';
import type { TopicsRepo } from './topics.repo';

export class MongoTopicsRepo implements TopicsRepo {
  private col;
  constructor(db: Db) {
    this.col = db.collection<any>('topics');
  }
  async ensureIndexes() {
    await this.col.createIndex({ expert_id: 1 });
  }
  async insert({ topic_id, ...rest }: Topic) {
    await this.col.insertOne({ _id: topic_id, ...rest });
  }
  async get(id: string) {
    return unwrap<Topic>(await this.col.findOne({ _id: id }), 'topic_id');
  }
  async getBriefs(ids: string[]): Promise<TopicBrief[]> {
    const docs = await this.col.find({ _id: { $in: ids } }, { projection: { title: 1, category: 1, finish_count: 1 } }).toArray();
    return docs.map((d) => ({ topic_id: d._id, title: d.title, category: d.category, finish_count: d.finish_count }));
  }
  /**
   * Sets the counters to a recount of the topic's finished orders (settlement.mongo.ts). $max:
   * the counts only grow (a finished order stays finished, its rating fixed), so a recount
   * that read fewer orders than another, racing it, never lowers what that one wrote.
   */
  async raiseFinishCounts(topic_id: string, stats: FinishedStats) {
    await this.col.updateOne({ _id: topic_id }, { $max: { ...stats } });
  }
}
