// The customer-service console's chat endpoints: an order's messages and the system-message
// definitions (docs/system-messages.md; `{data}` / `{error}` envelope, staff only). `router` carries the
// `/v1/admin` prefix (app.ts), so the paths here are relative to it.
import type Router from '@koa/router';
import { z } from 'zod';
import { caller } from '../auth/middleware';
import type { ChatService } from '../chat/chat.service';
import { adminMessageItem } from '../chat/chat.view';
import type { SystemMessagesService } from '../chat/system-messages.service';
import { badInput } from '../errors';
import { text } from '../http/fields';
import { parsePage } from '../http/pagination';
import { parse, parseId } from '../http/validate';

const SYSTEM_TEXT_CHARS = 500;
const defFields = {
  key: z
    .string({ invalid_type_error: 'must be a string' })
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case (a-z, 0-9, _), at most 64 characters'),
  buyer: text(SYSTEM_TEXT_CHARS),
  seller: text(SYSTEM_TEXT_CHARS),
  admin: text(SYSTEM_TEXT_CHARS),
};
export const createDefSchema = z.object(defFields, { invalid_type_error: 'must be a JSON object', required_error: 'must be a JSON object' });
/** A console may send all four fields or only the changed ones. */
export const updateDefSchema = createDefSchema.partial();

/** `limit`, or the console's `per_page`, with `page`. */
const pageOf = (query: Record<string, unknown>) => parsePage({ ...query, limit: query.limit ?? query.per_page });

export function adminChatRoutes(router: Router, chat: ChatService, systemMessages: SystemMessagesService) {
  router.get('/orders/:id/messages', async (ctx) => {
    const o_id = parseId(ctx.params.id, 'id');
    const page = pageOf(ctx.query);
    const r = await chat.adminPage(caller(ctx), o_id, page.skip, page.limit);
    ctx.body = {
      data: { list: r.list.map((m) => adminMessageItem(m, r.texts, r.members)), meta: { page: page.page, limit: page.limit, total: r.total } },
    };
  });

  router.get('/systemmessages', async (ctx) => {
    const page = pageOf(ctx.query);
    const { list, total } = await systemMessages.list(page.skip, page.limit);
    ctx.body = { data: { list, meta: { page: page.page, limit: page.limit, total } } };
  });

  // Before /systemmessages/:id, which would take `builtin` for a (bad) id.
  router.get('/systemmessages/builtin', (ctx) => {
    ctx.body = { data: { list: systemMessages.builtin() } };
  });

  router.get('/systemmessages/:id', async (ctx) => {
    ctx.body = { data: await systemMessages.get(parseId(ctx.params.id, 'id')) };
  });

  router.post('/systemmessages', async (ctx) => {
    const input = parse(createDefSchema, ctx.request.body);
    ctx.body = { data: await systemMessages.create(input) };
  });

  router.put('/systemmessages/:id', async (ctx) => {
    const id = parseId(ctx.params.id, 'id');
    const input = parse(updateDefSchema, ctx.request.body);
    if (Object.keys(input).length === 0) throw badInput('body: give at least one of key, buyer, seller, admin');
    ctx.body = { data: await systemMessages.update(id, input) };
  });

  router.delete('/systemmessages/:id', async (ctx) => {
    const id = parseId(ctx.params.id, 'id');
    await systemMessages.remove(id);
    ctx.body = { data: { id } };
  });
}
