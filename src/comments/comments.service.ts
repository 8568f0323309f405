// Comments live on the order (only orders/ writes them); this reads them for the two public lists.
import type { Store } from '../db/store';
import type { Page } from '../http/pagination';
import { embeds } from '../orders/embeds';
import { commentItem } from '../orders/order.view';
import type { TopicsService } from '../topics/topics.service';

export class CommentsService {
  constructor(
    private store: Pick<Store, 'orders' | 'topics' | 'users'>,
    private topics: TopicsService,
  ) {}

  /** A topic's comments, newest first, each with its buyer (904 for an unknown topic). */
  async ofTopic(topic_id: string, page: Page) {
    const [, list] = await Promise.all([this.topics.mustGet(topic_id), this.store.orders.listComments({ topic_id, skip: page.skip, limit: page.limit })]);
    const [, users] = await embeds(this.store, [], list.map((o) => o.userID));
    return list.map((o) => commentItem(o, users));
  }

  /** The comments on an expert's orders, newest first, each with its buyer and topic. */
  async ofExpert(expert_id: string, page: Page) {
    const list = await this.store.orders.listComments({ expert_id, skip: page.skip, limit: page.limit });
    const [topics, users] = await embeds(this.store, list.map((o) => o.topic_id), list.map((o) => o.userID));
    return list.map((o) => commentItem(o, users, topics));
  }
}
