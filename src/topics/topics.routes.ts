import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { body, text } from '../http/fields';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import type { Topic } from './topic.types';
import type { TopicsService } from './topics.service';
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

const topicRating = (t: Topic) => (t.rating_count ? Math.round((t.rating_sum / t.rating_count) * 10) / 10 : 0);

export function topicsRoutes(router: Router, topics: TopicsService) {
  router.post('/rest/topic', requireUser, jsonBody, async (ctx) => {
    const topic = await topics.create(caller(ctx), parse(createTopicSchema, ctx.request.body));
    ok(ctx, { topic_id: topic.topic_id });
  });

  router.get('/rest/topic/:topic_id', async (ctx) => {
    const t = await topics.mustGet(parseId(ctx.params.topic_id, 'topic_id'));
    ok(ctx, {
      info: { topic_id: t.topic_id, title: t.title, category: t.category, price: t.price, expert_id: t.expert_id, finish_count: t.finish_count, rating: topicRating(t) } satisfies TopicInfo,
    });
  });
}
