// Unread messages over REST (README.md). Registered before ordersRoutes (see app.ts): `/rest/order/:o_id` would
// otherwise take `unreadnum` for an order id.
import type Router from '@koa/router';
import { caller, requireUser } from '../auth/middleware';
import { ok } from '../http/middleware';
import type { ChatService } from './chat.service';

export function chatRoutes(router: Router, chat: ChatService, opts: { unreadChatOrdersMax: number }) {
  router.get('/rest/order/unreadnum', requireUser, async (ctx) => {
    ok(ctx, { info: await chat.unreadNumbers(caller(ctx).userID) });
  });

  // Marks what it returns as read and sends `read` to the room (docs/protocol.md); a bounded
  // number of orders per call, so one answer never grows with the user's chats.
  router.get('/rest/order/unreadchat', requireUser, async (ctx) => {
    ok(ctx, { list: await chat.unreadChat(caller(ctx).userID, opts.unreadChatOrdersMax) });
  });
}
