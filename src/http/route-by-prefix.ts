import type { Middleware } from 'koa';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a router's middleware adds its own fields to the context
type AnyMiddleware = Middleware<any, any>;

/**
 * Hands each request to the one router its path belongs to (`/rest/...` to the REST router),
 * and any other path to `others`. Routers used one after another each read the request's
 * host, test every route of theirs and build a middleware chain before passing a request
 * on: two routers' work spent on every REST request for nothing.
 * A prefix matches itself and what lies under it (`/rest`, `/rest/x`), not `/restx`.
 */
export function routeByPrefix(routers: Record<string, AnyMiddleware>, others: AnyMiddleware): Middleware {
  const entries = Object.entries(routers);
  return (ctx, next) => {
    const path = ctx.path;
    for (const [prefix, router] of entries) {
      if (path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47 /* / */)) return router(ctx, next);
    }
    return others(ctx, next);
  };
}
