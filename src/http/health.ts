import type Router from '@koa/router';
import type { Store } from '../db/store';

export interface Pingable {
  ping(): Promise<unknown>;
}

/** 200 when the store (and Redis, where configured) answer; 503 naming the one that did not. */
export function healthRoute(router: Router, store: Store, redis?: Pingable) {
  router.get('/healthz', async (ctx) => {
    const checks: Record<string, string> = {};
    let healthy = true;
    const check = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), 2000);
        checks[name] = 'ok';
      } catch (err) {
        healthy = false;
        checks[name] = (err as Error).message || 'failed';
      }
    };
    await check('store', () => store.ping());
    if (redis) await check('redis', () => redis.ping());
    ctx.status = healthy ? 200 : 503;
    ctx.body = { status: healthy ? 'ok' : 'unavailable', engine: store.engine, checks };
  });
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
