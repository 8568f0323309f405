import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { body, optionalText, text } from '../http/fields';
import { badInput } from '../http/errors';
import { ORDER_STATUSES, type OrderStatus } from './order.types';

export const createOrderSchema = body({
  question: text(LIMITS.questionChars),
  self_desc: text(LIMITS.selfDescChars),
});

export const reasonSchema = body({ reason: optionalText(LIMITS.reasonChars) }).optional();

export const confirmSchema = body({
  status: z.enum(['confirmed', 'rejected'], { errorMap: () => ({ message: 'must be confirmed or rejected' }) }).optional(),
  reason: optionalText(LIMITS.reasonChars),
})
  .optional()
  .superRefine((v, ctx) => {
    if (v?.status === 'rejected' && !v.reason?.trim()) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when status is rejected' });
  });

/** The apps send rating as a string "1"–"5"; numbers are accepted too. */
export const commentSchema = body({
  comment: text(LIMITS.commentChars),
  rating: z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'must be an integer from 1 to 5')], { errorMap: () => ({ message: 'must be an integer from 1 to 5' }) })
    .pipe(z.coerce.number().int('must be an integer from 1 to 5').min(1, 'must be an integer from 1 to 5').max(5, 'must be an integer from 1 to 5')),
});

export const appealSchema = body({ reason: text(LIMITS.reasonChars) });

/** `status=a,b,c`; default: every status but canceled. */
export function parseStatuses(raw: unknown): OrderStatus[] {
  if (raw === undefined || raw === '') return ORDER_STATUSES.filter((s) => s !== 'canceled');
  if (typeof raw !== 'string') throw badInput('status: must be a comma-separated string');
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) if (!(ORDER_STATUSES as readonly string[]).includes(s)) throw badInput(`status: unknown status ${JSON.stringify(s).slice(0, 40)}`);
  if (list.length === 0) throw badInput('status: must name at least one status');
  return [...new Set(list)] as OrderStatus[];
}

/** The optional client/platform/channel headers an order keeps. */
export function clientHeaders(get: (name: string) => string) {
  const h = (n: string) => get(n).slice(0, 64);
  return { client: h('client'), platform: h('platform'), channel: h('channel') };
}
