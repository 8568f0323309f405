import type Router from '@koa/router';
import type { Store } from '../db/store';

export interface Pingable {
  ping(): Promise<unknown>;
}

/** A check answered without a round trip: undefined when fine, else the reason it is not. */
type Probe = () => string | undefined;

interface HealthDeps {
  /** the command connection (locks, limits) */
  redis?: Pingable & { unavailable?: Probe };
  /** the Socket.IO adapter's connections (cross-node fan-out) */
  fanout?: Pingable & { unavailable?: Probe };
}

/** 200 when the store (and Redis, where configured) answer; 503 naming each that did not. */
export function healthRoute(router: Router, store: Store, deps: HealthDeps = {}) {
  router.get('/healthz', async (ctx) => {
    const checks: Record<string, string> = {};
    let healthy = true;
    const check = async (name: string, fn: () => Promise<unknown>, probe?: Probe) => {
      try {
        // A client that knows it lost its connection answers at once instead of waiting out the timeout.
        const reason = probe?.();
        if (reason) throw new Error(reason);
        await withTimeout(fn(), 2000);
        checks[name] = 'ok';
      } catch (err) {
        healthy = false;
        checks[name] = (err as Error).message || 'failed';
      }
    };
    await check('store', () => store.ping());
    const { redis, fanout } = deps;
    if (redis) await check('redis', () => redis.ping(), redis.unavailable);
    if (fanout) await check('fanout', () => fanout.ping(), fanout.unavailable);
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
