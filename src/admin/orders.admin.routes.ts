// The customer-service console's order endpoints (the admin envelope of docs/errors.md: `{data}` / `{error}`).
import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller } from '../auth/middleware';
import { optionalText } from '../http/fields';
import { parsePage } from '../http/pagination';
import { parse, parseId } from '../http/validate';
import { orderDetail } from '../orders/order.view';
import { parseStatuses } from '../orders/orders.schema';
import type { OrdersService } from '../orders/orders.service';
import type { Store } from '../db/store';

export const appealedSchema = z.enum(['true', 'false', '1', '0'], { errorMap: () => ({ message: 'must be true or false' }) }).optional();

export const adminCancelSchema = z.object({ reason: optionalText(LIMITS.reasonChars) }).optional();

/** `router` carries the `/v1/admin` prefix (app.ts), so the paths here are relative to it. */
export function adminOrdersRoutes(router: Router, orders: OrdersService, store: Store) {
  router.get('/orders', async (ctx) => {
    const statuses = ctx.query.status === undefined ? undefined : parseStatuses(ctx.query.status);
    const appealedRaw = parse(appealedSchema, ctx.query.appealed, 'appealed');
    const page = parsePage({ ...ctx.query, limit: ctx.query.limit ?? ctx.query.per_page });
    const { list, total } = await store.orders.adminList({
      statuses,
      appealed: appealedRaw === undefined ? undefined : appealedRaw === 'true' || appealedRaw === '1',
      skip: page.skip,
      limit: page.limit,
    });
    ctx.body = { data: { list: list.map((o) => ({ ...orderDetail(o), appeal: o.appeal })), meta: { page: page.page, limit: page.limit, total } } };
  });

  router.post('/orders/:id/cancel', async (ctx) => {
    const o_id = parseId(ctx.params.id, 'id');
    const input = parse(adminCancelSchema, ctx.request.body);
    const order = await orders.adminCancel(caller(ctx), o_id, input?.reason ?? '');
    ctx.body = { data: { o_id: order.o_id, status: order.status } };
  });
}
