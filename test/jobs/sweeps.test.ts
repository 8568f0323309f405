// Each job sweep on its own app with a clock the test moves: due orders move once, a second
// run changes nothing, appeals are skipped, and a failing item never blocks the others.
import test, { type ExecutionContext } from 'ava';
import { newId } from '../../src/ids';
import type { Order } from '../../src/orders/order.types';
import { api, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { manualClock, nextOrderEvent, recordEvents } from '../helpers/money';

const TIMEOUTS = { ORDER_CONFIRM_TIMEOUT_S: '60', ORDER_PAY_TIMEOUT_S: '30', ORDER_SETTLE_TIMEOUT_S: '120' };

async function jobApp(t: ExecutionContext, env: Record<string, string> = {}) {
  const clock = manualClock();
  const app = await startApp({ ...TIMEOUTS, ...env }, { now: clock.now });
  t.teardown(() => app.close());
  return { app, clock, c: api(app.url), ev: recordEvents(app.app) };
}

const statusOf = async (app: TestApp, o_id: string) => (await app.app.store.orders.get(o_id))!.status;

test('confirm expiry: a pending order older than the timeout is canceled once', async (t) => {
  const { app, clock, c, ev } = await jobApp(t);
  const old = await buildOrder(c);
  clock.advance(61_000);
  const fresh = await buildOrder(c);

  const first = await app.app.jobs.runOnce();
  t.like(first, { confirmExpired: 1, payExpired: 0, failed: 0 });
  const o = (await app.app.store.orders.get(old.o_id))!;
  t.like(o, { status: 'canceled', canceledBy: 'system' });
  t.truthy(o.cancelAt);
  t.is(ev.of(old.o_id, 'confirm_expired').length, 1);
  // the order detail says why, not only the chat
  t.like((await c.get(`/rest/order/${old.o_id}`, old.buyer.token)).body.info, { status: 'canceled', reason: 'confirm_expired' });
  t.is(await statusOf(app, fresh.o_id), 'pending');

  const second = await app.app.jobs.runOnce();
  t.like(second, { confirmExpired: 0, failed: 0 });
  t.is(ev.of(old.o_id, 'confirm_expired').length, 1);
});

test('pay expiry: a confirmed order not paid in time is canceled; its late payment is refunded', async (t) => {
  const { app, clock, c, ev } = await jobApp(t);
  const o = await buildOrder(c, { price: 700 });
  await advance(c, o, 'confirmed');
  const { pay_id } = (await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token)).body;
  clock.advance(31_000);
  t.like(await app.app.jobs.runOnce(), { payExpired: 1, failed: 0 });
  t.is(await statusOf(app, o.o_id), 'canceled');
  t.is(ev.of(o.o_id, 'pay_expired').length, 1);
  t.like((await c.get(`/rest/order/${o.o_id}`, o.expert.token)).body.info, { status: 'canceled', reason: 'pay_expired' });
  t.like(await app.app.jobs.runOnce(), { payExpired: 0 });

  t.deepEqual((await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: false });
  t.is((await app.app.store.payments.get(pay_id))!.status, 'refunded');
  t.is(await statusOf(app, o.o_id), 'canceled');
});

test('settle timeout: an uncommented order finishes and the expert is credited once', async (t) => {
  const { app, clock, c, ev } = await jobApp(t);
  const o = await buildOrder(c, { price: 5100 });
  await advance(c, o, 'toBeFinished');
  clock.advance(121_000);
  t.like(await app.app.jobs.runOnce(), { settleTimedOut: 1, failed: 0 });
  t.is(await statusOf(app, o.o_id), 'finished');
  t.is(ev.of(o.o_id, 'finished').length, 1);
  t.is(ev.of(o.o_id, 'settled').length, 1);
  t.like(await app.app.jobs.runOnce(), { settleTimedOut: 0, settledLeftovers: 0 });
  const wallet = (await c.get('/rest/wallet', o.expert.token)).body.info;
  t.is(wallet.balance, 5100);
  t.is(wallet.list.length, 1);
});

