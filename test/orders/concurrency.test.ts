// Twenty conflicting requests at once on one order leave exactly one winner per move, the
// rest 905/906, a consistent order, and money credited once. The requests are spread over
// two app instances sharing one SQLite DATA_DIR, as two web nodes of one host would be.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAppError } from '../../src/errors';
import { MOVES } from '../../src/orders/order.rules';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { orderIn, race, storedOrder } from '../helpers/orders';

const N = 20;
let dir: string;
let nodes: TestApp[];
let clients: ReturnType<typeof api>[];
test.before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orders-race-'));
  nodes = [await startApp({ DATA_DIR: dir }), await startApp({ DATA_DIR: dir })];
  clients = nodes.map((n) => api(n.url));
});
test.after.always(async () => {
  for (const n of nodes ?? []) await n.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The client of request i: alternately one node and the other. */
const via = (i: number) => clients[i % clients.length];
const wallet = async (token: string) => (await clients[0].get('/rest/wallet', token)).body.info;

test('finish ×20: one 900, nineteen 905, toBeFinished once', async (t) => {
  const o = await orderIn(nodes[0], 'paid');
  const { codes } = await race(N, (i) => via(i).post(`/rest/order/${o.o_id}/finish`, {}, o.expert.token));
  t.deepEqual(codes, { 900: 1, 905: N - 1 });
  const after = await storedOrder(nodes[0], o.o_id);
  t.is(after.status, 'toBeFinished');
  t.truthy(after.finishAt);
});

test('comment ×20: one 900, nineteen 906; the expert is credited once', async (t) => {
  const o = await orderIn(nodes[0], 'toBeFinished', { price: 1234 });
  const { results, codes } = await race(N, (i) => via(i).post(`/rest/order/${o.o_id}/comment`, { comment: `c${i}`, rating: (i % 5) + 1 }, o.buyer.token));
  t.deepEqual(codes, { 900: 1, 906: N - 1 });
  const winner = results.findIndex((r) => r.body.code === 900);
  const after = await storedOrder(nodes[1], o.o_id);
  t.like(after, { status: 'finished', comment: `c${winner}`, rating: (winner % 5) + 1 });
  const w = await wallet(o.expert.token);
  t.is(w.balance, 1234);
  t.is(w.list.length, 1);
  t.is((await clients[1].get(`/rest/topic/${o.topic_id}`)).body.info.finish_count, 1);
});

test('buyer cancel ×10 against seller reject ×10: exactly one 900, the rest 905', async (t) => {
  const o = await orderIn(nodes[0], 'pending');
  const { results, codes } = await race(N, (i) =>
    i % 2 === 0
      ? via(i).post(`/rest/order/${o.o_id}/cancel`, { reason: 'buyer' }, o.buyer.token)
      : via(i).post(`/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: 'seller' }, o.expert.token),
  );
  t.deepEqual(codes, { 900: 1, 905: N - 1 });
  const winner = results.findIndex((r) => r.body.code === 900);
  const after = await storedOrder(nodes[0], o.o_id);
  if (winner % 2 === 0) {
    t.like(after, { status: 'canceled', canceledBy: 'buyer', reason: 'buyer', rejectAt: null });
  } else {
    t.like(after, { status: 'rejected', reason: 'seller', cancelAt: null, canceledBy: null });
  }
});

test('buyer cancel ×10 against seller confirm ×10: one confirm at most, one cancel, ending canceled', async (t) => {
  // The buyer may cancel a confirmed order too, so a confirm that lands first is followed by
  // one winning cancel: each move has at most one winner, and the order ends canceled.
  const o = await orderIn(nodes[0], 'pending');
  const { results } = await race(N, (i) =>
    i % 2 === 0 ? via(i).post(`/rest/order/${o.o_id}/cancel`, {}, o.buyer.token) : via(i).post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token),
  );
  const won = (parity: number) => results.filter((r, i) => i % 2 === parity && r.body.code === 900).length;
  t.is(won(0), 1, 'cancels that won');
  t.true(won(1) <= 1, 'confirms that won');
  t.true(results.every((r) => r.body.code === 900 || r.body.code === 905));
  const after = await storedOrder(nodes[0], o.o_id);
  t.is(after.status, 'canceled');
  t.is(after.canceledBy, 'buyer');
  if (won(1) === 1) t.true(after.confirmAt! <= after.cancelAt!);
  else t.is(after.confirmAt, null);
});

test('comment ×10 against the settle timeout ×10: finished once, credited once', async (t) => {
  const o = await orderIn(nodes[0], 'toBeFinished', { price: 999 });
  const { codes } = await race(N, async (i) => {
    if (i % 2 === 0) return via(i).post(`/rest/order/${o.o_id}/comment`, { comment: 'c', rating: 5 }, o.buyer.token);
    try {
      await nodes[i % 2].app.services.orders.transition(o.o_id, MOVES.settleTimeout, null);
      return { body: { code: 900 } };
    } catch (err) {
      if (isAppError(err)) return { body: { code: err.code } };
      throw err;
    }
  });
  t.is(codes[900], 1);
  t.is((codes[905] ?? 0) + (codes[906] ?? 0), N - 1);
  t.is((await storedOrder(nodes[1], o.o_id)).status, 'finished');
  const w = await wallet(o.expert.token);
  t.is(w.balance, 999);
  t.is(w.list.length, 1);
});

test('staff cancel against the buyer comment, on ten orders: exactly one wins each, and the money follows it', async (t) => {
  const staff = makeUser({ staff: true });
  const orders = await Promise.all(Array.from({ length: 10 }, () => orderIn(nodes[0], 'toBeFinished', { price: 700 })));
  await Promise.all(
    orders.map(async (o, i) => {
      const [cancel, comment] = await Promise.all([
        via(i).post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '客服取消' }, staff.token),
        via(i + 1).post(`/rest/order/${o.o_id}/comment`, { comment: 'c', rating: 5 }, o.buyer.token),
      ]);
      const canceled = cancel.status === 200;
      t.not(canceled, comment.body.code === 900, `${o.o_id}: one winner (cancel ${cancel.status}, comment ${comment.body.code})`);
      const after = await storedOrder(nodes[0], o.o_id);
      if (canceled) {
        t.is(comment.body.code, 905);
        t.like(after, { status: 'canceled', canceledBy: 'admin', completeAt: null, commentAt: null });
        t.not(after.refund, null, 'the paid order owes its refund');
      } else {
        t.like(cancel, { status: 409, body: { error: { code: 'invalid_status' } } });
        t.like(after, { status: 'finished', canceledBy: null, cancelAt: null, refund: null });
      }
      t.is((await wallet(o.expert.token)).balance, canceled ? 0 : 700);
    }),
  );
});

test('appeal ×20 by both parties: one 900, nineteen 906', async (t) => {
  const o = await orderIn(nodes[0], 'paid');
  const { codes } = await race(N, (i) => via(i).post(`/rest/order/${o.o_id}/appeal`, { reason: `r${i}` }, i % 2 ? o.buyer.token : o.expert.token));
  t.deepEqual(codes, { 900: 1, 906: N - 1 });
  t.truthy((await storedOrder(nodes[0], o.o_id)).appeal);
});

test('settling one finished order ×20 on two nodes credits once', async (t) => {
  const o = await orderIn(nodes[0], 'finished', { price: 300 });
  const order = await storedOrder(nodes[0], o.o_id);
  const credited = await Promise.all(Array.from({ length: N }, (_, i) => nodes[i % 2].app.services.wallet.settle(order)));
  t.is(credited.filter(Boolean).length, 0, 'the comment already credited it');
  const w = await wallet(o.expert.token);
  t.is(w.balance, 300);
  t.is(w.list.length, 1);
});
