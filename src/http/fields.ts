// Zod building blocks for request fields, so each schema names its limits once. Lengths
// count characters as people do, in code points: an emoji is one character, on REST and in
// the chat alike.
import { z } from 'zod';

/** How many code points `s` holds (a surrogate pair counts once). */
function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** Whether `s` is at most `max` characters; a string of at most `max` UTF-16 units always is. */
const withinChars = (s: string, max: number) => s.length <= max || (s.length <= 2 * max && charCount(s) <= max);

/** The refinement bounding a string schema to `max` characters: `.refine(...atMostChars(max))`. */
export const atMostChars = (max: number) => [(s: string) => withinChars(s, max), `must be at most ${max} characters`] as const;

/** A string field (never an object or number) of 1..max characters, trimmed. */
export const text = (max: number) =>
  z
    .string({ invalid_type_error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .refine(...atMostChars(max));

/** An optional string that may be empty. */
export const optionalText = (max: number) =>
  z
    .string({ invalid_type_error: 'must be a string' })
    .refine(...atMostChars(max))
    .optional();

/** A JSON body: an object (arrays and scalars refused). */
export const body = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { invalid_type_error: 'must be a JSON object', required_error: 'must be a JSON object' });
