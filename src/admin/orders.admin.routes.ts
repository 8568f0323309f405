// The customer-service console's order endpoints (the admin envelope of docs/errors.md: `{data}` / `{error}`).
import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller } from '../auth/middleware';
import { optionalText } from '../http/fields';
import { parsePage } from '../http/pagination';
import { parse, parseId } from '../http/validate';
import type { AdminOrdersService } from './admin-orders.service';
import { orderDetail } from '../orders/order.view';
import { parseStatuses } from '../orders/orders.schema';
import type { OrdersService } from '../orders/orders.service';

export const appealedSchema = z.enum(['true', 'false', '1', '0'], { errorMap: () => ({ message: 'must be true or false' }) }).optional();

export const adminCancelSchema = z.object({ reason: optionalText(LIMITS.reasonChars) }).optional();

/** An empty filter field counts as not given, as a console's cleared input sends it. */
const optionalId = (value: unknown, name: string) => (value === undefined || value === '' ? undefined : parseId(value, name));

/** `router` carries the `/v1/admin` prefix (app.ts), so the paths here are relative to it. */
export function adminOrdersRoutes(router: Router, orders: OrdersService, adminOrders: AdminOrdersService) {
  router.get('/orders', async (ctx) => {
    const statuses = ctx.query.status === undefined ? undefined : parseStatuses(ctx.query.status);
    const appealedRaw = parse(appealedSchema, ctx.query.appealed, 'appealed');
    const party = optionalId(ctx.query.userID, 'userID');
    const o_id = optionalId(ctx.query.o_id, 'o_id');
    const page = parsePage({ ...ctx.query, limit: ctx.query.limit ?? ctx.query.per_page });
    const { list, total } = await adminOrders.list({
      statuses,
      appealed: appealedRaw === undefined ? undefined : appealedRaw === 'true' || appealedRaw === '1',
      party,
      o_id,
      skip: page.skip,
      limit: page.limit,
    });
    ctx.body = { data: { list: list.map((o) => ({ ...orderDetail(o), appeal: o.appeal, refund: o.refund })), meta: { page: page.page, limit: page.limit, total } } };
  });

  router.get('/orders/:id', async (ctx) => {
    ctx.body = { data: await adminOrders.detail(parseId(ctx.params.id, 'id')) };
  });

  router.post('/orders/:id/cancel', async (ctx) => {
    const o_id = parseId(ctx.params.id, 'id');
    const input = parse(adminCancelSchema, ctx.request.body);
    const order = await orders.adminCancel(caller(ctx), o_id, input?.reason ?? '');
    // A paid order's refund is owed now and performed after this answer.
    ctx.body = { data: { o_id: order.o_id, status: order.status, refund: order.refund } };
  });
}
