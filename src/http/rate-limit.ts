// REST rate limits: one bucket per class of action, keyed by the caller's userID when the
// request carries a valid token and by the client's IP otherwise (anonymous requests and
// provider webhooks; many honest clients share an IP behind NAT, so users are never keyed
// by IP). With REDIS_URL the counts live in Redis and every node shares them; while Redis
// is not ready each node counts in memory (the insurance limiter), without it, in memory.
import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AuthState } from '../auth/middleware';
import type { Config } from '../config';
import type { Redis } from '../db/redis';
import type { Logger } from '../log/logger';
import { rateLimited } from '../errors';

type RateClass = 'orderCreate' | 'pay' | 'comment' | 'call' | 'write' | 'read' | 'anonymous' | 'webhook';

/** The costly actions a client can multiply, by method and path; the rest are `write` or `read`. */
const ACTIONS: readonly { method: string; path: RegExp; rateClass: RateClass }[] = [
  { method: 'POST', path: /^\/rest\/topic\/[^/]+\/order$/, rateClass: 'orderCreate' },
  { method: 'POST', path: /^\/rest\/order\/[^/]+\/pay$/, rateClass: 'pay' },
  { method: 'POST', path: /^\/rest\/pay\/[^/]+\/result$/, rateClass: 'pay' },
  { method: 'POST', path: /^\/rest\/order\/[^/]+\/comment$/, rateClass: 'comment' },
  { method: 'POST', path: /^\/rest\/order\/[^/]+\/call$/, rateClass: 'call' },
];
const WEBHOOKS = /^\/rest\/webhooks\//;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A Redis that accepts commands but does not answer (overloaded, paused) holds a request no longer than this. */
const REDIS_TIMEOUT_MS = 500;

function rateClassOf(method: string, path: string, authenticated: boolean): RateClass {
  if (WEBHOOKS.test(path)) return 'webhook';
  if (!authenticated) return 'anonymous';
  for (const a of ACTIONS) if (a.method === method && a.path.test(path)) return a.rateClass;
  return READ_METHODS.has(method) ? 'read' : 'write';
}

function pointsOf(config: Config): Record<RateClass, number> {
  return {
    orderCreate: config.RATE_LIMIT_ORDER_CREATE,
    pay: config.RATE_LIMIT_PAY,
    comment: config.RATE_LIMIT_COMMENT,
    call: config.RATE_LIMIT_CALL,
    write: config.RATE_LIMIT_WRITE,
    read: config.RATE_LIMIT_READ,
    anonymous: config.RATE_LIMIT_ANON,
    webhook: config.RATE_LIMIT_WEBHOOK,
  };
}

type RateLimiters = Record<RateClass, RateLimiterAbstract>;

export function createRateLimiters(config: Config, redis: Redis | undefined): RateLimiters {
  const points = pointsOf(config);
  const make = (rateClass: RateClass): RateLimiterAbstract => {
    const opts = { keyPrefix: `${config.RATE_LIMIT_PREFIX}:${rateClass}`, points: points[rateClass], duration: config.RATE_LIMIT_WINDOW_S };
    if (!redis) return new RateLimiterMemory(opts);
    const shared = new RateLimiterRedis({
      ...opts,
      storeClient: redis,
      // Fails at once while the connection is not ready, rather than queued behind the reconnect.
      rejectIfRedisNotReady: true,
      // A key past its limit is refused from memory until its window ends: a flood costs no Redis round trips.
      inMemoryBlockOnConsumed: points[rateClass] + 1,
    });
    // Whatever fails or times out in Redis is counted in this node's memory instead (once:
    // the Redis limiter itself has no insurance of its own).
    return new RLWrapperTimeouts({ limiter: shared, timeoutMs: REDIS_TIMEOUT_MS, insuranceLimiter: new RateLimiterMemory(opts) });
  };
  return Object.fromEntries((Object.keys(points) as RateClass[]).map((c) => [c, make(c)])) as RateLimiters;
}

/**
 * Takes one point from the caller's bucket of the request's class; past the limit, 907 (HTTP
 * 429) with `Retry-After` in seconds, before the body is read. Runs after `authenticate`.
 */
export function rateLimit(limiters: RateLimiters, log: Logger): Middleware<AuthState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    const rateClass = rateClassOf(ctx.method, ctx.path, user !== undefined);
    const key = user && rateClass !== 'webhook' ? user.userID : ctx.ip;
    try {
      await limiters[rateClass].consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) {
        // Only when the store and its insurance both fail: better served than refused.
        log.warn({ err, rateClass }, 'rate limit: store failed; request let through');
        return next();
      }
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))));
      throw rateLimited(`rate: too many requests (${rateClass}); retry after the Retry-After seconds`);
    }
    await next();
  };
}
