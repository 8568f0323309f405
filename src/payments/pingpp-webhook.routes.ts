// Ping++ webhooks: verified over the raw bytes with PINGPP_PUBLIC_KEY before anything is
// changed. Ping++ retries anything but a 2xx, so a handled or ignored event
// answers 200 and a store failure answers 5xx (and is delivered again).
import Router from '@koa/router';
import { z } from 'zod';
import type { Middleware } from 'koa';
import { jsonBody } from '../http/body';
import { unauthorized } from '../errors';
import { ok } from '../http/middleware';
import { parse } from '../http/validate';
import { verifyWebhookSignature } from './pingpp-signature';
import type { PaymentsService } from './payments.service';

export const pingppEventSchema = z.object({
  id: z.string({ invalid_type_error: 'must be a string' }),
  type: z.string({ invalid_type_error: 'must be a string' }),
  data: z.object({ object: z.record(z.unknown()) }),
});

export function pingppWebhookRoutes(router: Router, payments: PaymentsService, publicKeyPem: string | undefined) {
  // Without a key nothing could verify, so the body is not even read.
  const requireKey: Middleware = (_ctx, next) => {
    if (!publicKeyPem) throw unauthorized('x-pingplusplus-signature: webhooks are refused: PINGPP_PUBLIC_KEY is not set');
    return next();
  };
  router.post('/rest/webhooks/pingpp', requireKey, jsonBody, async (ctx) => {
    const raw = ctx.request.rawBody;
    const signature = ctx.get('x-pingplusplus-signature') || undefined;
    if (typeof raw !== 'string' || !verifyWebhookSignature(raw, signature, publicKeyPem!)) {
      throw unauthorized('x-pingplusplus-signature: the signature does not verify');
    }
    const event = parse(pingppEventSchema, ctx.request.body);
    const handled = await payments.handleEvent(event.type, event.data.object);
    ctx.state.log?.info({ event: event.id, type: event.type, handled }, 'pingpp webhook');
    ok(ctx, { handled });
  });
}
