// Comments live on the order (only orders/ writes them); these are the two public readings.
import Router from '@koa/router';
import { PAGE } from '../../config/defaults';
import type { Store } from '../db/store';
import { notFound } from '../errors';
import { ok } from '../http/middleware';
import { parsePage } from '../http/pagination';
import { parseId } from '../http/validate';
import { commentItem } from '../orders/order.view';
import { embeds } from '../orders/embeds';

export function commentsRoutes(router: Router, store: Store) {
  router.get('/rest/topic/:topic_id/comments', async (ctx) => {
    const topic_id = parseId(ctx.params.topic_id, 'topic_id');
    const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
    const [topic, list] = await Promise.all([store.topics.get(topic_id), store.orders.listComments({ topic_id, ...page })]);
    if (!topic) throw notFound('topic_id: no such topic');
    const [, users] = await embeds(store, [], list.map((o) => o.userID));
    ok(ctx, { list: list.map((o) => commentItem(o, users)) });
  });

  router.get('/rest/user/:userID/comments', async (ctx) => {
    const expert_id = parseId(ctx.params.userID, 'userID');
    const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
    const list = await store.orders.listComments({ expert_id, ...page });
    const [topics, users] = await embeds(store, list.map((o) => o.topic_id), list.map((o) => o.userID));
    ok(ctx, { list: list.map((o) => commentItem(o, users, topics)) });
  });
}
