// Answers of the topic endpoints (README.md, "Topics").
import { z } from 'zod';
import { answer, hexId } from '../http/answers';

export const topicInfoSchema = answer({
  topic_id: hexId,
  title: z.string(),
  category: z.string(),
  price: z.number().int().min(0).describe('fen'),
  expert_id: hexId,
  finish_count: z.number().int().min(0),
  rating: z.number().min(0).max(5).describe('the mean rating to one decimal; 0 before any'),
});
export type TopicInfo = z.infer<typeof topicInfoSchema>;
