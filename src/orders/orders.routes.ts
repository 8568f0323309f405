import Router from '@koa/router';
import { PAGE } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parsePage } from '../http/pagination';
import { parse, parseId } from '../http/validate';
import { listItem, orderDetail } from './order.view';
import { appealSchema, clientHeaders, commentSchema, confirmSchema, createOrderSchema, parseStatuses, reasonSchema } from './orders.schema';
import type { OrdersService } from './orders.service';

export function ordersRoutes(router: Router, orders: OrdersService) {
  router.post('/rest/topic/:topic_id/order', requireUser, jsonBody, async (ctx) => {
    const topic_id = parseId(ctx.params.topic_id, 'topic_id');
    const input = parse(createOrderSchema, ctx.request.body);
    const order = await orders.create(caller(ctx), topic_id, { ...input, ...clientHeaders((n) => ctx.get(n)) });
    ok(ctx, { o_id: order.o_id });
  });

  // The buyer's orders and the expert's (README.md, "Orders"): same paging and filter, other party embedded.
  for (const [path, viewer] of [['/rest/orders', 'buyer'], ['/rest/expert/orders', 'expert']] as const) {
    router.get(path, requireUser, async (ctx) => {
      const statuses = parseStatuses(ctx.query.status);
      const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
      const me = caller(ctx).userID;
      const filter = { ...(viewer === 'buyer' ? { userID: me } : { expert_id: me }), statuses, ...page };
      const list = await orders.list(filter);
      ok(ctx, { list: list.map((o) => listItem(o, viewer)) });
    });
  }

  // Registered after the static /rest/order/unread* routes of the chat (see app.ts).
  router.get('/rest/order/:o_id', requireUser, async (ctx) => {
    const who = caller(ctx);
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const order = await orders.getFor(who, o_id);
    ok(ctx, { info: orderDetail(order) });
  });

  router.post('/rest/order/:o_id/cancel', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const input = parse(reasonSchema, ctx.request.body);
    await orders.cancel(caller(ctx), o_id, input?.reason ?? '');
    ok(ctx);
  });

  router.post('/rest/order/:o_id/confirm', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const input = parse(confirmSchema, ctx.request.body);
    await orders.confirm(caller(ctx), o_id, input?.status ?? 'confirmed', input?.reason ?? '');
    ok(ctx);
  });

  router.post('/rest/order/:o_id/finish', requireUser, jsonBody, async (ctx) => {
    await orders.finish(caller(ctx), parseId(ctx.params.o_id, 'o_id'));
    ok(ctx);
  });

  router.post('/rest/order/:o_id/comment', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const input = parse(commentSchema, ctx.request.body);
    await orders.comment(caller(ctx), o_id, input.comment, input.rating);
    ok(ctx);
  });

  router.post('/rest/order/:o_id/appeal', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const input = parse(appealSchema, ctx.request.body);
    await orders.appeal(caller(ctx), o_id, input.reason);
    ok(ctx);
  });

  router.post('/rest/order/:o_id/appeal/resolve', requireUser, jsonBody, async (ctx) => {
    await orders.resolveAppeal(caller(ctx), parseId(ctx.params.o_id, 'o_id'));
    ok(ctx);
  });
}
