import type { Topic, TopicBrief } from './topic.types';

export interface TopicsRepo {
  insert(topic: Topic): Promise<void>;
  get(topic_id: string): Promise<Topic | null>;
  /** The listed fields of these topics only (list embeds). */
  getBriefs(ids: string[]): Promise<TopicBrief[]>;
  // finish_count and the rating move only inside an order's settlement (src/wallet/settlement.repo.ts).
}
