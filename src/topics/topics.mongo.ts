import type { Db } from 'mongodb';
import { unwrap } from '../db/mongo';
import type { Topic, TopicsRepo } from './topics.repo';

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
  async getMany(ids: string[]) {
    return (await this.col.find({ _id: { $in: ids } }).toArray()).map((d) => unwrap<Topic>(d, 'topic_id')!);
  }
  async recordFinish(topic_id: string, rating: number) {
    await this.col.updateOne({ _id: topic_id }, { $inc: { finish_count: 1, rating_sum: rating, rating_count: rating > 0 ? 1 : 0 } });
  }
}
