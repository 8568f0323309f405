// The route table: every HTTP endpoint once, with what it takes and what it answers. The
// routers keep their handlers; /openapi.json is generated from this table, a test fails when
// a router holds a route missing here, and the test client checks every answer against it.
import { z, type AnyZodObject, type ZodTypeAny } from 'zod';
import { adminOrderDetailSchema, adminOrderSchema, builtinTextsSchema, refundStateSchema } from '../admin/admin.schema';
import { adminCancelSchema, appealedSchema } from '../admin/orders.admin.routes';
import { createDefSchema, updateDefSchema } from '../admin/chat.admin.routes';
import { callSidSchema } from '../calls/calls.routes';
import { callInfoSchema, callStartedSchema } from '../calls/calls.schema';
import { adminMessageItemSchema, systemMessageDefSchema, unreadChatSchema, unreadNumbersSchema } from '../chat/chat.schema';
import { adminError, adminList, adminOk, answer, hexId, restError, restOk } from '../http/answers';
import { Code, type FailureCode } from '../errors';
import { httpStatusOf } from '../http/errors';
import { pageQuerySchema } from '../http/pagination';
import {
  appealSchema,
  buyerListItemSchema,
  commentSchema,
  confirmSchema,
  createOrderSchema,
  expertCommentSchema,
  expertListItemSchema,
  orderDetailSchema,
  reasonSchema,
  topicCommentSchema,
} from '../orders/orders.schema';
import { ORDER_STATUSES } from '../orders/order.types';
import { paySchema, payResultInputSchema } from '../payments/payments.routes';
import { payResultSchema, payStartedSchema, webhookHandledSchema } from '../payments/payments.schema';
import { pingppEventSchema } from '../payments/pingpp-webhook.routes';
import { createTopicSchema } from '../topics/topics.routes';
import { topicInfoSchema } from '../topics/topics.schema';
import { profileSchema } from '../users/users.routes';
import { userInfoSchema } from '../users/users.schema';
import { walletSummarySchema } from '../wallet/wallet.schema';

export type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * Who may call: a user's token; a staff token; anyone (a token sent is still checked);
 * or the caller the webhook checks itself (a signature, a shared token).
 */
export type Access = 'user' | 'staff' | 'anyone' | 'webhook';

interface ApiResponse {
  description: string;
  /** absent for an answer that is not JSON (the HTML reference and its files) */
  schema?: ZodTypeAny;
  contentType: string;
  /** the failure codes this HTTP status carries */
  codes?: FailureCode[];
}

/** What a route declares about itself, whatever it answers. */
interface RouteBase {
  /** as the router declares it: `/rest/order/:o_id` */
  path: string;
  tag: string;
  summary: string;
  access: Access;
  params?: AnyZodObject;
  query?: AnyZodObject;
  body?: ZodTypeAny;
}

export interface ApiRoute extends RouteBase {
  method: Method;
  /** by HTTP status */
  responses: Record<number, ApiResponse>;
}

interface RouteInput extends RouteBase {
  /** the success answer, envelope included */
  answer: ZodTypeAny;
  /** the failures this route gives besides those every route of its API can give */
  errors?: FailureCode[];
}

/** Any route may refuse bad input, a bad token or too many requests, or fail unexpectedly. */
const COMMON: FailureCode[] = [Code.BAD_INPUT, Code.UNAUTHORIZED, Code.RATE_LIMITED, Code.INTERNAL];

function failures(codes: FailureCode[], hasBody: boolean, envelope: (codes: FailureCode[]) => ZodTypeAny): Record<number, ApiResponse> {
  const byStatus = new Map<number, FailureCode[]>();
  for (const c of new Set(codes)) byStatus.set(httpStatusOf[c], [...(byStatus.get(httpStatusOf[c]) ?? []), c]);
  // A body over 1 MB is refused before it is read: a 901 with HTTP 413.
  if (hasBody) byStatus.set(413, [Code.BAD_INPUT]);
  const out: Record<number, ApiResponse> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a - b);
    out[status] = { description: `failure: ${list.join(', ')} (docs/errors.md)`, schema: envelope(list), contentType: 'application/json', codes: list };
  }
  return out;
}

