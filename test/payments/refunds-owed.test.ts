// The refund a staff cancel owes leaves the request: the cancel writes `refund: 'owed'` with
// the status and answers; the refund runs after it (in the background, and in the job sweep
// for what a crash left), exactly once however many workers race for it. Ping++ is the local
// fake, held (answers nothing until released) or down. Serial: the fake's state is shared.
import test from 'ava';
import type { Charge } from '../../src/payments/charge';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { rsaKeys } from '../helpers/money';
import { startPingppFake, type PingppFake } from '../fakes/pingpp-fake';

let fake: PingppFake;
let t0: TestApp;
const staff = makeUser({ staff: true });

test.before(async () => {
  fake = await startPingppFake({ apiKey: 'sk_test_owed', appId: 'app_owed' });
  t0 = await startApp({ PAYMENT_PROVIDER: 'pingpp', PINGPP_API_KEY: 'sk_test_owed', PINGPP_APP_ID: 'app_owed', PINGPP_API_BASE: fake.url, PINGPP_PUBLIC_KEY: rsaKeys().publicPem });
});
test.after.always(async () => {
  await t0?.close();
  await fake?.close();
});

/** An order paid through Ping++ (the fake marks the charge paid, the client's report confirms it). */
async function paidOrder(price: number) {
  const c = api(t0.url);
  const o = await buildOrder(c, { price });
  let charge!: Charge;
  await advance(c, o, 'paid', async (o_id, buyer) => {
    const res = (await c.post(`/rest/order/${o_id}/pay`, {}, buyer.token)).body;
    charge = res.charge;
    fake.markPaid(charge.id);
    await c.post(`/rest/pay/${res.pay_id}/result`, { status: 'success' }, buyer.token);
  });
  const [p] = await t0.app.store.payments.listByOrder(o.o_id);
  return { o, p, charge };
}

const refundCalls = (chargeId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/charges/${chargeId}/refunds`).length;

/** Resolves once `pred` holds; rejects after guardMs (a failure guard, not a timing assertion). */
async function until(pred: () => boolean, what: string, guardMs = 15_000) {
  for (let waited = 0; !pred(); waited += 10) {
    if (waited > guardMs) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The promise, or a rejection naming `what` after guardMs (a failure guard, not a timing assertion). */
function guard<T>(p: Promise<T>, what: string, guardMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const fail = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), guardMs)));
  return Promise.race([p, fail]).finally(() => clearTimeout(timer));
}

test.serial('a staff cancel answers while Ping++ has not answered; the refund is performed once it does', async (t) => {
  const { o, p, charge } = await paidOrder(4200);
  const release = fake.hold();
  const res = await guard(api(t0.url).post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '专家失联' }, staff.token), 'the admin cancel waited for Ping++').catch((err) => {
    release(); // lets the app close
    throw err;
  });
  // Answered with Ping++ still silent. The sweep and another worker join the background refund.
  const racers = Promise.all([t0.app.jobs.runOnce(), t0.app.services.payments.owed.perform(o.o_id)]);
  t.deepEqual(res.body, { data: { o_id: o.o_id, status: 'canceled', refund: 'owed' } });
  t.is((await t0.app.store.orders.get(o.o_id))!.refund, 'owed');
  t.not((await t0.app.store.payments.get(p.pay_id))!.status, 'refunded', 'the refund is pending with the provider');

  // The background refund and the sweep race; one reaches Ping++.
  await until(() => refundCalls(charge.id) >= 1, 'the refund request reached Ping++');
  release();
  await racers;
  await t0.app.services.payments.owed.drain();
  t.like(await t0.app.store.payments.get(p.pay_id), { status: 'refunded', refundAttempts: 1 });
  t.is((await t0.app.store.orders.get(o.o_id))!.refund, 'refunded');
  t.is(refundCalls(charge.id), 1, 'Ping++ was asked to refund once');
  t.is(fake.charges.get(charge.id)!.amount_refunded, 4200);
  await t0.app.jobs.runOnce();
  t.is(refundCalls(charge.id), 1, 'a later sweep asks nothing more');
});

test.serial('a cancel whose process died before the refund started: sweeps and workers racing for it refund once', async (t) => {
  const { o, p, charge } = await paidOrder(1800);
  // The cancel's write, and then nothing: the process died before its background refund began.
  const { order } = await t0.app.store.orders.transition(o.o_id, ['paid'], 'canceled', 'cancelAt', new Date(), { canceledBy: 'admin', refund: 'owed' });
  t.is(order!.refund, 'owed');
  t.is((await t0.app.store.payments.get(p.pay_id))!.status, 'paid');
  const owed = t0.app.services.payments.owed;
  await Promise.all([t0.app.jobs.runOnce(), owed.perform(o.o_id), owed.perform(o.o_id), owed.sweep(), t0.app.jobs.runOnce()]);
  await owed.drain();
  t.is(refundCalls(charge.id), 1, 'Ping++ was asked to refund once');
  t.like(await t0.app.store.payments.get(p.pay_id), { status: 'refunded' });
  // The racer that finished first may have found the refund still in flight: the next sweep marks the order.
  await t0.app.jobs.runOnce();
  t.is((await t0.app.store.orders.get(o.o_id))!.refund, 'refunded');
  t.is(fake.charges.get(charge.id)!.refunds.data.length, 1);
});

test.serial('an unpaid order owes nothing: its cancel records no refund and asks Ping++ nothing', async (t) => {
  const c = api(t0.url);
  const o = await buildOrder(c, { price: 900 });
  await advance(c, o, 'confirmed');
  const before = fake.requests.length;
  const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, {}, staff.token);
  t.deepEqual(res.body, { data: { o_id: o.o_id, status: 'canceled', refund: null } });
  await t0.app.services.payments.owed.drain();
  await t0.app.jobs.runOnce();
  t.is(fake.requests.length, before);
});
