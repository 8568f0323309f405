// Appeals (docs/order-states.md): either party asks customer service for help; the appellant or
// staff resolves it. An open appeal shows in the detail and in the admin list.
import test from 'ava';
import { makeUser, useApp } from '../helpers/app';
import { orderIn, storedOrder } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

const appealed = async (o_id: string, token: string) => (await c.get(`/rest/order/${o_id}`, token)).body.info.appealed;

for (const who of ['buyer', 'expert'] as const) {
  test(`the ${who} appeals and resolves; the status does not change`, async (t) => {
    const o = await orderIn(t0, 'paid');
    const res = await c.post(`/rest/order/${o.o_id}/appeal`, { reason: '对方不回复' }, o[who].token);
    t.deepEqual(res.body, { code: 900 });
    t.true(await appealed(o.o_id, o.buyer.token));
    const stored = await storedOrder(t0, o.o_id);
    t.is(stored.status, 'paid');
    t.like(stored.appeal, { by: who === 'buyer' ? 'buyer' : 'seller', userID: o[who].userID, reason: '对方不回复' });

    t.deepEqual((await c.post(`/rest/order/${o.o_id}/appeal/resolve`, undefined, o[who].token)).body, { code: 900 });
    t.false(await appealed(o.o_id, o.expert.token));
    t.is((await storedOrder(t0, o.o_id)).appeal, null);
  });
}

test('staff resolves an appeal', async (t) => {
  const o = await orderIn(t0, 'toBeFinished');
  await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'r' }, o.buyer.token);
  t.deepEqual((await c.post(`/rest/order/${o.o_id}/appeal/resolve`, {}, makeUser({ staff: true }).token)).body, { code: 900 });
  t.false(await appealed(o.o_id, o.buyer.token));
});

test('a second appeal while one is open is a duplicate (906); after resolving, a new one is allowed', async (t) => {
  const o = await orderIn(t0, 'pending');
  t.is((await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'a' }, o.buyer.token)).body.code, 900);
  const before = await storedOrder(t0, o.o_id);
  const again = await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'b' }, o.expert.token);
  t.is(again.status, 409);
  t.is(again.body.code, 906);
  t.deepEqual(await storedOrder(t0, o.o_id), before);
  await c.post(`/rest/order/${o.o_id}/appeal/resolve`, {}, o.buyer.token);
  t.is((await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'c' }, o.expert.token)).body.code, 900);
});

for (const state of ['rejected', 'finished', 'canceled'] as const) {
  test(`no appeal on a ${state} order (905)`, async (t) => {
    const o = await orderIn(t0, state);
    const before = await storedOrder(t0, o.o_id);
    const res = await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'r' }, o.buyer.token);
    t.is(res.body.code, 905);
    t.deepEqual(await storedOrder(t0, o.o_id), before);
  });
}

test('an appeal needs a reason', async (t) => {
  const o = await orderIn(t0, 'paid');
  for (const body of [{}, { reason: '' }, { reason: 5 }, { reason: { $gt: '' } }]) {
    const res = await c.post(`/rest/order/${o.o_id}/appeal`, body, o.buyer.token);
    t.is(res.body.code, 901, JSON.stringify(body));
    t.regex(res.body.msg, /^reason/);
  }
  t.is((await storedOrder(t0, o.o_id)).appeal, null);
});

test('an appealed order stays open for the expiry sweeps to skip, and its status moves go on', async (t) => {
  const o = await orderIn(t0, 'paid');
  await c.post(`/rest/order/${o.o_id}/appeal`, { reason: 'r' }, o.buyer.token);
  t.is((await c.post(`/rest/order/${o.o_id}/finish`, {}, o.expert.token)).body.code, 900);
  const due = await t0.app.store.orders.listDue('toBeFinished', new Date(Date.now() + 1e9), 1000);
  t.false(due.some((d) => d.o_id === o.o_id));
});