const json = (description: string, schema: ZodTypeAny): ApiResponse => ({ description, schema, contentType: 'application/json' });

const route =
  (method: Method) =>
  (r: RouteInput): ApiRoute => {
    const admin = r.path.startsWith('/v1/admin');
    const codes = [...COMMON, ...(admin ? [Code.FORBIDDEN] : []), ...(r.errors ?? [])];
    return {
      method,
      path: r.path,
      tag: r.tag,
      summary: r.summary,
      access: r.access,
      params: r.params,
      query: r.query,
      body: r.body,
      responses: { 200: json('success', r.answer), ...failures(codes, r.body !== undefined, admin ? adminError : restError) },
    };
  };
const get = route('get');
const post = route('post');
const put = route('put');
const del = route('delete');

const o_id = z.object({ o_id: hexId });
const topic_id = z.object({ topic_id: hexId });
const userID = z.object({ userID: hexId });
const adminId = z.object({ id: hexId });
const statusQuery = z.string().describe(`comma-separated, of ${ORDER_STATUSES.join(', ')}`);
const orderListQuery = pageQuerySchema.extend({ status: statusQuery.describe(`${statusQuery.description}; default every status but canceled`).optional() });
const adminPageQuery = pageQuerySchema.extend({ per_page: z.string().regex(/^\d+$/).optional().describe('the same as limit') });
const webhookChanged = restOk({ changed: z.boolean().describe('false for a report that changes nothing') });
const ORDER = 'Orders';

