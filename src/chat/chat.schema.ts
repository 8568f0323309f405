// Socket payloads. Each is an object of known fields; a string field never accepts an
// object, so `{"$gt": ""}` is a 901, not a query.
import { z } from 'zod';
import { zId } from '../http/validate';

export const CHAT_LIMITS = { contentChars: 2000, clientIdChars: 64, historyDefault: 20, historyMax: 100 } as const;

const payload = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { invalid_type_error: 'must be an object', required_error: 'must be an object' });

const seq = z.number({ invalid_type_error: 'must be a number' }).int('must be an integer').min(0, 'must be at least 0');

/** Counted in code points, so an emoji is one character. */
const content = z
  .string({ invalid_type_error: 'must be a string' })
  .refine((s) => s.trim().length > 0, 'must not be empty')
  .refine((s) => s.length <= CHAT_LIMITS.contentChars * 2 && [...s].length <= CHAT_LIMITS.contentChars, `must be at most ${CHAT_LIMITS.contentChars} characters`);

export const orderRefSchema = payload({ o_id: zId });

export const messageSchema = payload({
  o_id: zId,
  content,
  client_id: z
    .string({ invalid_type_error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(CHAT_LIMITS.clientIdChars, `must be at most ${CHAT_LIMITS.clientIdChars} characters`)
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
