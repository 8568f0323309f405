// GET /rest/wallet (README.md, "Wallet"): the caller's settled income and its ledger entries.
import test from 'ava';
import { settleLeftovers } from '../../src/jobs/sweeps';
import { MOVES } from '../../src/orders/order.rules';
import { SETTLE_STEPS } from '../../src/wallet/settlement.repo';
import { makeUser, useApp } from '../helpers/app';
import { buildTopic } from '../helpers/factories';
import { orderIn, payDirect } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

test('an empty wallet', async (t) => {
  const res = await c.get('/rest/wallet', makeUser().token);
  t.deepEqual(res.body, { code: 900, info: { balance: 0, currency: 'cny', list: [] } });
});

test('each finished order credits its price to the expert once, newest entry first', async (t) => {
  const expert = makeUser();
  const prices = [1000, 2550];
  const o_ids: string[] = [];
  for (const price of prices) {
    const { topic_id } = await buildTopic(c, expert, { price });
    const buyer = makeUser();
    const { body } = await c.post(`/rest/topic/${topic_id}/order`, { question: 'q', self_desc: 'd' }, buyer.token);
    await c.post(`/rest/order/${body.o_id}/confirm`, {}, expert.token);
    await payDirect(t0)(body.o_id);
    await c.post(`/rest/order/${body.o_id}/finish`, {}, expert.token);
    t.is((await c.post(`/rest/order/${body.o_id}/comment`, { comment: 'ok', rating: '4' }, buyer.token)).body.code, 900);
    o_ids.push(body.o_id);
  }
  const res = await c.get('/rest/wallet', expert.token);
  t.is(res.body.code, 900);
  t.is(res.body.info.balance, 3550);
  t.is(res.body.info.currency, 'cny');
  t.deepEqual(
    res.body.info.list.map((e: any) => [e.o_id, e.amount, e.kind]),
    [
      [o_ids[1], 2550, 'settle'],
      [o_ids[0], 1000, 'settle'],
    ],
  );
  for (const e of res.body.info.list) {
    t.regex(e.id, /^[0-9a-f]{24}$/);
    t.regex(e.createdAt, /Z$/);
  }
  // Paging the entries.
  const page2 = await c.get('/rest/wallet?limit=1&page=2', expert.token);
  t.deepEqual(page2.body.info.list.map((e: any) => e.o_id), [o_ids[0]]);
  t.is(page2.body.info.balance, 3550);
});

test('the settle timeout credits like a comment does, and a later settle changes nothing', async (t) => {
  const o = await orderIn(t0, 'toBeFinished', { price: 777 });
  const finished = await t0.app.services.orders.transition(o.o_id, MOVES.settleTimeout, null);
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 777);
  t.false(await t0.app.services.wallet.settle(finished));
  t.is((await settleLeftovers({ store: t0.app.store, wallet: t0.app.services.wallet, log: t0.app.log })).done, 0);
  const res = await c.get('/rest/wallet', o.expert.token);
  t.is(res.body.info.balance, 777);
  t.is(res.body.info.list.length, 1);
  t.truthy((await t0.app.store.orders.get(o.o_id))?.settledAt);
});

test('the buyer earns nothing, and nobody else sees the expert’s money', async (t) => {
  const o = await orderIn(t0, 'finished', { price: 500 });
  t.is((await c.get('/rest/wallet', o.buyer.token)).body.info.balance, 0);
  t.is((await c.get('/rest/wallet', makeUser().token)).body.info.balance, 0);
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 500);
});

test('canceled and rejected orders credit nothing', async (t) => {
  for (const state of ['canceled', 'rejected'] as const) {
    const o = await orderIn(t0, state);
    t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 0, state);
  }
});

for (const step of SETTLE_STEPS) {
  test(`a crash after the settlement's ${step} step: the next sweep credits the expert and counts the topic once`, async (t) => {
    const o = await orderIn(t0, 'toBeFinished', { price: 1300 });
    // The order finishes and the process dies before its listeners run: only the status is stored.
    const { order: finished } = await t0.app.store.orders.transition(o.o_id, ['toBeFinished'], 'finished', 'completeAt', new Date(), { comment: '好', rating: 3, commentAt: new Date() });
    await t.throwsAsync(
      t0.app.services.wallet.settle(finished!, (s) => {
        if (s === step) throw new Error(`crash after ${s}`);
      }),
    );
    await t0.app.jobs.runOnce();
    await t0.app.jobs.runOnce();
    const wallet = (await c.get('/rest/wallet', o.expert.token)).body.info;
    t.is(wallet.balance, 1300);
    t.deepEqual(wallet.list.map((e: any) => [e.o_id, e.amount]), [[o.o_id, 1300]]);
    t.like((await c.get(`/rest/topic/${o.topic_id}`)).body.info, { finish_count: 1, rating: 3 });
    t.truthy((await t0.app.store.orders.get(o.o_id))?.settledAt);
  });
}
