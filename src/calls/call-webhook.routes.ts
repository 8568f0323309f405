// The call provider's hang-up record (Cloopen POSTs it to hangupCdrUrl). Cloopen does not
// sign it, so a shared token in the URL (?token=) or the x-webhook-token header protects it;
// without CALL_WEBHOOK_TOKEN every callback is refused.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { sameToken } from '../auth/same-token';
import { jsonBody } from '../http/body';
import { badInput, unauthorized } from '../errors';
import { ok } from '../http/middleware';
import { parseCloopenCdr } from './cloopen-cdr';
import type { CallsService } from './calls.service';
import type { CallStatusUpdate } from './provider';

export function callWebhookRoutes(router: Router, calls: CallsService, token: string | undefined) {
  const requireWebhookToken: Middleware = (ctx, next) => {
    if (!token) throw unauthorized('token: call callbacks are refused: CALL_WEBHOOK_TOKEN is not set');
    const given = ctx.get('x-webhook-token') || ctx.query.token;
    if (!sameToken(given, token)) throw unauthorized('token: missing or wrong webhook token');
    return next();
  };
  router.post('/rest/webhooks/call', requireWebhookToken, jsonBody, async (ctx) => {
    let update: CallStatusUpdate;
    try {
      update = parseCloopenCdr(ctx.request.body);
    } catch (err) {
      throw badInput((err as Error).message.replace(/^Cloopen CDR: /, ''));
    }
    const changed = await calls.applyStatus(update);
    ok(ctx, { changed });
  });
}
