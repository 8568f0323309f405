// Seed 000 §14–15. Registered before ordersRoutes (see app.ts): `/rest/order/:o_id` would
// otherwise take `unreadnum` for an order id.
import type Router from '@koa/router';
import { caller, requireUser } from '../auth/middleware';
import { ok, okJson } from '../http/middleware';
import type { ChatService } from './chat.service';

export function chatRoutes(router: Router, chat: ChatService, opts: { unreadChatOrdersMax: number }) {
  router.get('/rest/order/unreadnum', requireUser, async (ctx) => {
    const userID = caller(ctx).userID;
    const json = await chat.unreadNumbersJson(userID);
    if (json !== undefined) return okJson(ctx, 'info', json);
    ok(ctx, { info: await chat.unreadNumbers(userID) });
  });

  // Marks what it returns as read and sends `read` to the room, as the seed describes; a
  // bounded number of orders per call, so one answer never grows with the user's chats.
  router.get('/rest/order/unreadchat', requireUser, async (ctx) => {
    ok(ctx, { list: await chat.unreadChat(caller(ctx).userID, opts.unreadChatOrdersMax) });
  });
}
