import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { notFound } from '../errors';
import { body, text } from '../http/fields';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import { newId } from '../ids';
import type { Topic, TopicsRepo } from './topics.repo';
import type { TopicInfo } from './topics.schema';

export const createTopicSchema = body({
  title: text(LIMITS.titleChars),
  category: text(50),
  price: z
    .number({ invalid_type_error: 'must be an integer number of fen', required_error: 'is required' })
    .int('must be an integer number of fen')
    .min(0, 'must be at least 0')
    .max(100_000_000, 'must be at most 100000000'),
});

export const topicRating = (t: Topic) => (t.rating_count ? Math.round((t.rating_sum / t.rating_count) * 10) / 10 : 0);

export function topicsRoutes(router: Router, topics: TopicsRepo) {
  router.post('/rest/topic', requireUser, jsonBody, async (ctx) => {
    const me = caller(ctx);
    const input = parse(createTopicSchema, ctx.request.body);
    const topic: Topic = {
      topic_id: newId(),
      expert_id: me.userID,
      title: input.title,
      category: input.category,
      price: input.price,
      finish_count: 0,
      rating_sum: 0,
      rating_count: 0,
      createdAt: new Date(),
    };
    await topics.insert(topic);
    ok(ctx, { topic_id: topic.topic_id });
  });

  router.get('/rest/topic/:topic_id', async (ctx) => {
    const t = await topics.get(parseId(ctx.params.topic_id, 'topic_id'));
    if (!t) throw notFound('topic_id: no such topic');
    ok(ctx, {
      info: { topic_id: t.topic_id, title: t.title, category: t.category, price: t.price, expert_id: t.expert_id, finish_count: t.finish_count, rating: topicRating(t) } satisfies TopicInfo,
    });
  });
}