const rest: ApiRoute[] = [
  put({ path: '/rest/user/profile', tag: 'Users', summary: "Create or update the caller's profile", access: 'user', body: profileSchema, answer: restOk({}) }),
  get({ path: '/rest/user/:userID', tag: 'Users', summary: 'A user’s profile (never the phone)', access: 'anyone', params: userID, answer: restOk({ info: userInfoSchema }), errors: [Code.NOT_FOUND] }),
  post({ path: '/rest/topic', tag: 'Topics', summary: 'Create a topic; the caller is its expert', access: 'user', body: createTopicSchema, answer: restOk({ topic_id: hexId }) }),
  get({ path: '/rest/topic/:topic_id', tag: 'Topics', summary: 'A topic', access: 'anyone', params: topic_id, answer: restOk({ info: topicInfoSchema }), errors: [Code.NOT_FOUND] }),
  get({ path: '/rest/topic/:topic_id/comments', tag: 'Comments', summary: 'The comments on a topic, newest first', access: 'anyone', params: topic_id, query: pageQuerySchema, answer: restOk({ list: z.array(topicCommentSchema) }), errors: [Code.NOT_FOUND] }),
  get({ path: '/rest/user/:userID/comments', tag: 'Comments', summary: 'The comments on an expert’s orders, newest first', access: 'anyone', params: userID, query: pageQuerySchema, answer: restOk({ list: z.array(expertCommentSchema) }) }),
  get({ path: '/rest/wallet', tag: 'Wallet', summary: 'The caller’s balance and ledger, newest first', access: 'user', query: pageQuerySchema, answer: restOk({ info: walletSummarySchema }) }),
  get({ path: '/rest/order/unreadnum', tag: 'Chat', summary: 'Unread message counts per order', access: 'user', answer: restOk({ info: unreadNumbersSchema }) }),
  get({ path: '/rest/order/unreadchat', tag: 'Chat', summary: 'Unread messages per order; marks them read', access: 'user', answer: restOk({ list: unreadChatSchema }) }),
  post({ path: '/rest/topic/:topic_id/order', tag: ORDER, summary: 'Order a consultation on a topic', access: 'user', params: topic_id, body: createOrderSchema, answer: restOk({ o_id: hexId }), errors: [Code.FORBIDDEN, Code.NOT_FOUND] }),
  get({ path: '/rest/orders', tag: ORDER, summary: 'The caller’s orders as buyer, newest first', access: 'user', query: orderListQuery, answer: restOk({ list: z.array(buyerListItemSchema) }) }),
  get({ path: '/rest/expert/orders', tag: ORDER, summary: 'The caller’s orders as expert, newest first', access: 'user', query: orderListQuery, answer: restOk({ list: z.array(expertListItemSchema) }) }),
  get({ path: '/rest/order/:o_id', tag: ORDER, summary: 'An order, for its parties and staff', access: 'user', params: o_id, answer: restOk({ info: orderDetailSchema }), errors: [Code.FORBIDDEN, Code.NOT_FOUND] }),
  ...(
    [
      ['cancel', 'Cancel (either party, while it allows)', reasonSchema, []],
      ['confirm', 'Confirm or reject (the expert)', confirmSchema, []],
      ['finish', 'Mark the consultation done (the expert)', undefined, []],
      ['comment', 'Comment and rate (the buyer, once)', commentSchema, [Code.DUPLICATE]],
      ['appeal', 'Appeal to customer service (either party)', appealSchema, [Code.DUPLICATE]],
      ['appeal/resolve', 'Withdraw one’s open appeal', undefined, []],
    ] as const
  ).map(([action, summary, body, extra]) =>
    post({ path: `/rest/order/:o_id/${action}`, tag: ORDER, summary, access: 'user', params: o_id, body, answer: restOk({}), errors: [Code.FORBIDDEN, Code.NOT_FOUND, Code.BAD_STATUS, ...extra] }),
  ),
  post({ path: '/rest/order/:o_id/pay', tag: 'Payments', summary: 'Start paying an order (the buyer)', access: 'user', params: o_id, body: paySchema.optional(), answer: restOk(payStartedSchema.shape), errors: [Code.FORBIDDEN, Code.NOT_FOUND, Code.BAD_STATUS, Code.DUPLICATE, Code.PROVIDER] }),
  post({ path: '/rest/pay/:pay_id/result', tag: 'Payments', summary: 'The app’s word on a payment; the server asks Ping++', access: 'user', params: z.object({ pay_id: hexId }), body: payResultInputSchema, answer: restOk(payResultSchema.shape), errors: [Code.FORBIDDEN, Code.NOT_FOUND, Code.PROVIDER] }),
  post({ path: '/rest/webhooks/pingpp', tag: 'Payments', summary: 'Ping++ events, signed with PINGPP_PUBLIC_KEY', access: 'webhook', body: pingppEventSchema, answer: restOk(webhookHandledSchema.shape) }),
  post({ path: '/rest/order/:o_id/call', tag: 'Calls', summary: 'Ring the caller, then the other party (a paid order)', access: 'user', params: o_id, answer: restOk(callStartedSchema.shape), errors: [Code.FORBIDDEN, Code.NOT_FOUND, Code.BAD_STATUS, Code.DUPLICATE, Code.PROVIDER] }),
  get({ path: '/rest/call/:callSid', tag: 'Calls', summary: 'A call, for its parties and staff', access: 'user', params: z.object({ callSid: callSidSchema }), answer: restOk(callInfoSchema.shape), errors: [Code.FORBIDDEN, Code.NOT_FOUND] }),
  post({ path: '/rest/webhooks/call', tag: 'Calls', summary: 'The call provider’s hang-up record (token in ?token= or x-webhook-token)', access: 'webhook', query: z.object({ token: z.string().optional() }), body: z.record(z.unknown()), answer: webhookChanged }),
];

