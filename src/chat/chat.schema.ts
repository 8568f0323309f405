// Socket payloads. Each is an object of known fields; a string field never accepts an
// object, so `{"$gt": ""}` is a 901, not a query.
import { z } from 'zod';
import { atMostChars } from '../http/fields';
import { ID_RE, parse, zId } from '../http/validate';

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

/**
 * The `message` payload. The common case (a plain object with a good id, a short
 * non-blank text, a short client_id) is checked by hand: zod's parse was 6% of a chat
 * message's server time (bench/). Anything else goes through the schema, so every 901
 * message is zod's, and the result is the same object the schema would give.
 */
export function parseMessage(p: unknown): MessageInput {
  if (typeof p === 'object' && p !== null && !Array.isArray(p)) {
    const { o_id, content, client_id } = p as Record<string, unknown>;
    if (
      typeof o_id === 'string' &&
      ID_RE.test(o_id) &&
      typeof content === 'string' &&
      // Up to 2000 UTF-16 units is at most 2000 characters; longer ones are counted by zod.
      content.length <= CHAT_LIMITS.contentChars &&
      content.trim().length > 0 &&
      (client_id === undefined || (typeof client_id === 'string' && client_id.length >= 1 && client_id.length <= CHAT_LIMITS.clientIdChars))
    ) {
      const out: MessageInput = { o_id: o_id.toLowerCase(), content };
      if ('client_id' in p) out.client_id = client_id as string | undefined;
      return out;
    }
  }
  return parse(messageSchema, p, 'payload');
}
