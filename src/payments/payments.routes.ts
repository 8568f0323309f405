import Router from '@koa/router';
import { z } from 'zod';
import { caller, requireUser } from '../auth/middleware';
import { body } from '../http/fields';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import type { PaymentsService } from './payments.service';

export const paySchema = body({
  channel: z.enum(['alipay', 'wx'], { errorMap: () => ({ message: 'must be alipay or wx' }) }).default('alipay'),
  currency: z.enum(['cny'], { errorMap: () => ({ message: 'must be cny' }) }).default('cny'),
});

export const payResultInputSchema = body({
  status: z.enum(['success', 'cancel'], { errorMap: () => ({ message: 'must be success or cancel' }) }),
});

/** Ping++ wants the payer's IPv4 address; an IPv6 peer (or a local one) is sent as 127.0.0.1. */
function clientIpv4(ip: string): string {
  const v4 = ip.replace(/^::ffff:/i, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v4) ? v4 : '127.0.0.1';
}

export function paymentsRoutes(router: Router, payments: PaymentsService) {
  router.post('/rest/order/:o_id/pay', requireUser, jsonBody, async (ctx) => {
    const o_id = parseId(ctx.params.o_id, 'o_id');
    const input = parse(paySchema, ctx.request.body ?? {});
    const res = await payments.pay(caller(ctx), o_id, { ...input, clientIp: clientIpv4(ctx.ip) });
    ok(ctx, { pay_id: res.pay_id, charge: res.charge });
  });

  router.post('/rest/pay/:pay_id/result', requireUser, jsonBody, async (ctx) => {
    const pay_id = parseId(ctx.params.pay_id, 'pay_id');
    const input = parse(payResultInputSchema, ctx.request.body);
    ok(ctx, await payments.reportResult(caller(ctx), pay_id, input.status));
  });
}
