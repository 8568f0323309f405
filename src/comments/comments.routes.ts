// The two public readings of comments.
import Router from '@koa/router';
import { PAGE } from '../../config/defaults';
import { ok } from '../http/middleware';
import { parsePage } from '../http/pagination';
import { parseId } from '../http/validate';
import type { CommentsService } from './comments.service';

export function commentsRoutes(router: Router, comments: CommentsService) {
  router.get('/rest/topic/:topic_id/comments', async (ctx) => {
    const topic_id = parseId(ctx.params.topic_id, 'topic_id');
    const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
    ok(ctx, { list: await comments.ofTopic(topic_id, page) });
  });

  router.get('/rest/user/:userID/comments', async (ctx) => {
    const expert_id = parseId(ctx.params.userID, 'userID');
    const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
    ok(ctx, { list: await comments.ofExpert(expert_id, page) });
  });
}
