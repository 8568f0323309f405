// Topics: an expert offers one, buyers order it. Its counters (finish_count, the rating) move
// only with an order's settlement (src/wallet/settlement.repo.ts), never here.
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { notFound } from '../errors';
import { newId } from '../ids';
import type { Topic } from './topic.types';

interface CreateTopicInput {
  title: string;
  category: string;
  /** fen */
  price: number;
}

export class TopicsService {
  constructor(
    private store: Pick<Store, 'topics'>,
    private now: () => Date = () => new Date(),
  ) {}

  /** A new topic whose expert is the caller. */
  async create(actor: Identity, input: CreateTopicInput): Promise<Topic> {
    const topic: Topic = {
      topic_id: newId(),
      expert_id: actor.userID,
      title: input.title,
      category: input.category,
      price: input.price,
      finish_count: 0,
      rating_sum: 0,
      rating_count: 0,
      createdAt: this.now(),
    };
    await this.store.topics.insert(topic);
    return topic;
  }

  /** The topic (904 when missing). */
  async mustGet(topic_id: string): Promise<Topic> {
    const topic = await this.store.topics.get(topic_id);
    if (!topic) throw notFound('topic_id: no such topic');
    return topic;
  }
}
