import Router from '@koa/router';
import { z } from 'zod';
import { caller, requireUser } from '../auth/middleware';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import type { CallsService } from './calls.service';

// Cloopen's callSid is 32 hex characters; other providers' ids are alphanumeric too.
export const callSidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a call id');

export function callsRoutes(router: Router, calls: CallsService) {
  router.post('/rest/order/:o_id/call', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    ok(ctx, await calls.start(caller(ctx), o_id));
  });

  router.get('/rest/call/:callSid', requireUser, async (ctx) => {
    const callSid = parse(callSidSchema, ctx.params.callSid, 'callSid');
    ok(ctx, await calls.get(caller(ctx), callSid));
  });
}
