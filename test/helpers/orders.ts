// Orders in a given status, and what a test needs to prove a request changed nothing.
// Until the pay endpoint is wired, `paid` is reached through the orders service, the one
// path every change of status takes (as lifecycle.test.ts does).
import { MOVES } from '../../src/orders/order.rules';
import type { Order } from '../../src/orders/order.types';
import { api, type TestApp } from './app';
import { advance, buildOrder } from './factories';

export type BuiltOrder = Awaited<ReturnType<typeof buildOrder>>;

/** Every status an order can be in; `finished` is commented, `settled_by_timeout` finished without a comment. */
export const REACHABLE = ['pending', 'confirmed', 'rejected', 'paid', 'toBeFinished', 'finished', 'settled_by_timeout', 'canceled'] as const;
export type Reachable = (typeof REACHABLE)[number];

export const payDirect = (t: TestApp) => async (o_id: string) => {
  await t.app.services.orders.transition(o_id, MOVES.pay, null);
};

/** A new order (new buyer, new expert, new topic) driven to `state`. */
export async function orderIn(t: TestApp, state: Reachable, opts: { price?: number } = {}): Promise<BuiltOrder> {
  const c = api(t.url);
  const o = await buildOrder(c, opts);
  const expectOk = (res: { status: number; body: any }, what: string) => {
    if (res.body?.code !== 900) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  switch (state) {
    case 'pending':
      break;
    case 'rejected':
      expectOk(await c.post(`/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: '没空' }, o.expert.token), 'reject');
      break;
    case 'canceled':
      expectOk(await c.post(`/rest/order/${o.o_id}/cancel`, { reason: '不问了' }, o.buyer.token), 'cancel');
      break;
    case 'settled_by_timeout':
      await advance(c, o, 'toBeFinished', payDirect(t));
      await t.app.services.orders.transition(o.o_id, MOVES.settleTimeout, null);
      break;
    default:
      await advance(c, o, state, payDirect(t));
  }
  return o;
}

/** The stored order, every field (what "the order is unchanged" compares). */
export async function storedOrder(t: TestApp, o_id: string): Promise<Order> {
  const o = await t.app.store.orders.get(o_id);
  if (!o) throw new Error(`no order ${o_id}`);
  return o;
}

/** Runs `n` copies of `fn` at once and counts the answers by contract code. */
export async function race(n: number, fn: (i: number) => Promise<{ body: any }>) {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
  const codes: Record<number, number> = {};
  for (const r of results) codes[r.body?.code] = (codes[r.body?.code] ?? 0) + 1;
  return { results, codes };
}
