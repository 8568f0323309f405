// Request bodies: read only once the caller is known (routes put this after their auth
// check), at most 1 MB, and refused cheaply before any recursive work: a linear scan bounds
// the JSON nesting before JSON.parse, and keys that reach prototypes are refused by name.
import coBody from 'co-body';
import type { Middleware } from 'koa';
import { LIMITS } from '../../config/defaults';
import { badInput } from '../errors';

declare module 'koa' {
  interface Request {
    /** the parsed body (set by jsonBody); `{}` when the request carries none the API reads */
    body?: unknown;
    /** the body's text as it arrived (webhook signatures are computed over it) */
    rawBody?: string;
  }
}

/** Deepest nesting of arrays and objects a body may have; the API's own bodies use two. */
const BODY_NESTING_LIMIT = 32;

/** Keys that reach an object's prototype when a body is merged or assigned somewhere. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const BRACKET_OPEN = new Set([0x5b /* [ */, 0x7b /* { */]);
const BRACKET_CLOSE = new Set([0x5d /* ] */, 0x7d /* } */]);

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, found in one pass over the
 * characters (brackets inside strings do not count), without parsing anything.
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (BRACKET_OPEN.has(c)) {
      if (++depth > limit) return true;
    } else if (BRACKET_CLOSE.has(c)) depth--;
  }
  return false;
}

/** The path of the first key anywhere in `value` named __proto__, constructor or prototype. */
function prototypeKeyPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return at;
      stack.push([(v as Record<string, unknown>)[key], at]);
    }
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  if (nestsDeeperThan(text, BODY_NESTING_LIMIT)) throw badInput(`body: nested deeper than ${BODY_NESTING_LIMIT} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw badInput('body: malformed JSON');
  }
}

/** The methods a body is read for; on any other the middleware only calls next(). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const READ = { limit: LIMITS.bodyBytes, encoding: 'utf8' };

/**
 * Reads a JSON (or form) body into `ctx.request.body`. Put it after the route's auth check,
 * so a request without a valid token is answered before its body is read.
 */
export const jsonBody: Middleware = async (ctx, next) => {
  if (!BODY_METHODS.has(ctx.method)) return next();
  let parsed: unknown;
  if (ctx.is('json')) {
    const text: string = await coBody.text(ctx, READ);
    ctx.request.rawBody = text;
    parsed = parseJson(text);
  } else if (ctx.is('urlencoded')) {
    // qs (inside co-body) bounds the nesting of `a[b][c]=` keys and drops prototype keys itself.
    const form: { parsed: unknown; raw: string } = await coBody.form(ctx, { ...READ, returnRawBody: true });
    ctx.request.rawBody = form.raw;
    parsed = form.parsed;
  } else {
    // A type the API does not speak is read as no body: the schema names the first missing field.
    parsed = {};
  }
  const key = prototypeKeyPath(parsed);
  if (key) throw badInput(`${key}: __proto__, constructor and prototype are never accepted as keys`);
  ctx.request.body = parsed;
  return next();
};
