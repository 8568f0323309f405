// Socket payloads. Each is an object of known fields; a string field never accepts an
// object, so `{"$gt": ""}` is a 901, not a query.
import { z } from 'zod';
import { atMostChars } from '../http/fields';
import { answer, hexId, isoTime, userOrSystem } from '../http/answers';
import { ID_RE, parse, zId } from '../http/validate';
import { ORDER_STATUSES } from '../orders/order.types';

export const CHAT_LIMITS = { contentChars: 2000, clientIdChars: 64, historyDefault: 20, historyMax: 100 } as const;

const payload = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { invalid_type_error: 'must be an object', required_error: 'must be an object' });

const seq = z.number({ invalid_type_error: 'must be a number' }).int('must be an integer').min(0, 'must be at least 0');

const content = z
  .string({ invalid_type_error: 'must be a string' })
  .refine((s) => s.trim().length > 0, 'must not be empty')
  .refine(...atMostChars(CHAT_LIMITS.contentChars));

export const orderRefSchema = payload({ o_id: zId });

export const messageSchema = payload({
  o_id: zId,
  content,
  client_id: z
    .string({ invalid_type_error: 'must be a string' })
    .min(1, 'must not be empty')
    .refine(...atMostChars(CHAT_LIMITS.clientIdChars))
    .optional(),
});

export const readSchema = payload({ o_id: zId, msgid: zId.optional() });

export const historySchema = payload({
  o_id: zId,
  before: seq.optional(),
  after: seq.optional(),
  limit: z.number({ invalid_type_error: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(CHAT_LIMITS.historyMax, `must be at most ${CHAT_LIMITS.historyMax}`).optional(),
});

export type MessageInput = z.output<typeof messageSchema>;
export type ReadInput = z.output<typeof readSchema>;
export type HistoryInput = z.output<typeof historySchema>;


// Answers: chat.view.ts takes its types from these; src/realtime/events.ts maps them to events.
const messageType = z.enum(['text', 'system']);
const nonNegative = z.number().int().min(0);

/** A message (docs/protocol.md, "A message"), in history, acks and pushes. */
const messageViewSchema = answer({
  msgid: hexId,
  o_id: hexId,
  seq: z.number().int().min(1).describe('1, 2, 3, … per order'),
  from: userOrSystem,
  to: userOrSystem,
  type: messageType,
  content: z.string().describe("the text as sent; a system message's key"),
  text: z.string().describe('what to show: the content, or the system key’s text for the receiving side'),
  is_read: z.boolean(),
  createdAt: isoTime,
});

/** A party's unread numbers after a message: `count` in this order, `total` over all orders. */
const unreadPairSchema = answer({ count: nonNegative, total: nonNegative });

/** The `message` push: to a party's sockets with its unread numbers; staff's copy has none. */
export const messagePushSchema = messageViewSchema.extend({ unread: unreadPairSchema.optional() }).strict();

/** `GET /rest/order/unreadnum`'s `info`. */
export const unreadNumbersSchema = answer({ total: nonNegative, list: z.array(answer({ o_id: hexId, count: nonNegative })) });

/** An item of `GET /rest/order/unreadchat`. */
const unreadItemSchema = answer({
  msgid: hexId,
  from: userOrSystem,
  to: userOrSystem,
  content: z.string(),
  createdAt: isoTime,
  seq: z.number().int().min(1),
  type: messageType,
  text: z.string(),
});
export const unreadChatSchema = z.array(answer({ o_id: hexId, list: z.array(unreadItemSchema) }));

/** The console's message item (docs/system-messages.md): uid "0" for system messages, is_read 0/1, ctime in ms. */
export const adminMessageItemSchema = answer({
  id: hexId,
  uid: userOrSystem,
  type: messageType,
  content: z.string(),
  text: z.string(),
  is_read: z.union([z.literal(0), z.literal(1)]),
  ctime: z.number().int().describe('ms since the epoch'),
});

/** What each client event acknowledges on success (docs/protocol.md, "Client → server"). */
export const chatAcks = {
  join: { order: answer({ o_id: hexId, status: z.enum(ORDER_STATUSES) }), unread: nonNegative.describe("the caller's unread count in this order (0 for staff)") },
  leave: {},
  message: { message: messageViewSchema, unread: unreadPairSchema.describe("the sender's own unread numbers after sending") },
  read: { unread: nonNegative.describe("the caller's unread count left in this order") },
  history: { list: z.array(messageViewSchema).describe('oldest first') },
  typing: {},
} satisfies Record<string, z.ZodRawShape>;

/** Server events of the chat besides `message`. */
export const readEventSchema = answer({ o_id: hexId, userID: hexId.describe('has read everything up to msgid'), msgid: z.union([hexId, z.literal('')]) });
export const unreadEventSchema = answer({ total: nonNegative, o_id: hexId, count: nonNegative });
export const typingEventSchema = answer({ o_id: hexId, userID: hexId });

export type MessageViewAnswer = z.infer<typeof messageViewSchema>;
export type UnreadNumbers = z.infer<typeof unreadNumbersSchema>;
export type UnreadItem = z.infer<typeof unreadItemSchema>;
export type AdminMessageItem = z.infer<typeof adminMessageItemSchema>;

/** A system-message definition as the console reads it (docs/system-messages.md); times in ms, dtime 0 while live. */
export const systemMessageDefSchema = answer({
  id: hexId,
  key: z.string(),
  buyer: z.string(),
  seller: z.string(),
  admin: z.string(),
  ctime: z.number().int(),
  utime: z.number().int(),
  dtime: z.number().int(),
});
