import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { body, optionalText, text } from '../http/fields';
import { answer, hexId, isoTime, isoTimeOrEmpty } from '../http/answers';
import { badInput } from '../errors';
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

// Answers (README.md, "Orders"): order.view.ts takes its types from these.
const orderStatus = z.enum(ORDER_STATUSES);

/** The status and its time fields, as pushed with every `order` event. */
export const orderTimesSchema = answer({
  o_id: hexId,
  status: orderStatus,
  updatedAt: isoTimeOrEmpty,
  confirmAt: isoTimeOrEmpty,
  rejectAt: isoTimeOrEmpty,
  payAt: isoTimeOrEmpty,
  finishAt: isoTimeOrEmpty,
  completeAt: isoTimeOrEmpty,
  cancelAt: isoTimeOrEmpty,
  commentAt: isoTimeOrEmpty,
  called: z.boolean(),
  appealed: z.boolean(),
});

export const orderDetailSchema = orderTimesSchema
  .extend({
    userID: hexId.describe('the buyer'),
    expert_id: hexId.describe('the seller'),
    topic_id: hexId,
    question: z.string(),
    self_desc: z.string(),
    price: z.number().int().min(0).describe('fen'),
    comment: z.string(),
    rating: z.number().int().min(0).max(5).describe('1–5 once commented, 0 before'),
    createdAt: isoTimeOrEmpty,
    reason: z.string().describe('the cancel or reject reason'),
  })
  .strict();

const topicBriefSchema = answer({
  topic_id: hexId,
  title: z.string(),
  category: z.string(),
  finish_count: z.string().regex(/^\d+$/).describe('a count, as a string'),
});
const userBriefSchema = answer({ userID: hexId, nick: z.string(), avatar: z.string() });
export const expertBriefSchema = answer({ userID: hexId, nick: z.string(), name: z.string(), avatar: z.string(), title: z.string() });

const listItemFields = {
  o_id: hexId,
  userID: hexId,
  status: orderStatus,
  rating: z.number().int().min(0).max(5),
  createdAt: isoTimeOrEmpty,
  topic: topicBriefSchema,
};
const banner = z.string().describe('what an in-progress order shows in the list; "" for the others');
/** A row of the buyer's list: the expert embedded. */
export const buyerListItemSchema = answer({ ...listItemFields, expert: expertBriefSchema, banner });
/** A row of the expert's list: the buyer embedded. */
export const expertListItemSchema = answer({ ...listItemFields, user: userBriefSchema, banner });

/** A comment under a topic; a comment in an expert's list also names its topic. */
export const topicCommentSchema = answer({
  o_id: hexId,
  comment: z.string(),
  rating: z.number().int().min(1).max(5),
  type: z.enum(['phone']),
  commentAt: isoTimeOrEmpty,
  userID: hexId,
  user: userBriefSchema,
});
export const expertCommentSchema = topicCommentSchema.extend({ topic_id: hexId, topic: answer({ topic_id: hexId, title: z.string() }) }).strict();

export type OrderTimes = z.infer<typeof orderTimesSchema>;
export type OrderDetail = z.infer<typeof orderDetailSchema>;
export type TopicBriefView = z.infer<typeof topicBriefSchema>;
export type UserBrief = z.infer<typeof userBriefSchema>;
export type ExpertBrief = z.infer<typeof expertBriefSchema>;
export type BuyerListItem = z.infer<typeof buyerListItemSchema>;
export type ExpertListItem = z.infer<typeof expertListItemSchema>;
/** Built as a topic comment; the expert's list adds the topic. */
export type CommentItem = z.infer<typeof topicCommentSchema> & Partial<Pick<z.infer<typeof expertCommentSchema>, 'topic_id' | 'topic'>>;
