// Schema validation shared by REST routes, admin routes and socket handlers. Zod rejects
// a `{"$gt": ""}` object where a string belongs, so no operator object reaches a store.
import { z } from 'zod';
import { badInput } from '../errors';

export const ID_RE = /^[0-9a-f]{24}$/i;

/** A 24-hex id (MongoDB ObjectId); normalised to lower case. */
export const zId = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(ID_RE, 'must be a 24-hex id')
  .transform((s) => s.toLowerCase());

/** Parses input or throws 901 with a message naming the first bad field. */
export function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, where = ''): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [where, ...issue.path.map(String)].filter(Boolean).join('.');
  const message = issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
  throw badInput(`${path || 'body'}: ${message}`);
}

/** Validates one path parameter as an id (lower-cased). */
export function parseId(value: unknown, name: string): string {
  return parse(zId, value, name);
}
