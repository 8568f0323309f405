// Which browser origins may call the API and open sockets: CORS_ORIGINS (a list or `*`);
// unset, any origin in development and none but the server's own in production. REST, the
// admin API and Socket.IO read the same answer, so a browser app is let in everywhere or
// nowhere. Tokens travel in headers or the socket's auth payload, never in cookies, so no
// credentials are allowed.
import cors from '@koa/cors';
import type { Middleware } from 'koa';
import type { Config } from '../config';

/** The request headers a browser app may send (the apps' `auth`, `client`, `platform`, `channel`). */
const CORS_ALLOW_HEADERS = ['auth', 'Authorization', 'Content-Type', 'client', 'platform', 'channel'];

/** Whether a cross-origin `origin` may call; a request with no Origin header is not a browser's cross-origin call. */
type OriginCheck = (origin: string) => boolean;

export function originCheck(config: Pick<Config, 'CORS_ORIGINS' | 'production'>): OriginCheck {
  const allowed = config.CORS_ORIGINS ?? (config.production ? [] : '*');
  if (allowed === '*') return () => true;
  const set = new Set(allowed);
  return (origin) => set.has(origin);
}

/** The page's own origin (scheme aside: behind a proxy the request may arrive as http). */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

export function corsMiddleware(allowed: OriginCheck): Middleware {
  const middleware = cors({
    // An origin not allowed gets no CORS headers at all: the browser keeps the answer from the page.
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed(origin) ? origin : '';
    },
    allowHeaders: CORS_ALLOW_HEADERS,
    exposeHeaders: ['x-request-id'],
    maxAge: 600,
    credentials: false,
  });
  // Apps and servers send no Origin: they skip the middleware, which the REST hot path never pays.
  return (ctx, next) => (ctx.get('Origin') ? middleware(ctx, next) : next());
}
