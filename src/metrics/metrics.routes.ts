// GET /metrics in Prometheus text. With METRICS_TOKEN it needs `Authorization: Bearer <token>`;
// without, it is open in development and absent (404) in production.
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { sameToken } from '../auth/same-token';
import type { Metrics } from './metrics';

export function metricsRoute(router: Router, metrics: Metrics, access: { production: boolean; token?: string }) {
  if (access.production && !access.token) return;
  router.get('/metrics', async (ctx) => {
    if (access.token) {
      const auth = ctx.get('Authorization');
      if (!sameToken(auth.startsWith('Bearer ') ? auth.slice(7) : '', access.token)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer');
        ctx.body = 'unauthorized: Authorization: Bearer <METRICS_TOKEN> required\n';
        return;
      }
    }
    const { contentType, text } = await metrics.scrape();
    ctx.set('Content-Type', contentType);
    ctx.body = text;
  });
}

/**
 * Times every request into the duration histogram, labelled by the route template the
 * router matched (`/rest/order/:o_id`), never by the raw path, so the series stay few.
 */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as { routerPath?: string }).routerPath ?? 'unmatched';
      metrics.httpRequest(ctx.method, route, ctx.status, (performance.now() - start) / 1000);
    }
  };
}