test("settle timeout racing the buyer's comment: finished once, credited once", async (t) => {
  const { app, clock, c, ev } = await jobApp(t);
  const orders = await Promise.all(Array.from({ length: 8 }, () => buildOrder(c, { price: 1000 })));
  for (const o of orders) await advance(c, o, 'toBeFinished');
  clock.advance(121_000);
  const [, ...comments] = await Promise.all([app.app.jobs.runOnce(), ...orders.map((o) => c.post(`/rest/order/${o.o_id}/comment`, { comment: '好', rating: 5 }, o.buyer.token))]);
  for (const r of comments) t.true([900, 905].includes(r.body.code), JSON.stringify(r.body));
  for (const o of orders) {
    t.is(await statusOf(app, o.o_id), 'finished');
    t.is(ev.of(o.o_id, 'finished').length, 1);
    const wallet = (await c.get('/rest/wallet', o.expert.token)).body.info;
    t.is(wallet.balance, 1000);
    t.is(wallet.list.length, 1);
  }
});

test('settlement leftovers: a finished order a crash left unsettled is credited once', async (t) => {
  const { app, c } = await jobApp(t);
  const o = await buildOrder(c, { price: 900 });
  await advance(c, o, 'toBeFinished');
  // Finished behind the service's back: no event, so no settlement (as after a crash).
  await app.app.store.orders.transition(o.o_id, ['toBeFinished'], 'finished', 'completeAt', new Date(), {});
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 0);
  t.like(await app.app.jobs.runOnce(), { settledLeftovers: 1, failed: 0 });
  t.like(await app.app.jobs.runOnce(), { settledLeftovers: 0 });
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 900);
  t.truthy((await app.app.store.orders.get(o.o_id))!.settledAt);
});

test('an order with an open appeal is not expired until the appeal is resolved', async (t) => {
  const { app, clock, c } = await jobApp(t);
  const o = await buildOrder(c);
  t.is((await c.post(`/rest/order/${o.o_id}/appeal`, { reason: '专家不回复' }, o.buyer.token)).body.code, 900);
  clock.advance(61_000);
  t.like(await app.app.jobs.runOnce(), { confirmExpired: 0 });
  t.is(await statusOf(app, o.o_id), 'pending');
  t.is((await c.post(`/rest/order/${o.o_id}/appeal/resolve`, {}, o.buyer.token)).body.code, 900);
  t.like(await app.app.jobs.runOnce(), { confirmExpired: 1 });
  t.is(await statusOf(app, o.o_id), 'canceled');
});

test('a failing item is logged and retried next sweep; it never blocks the rest (even past one batch)', async (t) => {
  const { app, clock, c } = await jobApp(t);
  const template = (await app.app.store.orders.get((await buildOrder(c)).o_id))!;
  // 150 due orders, more than one batch; the 5 oldest fail.
  const ids: string[] = [];
  for (let i = 0; i < 150; i++) {
    const at = new Date(clock.now().getTime() - 100_000 + i);
    const o: Order = { ...template, o_id: newId(), createdAt: at, updatedAt: at, statusAt: at };
    await app.app.store.orders.insert(o);
    ids.push(o.o_id);
  }
  const failing = new Set(ids.slice(0, 5));
  const repo = app.app.store.orders;
  const original = repo.transition;
  repo.transition = async function (o_id, ...rest) {
    if (failing.has(o_id)) throw new Error('disk on fire');
    return original.call(this, o_id, ...rest);
  };
  try {
    const report = await app.app.jobs.runOnce();
    t.is(report!.failed, 5);
    t.is(report!.confirmExpired, 145);
  } finally {
    repo.transition = original;
  }
  for (const id of ids.slice(0, 5)) t.is(await statusOf(app, id), 'pending');
  t.like(await app.app.jobs.runOnce(), { confirmExpired: 5, failed: 0 });
  for (const id of ids) t.is(await statusOf(app, id), 'canceled');
  t.is(await statusOf(app, template.o_id), 'pending', 'not due: created now');
});

test('cron: RUN_JOBS with a seconds schedule expires a confirmed order by itself', async (t) => {
  const app = await startApp({ RUN_JOBS: 'true', CRON_SCHEDULE: '* * * * * *', ORDER_PAY_TIMEOUT_S: '1' });
  t.teardown(() => app.close());
  const c = api(app.url);
  const o = await buildOrder(c);
  const expired = nextOrderEvent(app.app, (e) => e.order.o_id === o.o_id && e.key === 'pay_expired');
  await advance(c, o, 'confirmed');
  const e = await expired;
  t.is(e.order.status, 'canceled');
  t.is(e.actor, null);
});
