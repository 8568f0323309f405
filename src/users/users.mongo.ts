import type { Db } from 'mongodb';
import { unwrap } from '../db/mongo';
import type { ProfileBrief, UserProfile } from './user.types';
import type { UsersRepo } from './users.repo';

export class MongoUsersRepo implements UsersRepo {
  private col;
  constructor(db: Db) {
    this.col = db.collection<any>('users');
  }
  async ensureIndexes() {}
  async upsert({ userID, ...rest }: UserProfile) {
    await this.col.updateOne({ _id: userID }, { $set: rest }, { upsert: true });
  }
  async get(userID: string) {
    return unwrap<UserProfile>(await this.col.findOne({ _id: userID }), 'userID');
  }
  async getBriefs(ids: string[]): Promise<ProfileBrief[]> {
    const docs = await this.col.find({ _id: { $in: ids } }, { projection: { nick: 1, name: 1, avatar: 1, title: 1 } }).toArray();
    return docs.map((d) => ({ userID: d._id, nick: d.nick, name: d.name, avatar: d.avatar, title: d.title }));
  }
}
