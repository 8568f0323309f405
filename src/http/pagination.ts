// The seeds' paging: `start` (1-based position) wins over `page`; both arrive as strings.
import { z } from 'zod';
import { parse } from './validate';

const positive = z.union([z.string(), z.number()]).pipe(z.coerce.number().int('must be an integer').min(1, 'must be at least 1'));

const querySchema = z.object({
  start: positive.optional(),
  page: positive.optional(),
  limit: positive.optional(),
});

export interface Page {
  skip: number;
  limit: number;
  page: number;
}

export function parsePage(query: unknown, defaults = { limit: 10, max: 100 }): Page {
  const q = parse(querySchema, pick(query, ['start', 'page', 'limit']));
  const limit = Math.min(q.limit ?? defaults.limit, defaults.max);
  const skip = q.start !== undefined ? q.start - 1 : ((q.page ?? 1) - 1) * limit;
  return { skip, limit, page: Math.floor(skip / limit) + 1 };
}

function pick(obj: unknown, keys: string[]): Record<string, unknown> {
  const src = (obj ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = Array.isArray(src[k]) ? (src[k] as unknown[])[0] : src[k];
  return out;
}
