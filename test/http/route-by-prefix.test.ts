// routeByPrefix hands a request to the router of its path's prefix, at a segment boundary.
import test from 'ava';
import type { Context, Middleware } from 'koa';
import { routeByPrefix } from '../../src/http/route-by-prefix';

test('a path goes to the router of its prefix, or to the others', async (t) => {
  const seen: string[] = [];
  const router = (name: string): Middleware => async (_ctx, next) => {
    seen.push(name);
    await next();
  };
  const route = routeByPrefix({ '/rest': router('rest'), '/v1/admin': router('admin') }, router('others'));
  const cases: Array<[string, string]> = [
    ['/rest', 'rest'],
    ['/rest/', 'rest'],
    ['/rest/orders', 'rest'],
    ['/restx', 'others'],
    ['/res', 'others'],
    ['/v1/admin/orders', 'admin'],
    ['/v1/admin', 'admin'],
    ['/v1/administrators', 'others'],
    ['/v1', 'others'],
    ['/healthz', 'others'],
    ['/', 'others'],
  ];
  for (const [path, want] of cases) {
    seen.length = 0;
    let passedOn = false;
    await route({ path } as Context, async () => {
      passedOn = true;
    });
    t.deepEqual(seen, [want], path);
    t.true(passedOn, `${path}: the router's next is the chain's next`);
  }
});
