// Every action × every status (docs/order-states.md): an allowed move answers 900 and lands in its
// status; any other answers 905 (906 for a second comment) and leaves the order unchanged.
import test from 'ava';
import { isAppError } from '../../src/errors';
import { MOVES, type Move } from '../../src/orders/order.rules';
import type { OrderStatus } from '../../src/orders/order.types';
import { makeUser, useApp } from '../helpers/app';
import { orderIn, REACHABLE, storedOrder, type BuiltOrder, type Reachable } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

interface Action {
  name: string;
  /** the statuses it is allowed from, and where it goes */
  from: Reachable[];
  to: OrderStatus;
  run: (o: BuiltOrder) => Promise<number>;
  /** the answer in a status it is not allowed from, when not 905 */
  otherwise?: Partial<Record<Reachable, number>>;
  /** statuses this table leaves out, and why */
  skip?: Reachable[];
}

const rest = (method: 'POST', path: (o: BuiltOrder) => string, body: unknown, who: 'buyer' | 'expert') => async (o: BuiltOrder) =>
  (await c.call(method, path(o), body, o[who].token)).body.code as number;

/** Moves only the system makes (jobs, the payment provider), through the orders service. */
const service = (move: Move) => async (o: BuiltOrder) => {
  try {
    await t0.app.services.orders.transition(o.o_id, move, null);
    return 900;
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
};

const ACTIONS: Action[] = [
  { name: 'buyer cancels', from: ['pending', 'confirmed'], to: 'canceled', run: rest('POST', (o) => `/rest/order/${o.o_id}/cancel`, { reason: 'r' }, 'buyer') },
  { name: 'seller cancels', from: ['confirmed'], to: 'canceled', run: rest('POST', (o) => `/rest/order/${o.o_id}/cancel`, { reason: 'r' }, 'expert') },
  { name: 'seller confirms', from: ['pending'], to: 'confirmed', run: rest('POST', (o) => `/rest/order/${o.o_id}/confirm`, {}, 'expert') },
  { name: 'seller rejects', from: ['pending'], to: 'rejected', run: rest('POST', (o) => `/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: 'r' }, 'expert') },
  { name: 'seller finishes', from: ['paid'], to: 'toBeFinished', run: rest('POST', (o) => `/rest/order/${o.o_id}/finish`, undefined, 'expert') },
  {
    name: 'buyer comments',
    from: ['toBeFinished'],
    to: 'finished',
    run: rest('POST', (o) => `/rest/order/${o.o_id}/comment`, { comment: 'c', rating: 5 }, 'buyer'),
    otherwise: { finished: 906 },
  },
  {
    name: 'staff cancels',
    from: ['pending', 'confirmed'],
    to: 'canceled',
    // A paid order's staff cancel refunds through the payment provider: the payments tests cover it.
    skip: ['paid', 'toBeFinished'],
    run: async (o) => {
      const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: 'r' }, makeUser({ staff: true }).token);
      return res.status === 200 ? 900 : res.status === 409 && res.body.error.code === 'invalid_status' ? 905 : res.status;
    },
  },
  { name: 'payment succeeds', from: ['confirmed'], to: 'paid', run: service(MOVES.pay) },
  { name: 'confirm timeout', from: ['pending'], to: 'canceled', run: service(MOVES.confirmExpire) },
  { name: 'pay timeout', from: ['confirmed'], to: 'canceled', run: service(MOVES.payExpire) },
  { name: 'settle timeout', from: ['toBeFinished'], to: 'finished', run: service(MOVES.settleTimeout) },
];

for (const action of ACTIONS) {
  for (const state of REACHABLE) {
    if (action.skip?.includes(state)) continue;
    const allowed = action.from.includes(state);
    const want = allowed ? 900 : (action.otherwise?.[state] ?? 905);
    test(`${action.name} in ${state} → ${want}`, async (t) => {
      const o = await orderIn(t0, state);
      const before = await storedOrder(t0, o.o_id);
      t.is(await action.run(o), want);
      const after = await storedOrder(t0, o.o_id);
      if (allowed) {
        t.is(after.status, action.to);
        t.true(after.statusAt >= before.statusAt);
      } else {
        t.deepEqual(after, before, 'a refused move changed the order');
      }
    });
  }
}

test('a 905 names the status the order is in', async (t) => {
  const o = await orderIn(t0, 'rejected');
  const res = await c.post(`/rest/order/${o.o_id}/finish`, undefined, o.expert.token);
  t.is(res.status, 409);
  t.is(res.body.code, 905);
  t.regex(res.body.msg, /rejected/);
});

test('an action on an order that does not exist answers 904', async (t) => {
  const ghost = '0123456789abcdef01234567';
  for (const path of ['/cancel', '/confirm', '/finish', '/comment', '/appeal', '/appeal/resolve']) {
    const res = await c.post(`/rest/order/${ghost}${path}`, { comment: 'c', rating: 5, reason: 'r' }, makeUser().token);
    t.is(res.status, 404, path);
    t.is(res.body.code, 904, path);
  }
  t.is((await c.get(`/rest/order/${ghost}`, makeUser().token)).body.code, 904);
  const admin = await c.post(`/v1/admin/orders/${ghost}/cancel`, {}, makeUser({ staff: true }).token);
  t.is(admin.status, 404);
  t.is(admin.body.error.code, 'not_found');
});
