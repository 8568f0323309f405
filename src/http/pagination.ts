// The lists' paging (README.md, "Lists"): `start` (1-based position) wins over `page`; both arrive as strings.
// An empty value counts as not given; anything else must be a plain positive integer.
import { z } from 'zod';
import { parse } from './validate';

/** Far beyond any real list, and small enough that skip = (page - 1) × limit stays exact. */
const MAX_POSITION = 1_000_000_000;

const positive = (max?: number) => {
  const n = z.number().int('must be a positive integer').min(1, 'must be at least 1');
  return z
    .union([z.string().regex(/^\s*\d+\s*$/, 'must be a positive integer'), z.number()], { errorMap: () => ({ message: 'must be a positive integer' }) })
    .pipe(z.coerce.number().pipe(max ? n.max(max, `must be at most ${max}`) : n));
};

export const pageQuerySchema = z.object({
  start: positive(MAX_POSITION).optional(),
  page: positive(MAX_POSITION).optional(),
  limit: positive().optional(),
});

export interface Page {
  skip: number;
  limit: number;
  page: number;
}

export function parsePage(query: unknown, defaults = { limit: 10, max: 100 }): Page {
  const given = pick(query, ['start', 'page', 'limit']);
  const q = parse(pageQuerySchema, given);
  const limit = Math.min(q.limit ?? defaults.limit, defaults.max);
  const skip = q.start !== undefined ? q.start - 1 : ((q.page ?? 1) - 1) * limit;
  return { skip, limit, page: Math.floor(skip / limit) + 1 };
}

/** The first value of each key (a repeated parameter arrives as an array); '' is not given. */
function pick(obj: unknown, keys: string[]): Record<string, unknown> {
  const src = (obj ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = Array.isArray(src[k]) ? (src[k] as unknown[])[0] : src[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}
