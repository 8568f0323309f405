export interface Topic {
  topic_id: string;
  expert_id: string;
  title: string;
  category: string;
  /** fen */
  price: number;
  finish_count: number;
  rating_sum: number;
  rating_count: number;
  createdAt: Date;
}

/** A topic's counters as its finished orders make them. */
export type FinishedStats = Pick<Topic, 'finish_count' | 'rating_sum' | 'rating_count'>;

/** What an order list embeds of a topic. */
export type TopicBrief = Pick<Topic, 'topic_id' | 'title' | 'category' | 'finish_count'>;