const admin: ApiRoute[] = [
  get({ path: '/v1/admin/orders', tag: 'Admin', summary: 'Every order, newest first', access: 'staff', query: adminPageQuery.extend({ status: statusQuery.optional(), appealed: appealedSchema, userID: hexId.optional().describe('the buyer or the seller'), o_id: hexId.optional() }), answer: adminList(adminOrderSchema) }),
  get({ path: '/v1/admin/orders/:id', tag: 'Admin', summary: 'One order with its parties, topic, payments, refunds and calls', access: 'staff', params: adminId, answer: adminOk(adminOrderDetailSchema), errors: [Code.NOT_FOUND] }),
  post({ path: '/v1/admin/orders/:id/cancel', tag: 'Admin', summary: 'Cancel an order that is not over; a paid one is refunded', access: 'staff', params: adminId, body: adminCancelSchema, answer: adminOk(answer({ o_id: hexId, status: z.literal('canceled'), refund: refundStateSchema })), errors: [Code.NOT_FOUND, Code.BAD_STATUS] }),
  get({ path: '/v1/admin/orders/:id/messages', tag: 'Admin', summary: 'An order’s messages, oldest first', access: 'staff', params: adminId, query: adminPageQuery, answer: adminList(adminMessageItemSchema), errors: [Code.NOT_FOUND] }),
  get({ path: '/v1/admin/systemmessages', tag: 'Admin', summary: 'The live system-message definitions', access: 'staff', query: adminPageQuery, answer: adminList(systemMessageDefSchema) }),
  get({ path: '/v1/admin/systemmessages/builtin', tag: 'Admin', summary: 'The built-in texts a deleted definition falls back to', access: 'staff', answer: adminOk(builtinTextsSchema) }),
  get({ path: '/v1/admin/systemmessages/:id', tag: 'Admin', summary: 'A system-message definition', access: 'staff', params: adminId, answer: adminOk(systemMessageDefSchema), errors: [Code.NOT_FOUND] }),
  post({ path: '/v1/admin/systemmessages', tag: 'Admin', summary: 'Define a system message', access: 'staff', body: createDefSchema, answer: adminOk(systemMessageDefSchema), errors: [Code.DUPLICATE] }),
  put({ path: '/v1/admin/systemmessages/:id', tag: 'Admin', summary: 'Change a system-message definition', access: 'staff', params: adminId, body: updateDefSchema, answer: adminOk(systemMessageDefSchema), errors: [Code.NOT_FOUND, Code.DUPLICATE] }),
  del({ path: '/v1/admin/systemmessages/:id', tag: 'Admin', summary: 'Delete a system-message definition', access: 'staff', params: adminId, answer: adminOk(answer({ id: hexId })), errors: [Code.NOT_FOUND] }),
];

const healthSchema = answer({ status: z.enum(['ok', 'unavailable']), engine: z.enum(['sqlite', 'mongodb']), checks: z.record(z.string()).describe('"ok", or why a dependency did not answer') });
const anyJson = z.record(z.unknown());
const rawFile = (path: string, summary: string, contentType: string, params?: AnyZodObject): ApiRoute => ({
  method: 'get',
  path,
  tag: 'Documents',
  summary,
  access: 'anyone',
  params,
  responses: { 200: { description: 'the file', contentType }, 404: { description: 'no such file', contentType: 'text/plain' } },
});

const root: ApiRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    tag: 'Health',
    summary: 'Whether the store (and Redis, where configured) answer',
    access: 'anyone',
    responses: { 200: json('all answer', healthSchema), 503: json('one did not answer; `checks` names it', healthSchema) },
  },
  { method: 'get', path: '/openapi.json', tag: 'Documents', summary: 'This document: OpenAPI 3.1', access: 'anyone', responses: { 200: json('the document', anyJson) } },
  { method: 'get', path: '/asyncapi.json', tag: 'Documents', summary: 'The Socket.IO protocol: AsyncAPI 3', access: 'anyone', responses: { 200: json('the document', anyJson) } },
  rawFile('/docs', 'The HTML reference of this API', 'text/html'),
  { method: 'get', path: '/metrics', tag: 'Operations', summary: 'Prometheus metrics (Bearer METRICS_TOKEN in production; absent there without one)', access: 'anyone', responses: { 200: { description: 'Prometheus text', contentType: 'text/plain' }, 401: { description: 'a wrong or missing token', contentType: 'text/plain' }, 404: { description: 'off in production without METRICS_TOKEN', contentType: 'text/plain' } } },
  rawFile('/console', 'The customer-service console (a web page)', 'text/html'),
  rawFile('/console/:file', 'A file of the console', '*/*', z.object({ file: z.string() })),
  rawFile('/docs/:file', 'A file of the HTML reference (served from the server’s own dependencies)', '*/*', z.object({ file: z.string() })),
];

/** Every endpoint, in the order the routers match them (static paths before `:param` ones). */
export const API_ROUTES: readonly ApiRoute[] = [...rest, ...admin, ...root];
