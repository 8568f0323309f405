// The app wired to the pingpp provider, pointed at the local Ping++ fake (PINGPP_API_BASE),
// with request signing and webhook keys generated here. Tests that take Ping++ down
// (setDown) are serial: ava runs them before the concurrent ones.
import test from 'ava';
import type { Charge, Refund } from '../../src/payments/charge';
import { signPayload } from '../../src/payments/pingpp-signature';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { pingppEvent, postWebhook, recordEvents, rsaKeys } from '../helpers/money';
import { startPingppFake, type PingppFake } from '../fakes/pingpp-fake';

const pingpp = rsaKeys(); // Ping++'s webhook key pair
const merchant = rsaKeys(); // our request-signing key pair
let fake: PingppFake;
let t0: TestApp; // PAYMENT_PROVIDER=pingpp
let sandbox: TestApp; // sandbox, but with a webhook key
let keyless: TestApp; // no PINGPP_PUBLIC_KEY

test.before(async () => {
  fake = await startPingppFake({ apiKey: 'sk_test_abc', appId: 'app_test', merchantPublicKeyPem: merchant.publicPem });
  t0 = await startApp({
    PAYMENT_PROVIDER: 'pingpp',
    PINGPP_API_KEY: 'sk_test_abc',
    PINGPP_APP_ID: 'app_test',
    PINGPP_API_BASE: fake.url,
    // As Heroku config vars usually carry PEMs: one line with literal \n.
    PINGPP_PRIVATE_KEY: merchant.privatePem.replace(/\n/g, '\\n'),
    PINGPP_PUBLIC_KEY: pingpp.publicPem,
  });
  sandbox = await startApp({ PINGPP_PUBLIC_KEY: pingpp.publicPem });
  keyless = await startApp();
});
test.after.always(async () => {
  await Promise.all([t0?.close(), sandbox?.close(), keyless?.close()]);
  await fake?.close();
});

async function confirmed(app: TestApp, price = 2000) {
  const c = api(app.url);
  const o = await buildOrder(c, { price });
  await advance(c, o, 'confirmed');
  return o;
}

async function charged(app: TestApp, price = 2000) {
  const o = await confirmed(app, price);
  const res = await api(app.url).post(`/rest/order/${o.o_id}/pay`, { channel: 'alipay' }, o.buyer.token);
  if (res.body.code !== 900) throw new Error(`pay failed: ${JSON.stringify(res.body)}`);
  return { o, pay_id: res.body.pay_id as string, charge: res.body.charge as Charge };
}

const orderStatus = async (app: TestApp, o_id: string) => (await app.app.store.orders.get(o_id))!.status;

test('pay creates the charge at Ping++ and returns it', async (t) => {
  const { o, pay_id, charge } = await charged(t0, 2000);
  const created = fake.charges.get(charge.id);
  t.truthy(created);
  t.deepEqual(charge, JSON.parse(JSON.stringify(created)));
  t.like(charge, { order_no: pay_id, amount: 2000, app: 'app_test', channel: 'alipay', metadata: { o_id: o.o_id, pay_id } });
  const req = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/charges' && JSON.parse(r.body).order_no === pay_id);
  t.truthy(req?.headers['pingplusplus-signature'], 'requests are signed with the merchant key');
  t.like(await t0.app.store.payments.get(pay_id), { provider: 'pingpp', status: 'pending', charge_id: charge.id });
});

test("the client's success is not believed until Ping++ says the charge is paid", async (t) => {
  const c = api(t0.url);
  const { o, pay_id, charge } = await charged(t0);
  t.deepEqual((await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: false });
  t.is(await orderStatus(t0, o.o_id), 'confirmed');
  t.true(fake.requests.some((r) => r.method === 'GET' && r.path === `/v1/charges/${charge.id}`));

  fake.markPaid(charge.id);
  t.deepEqual((await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: true });
  t.is(await orderStatus(t0, o.o_id), 'paid');
  t.like(await t0.app.store.payments.get(pay_id), { status: 'paid', kept: true });
});

test('a signed charge.succeeded pays the order', async (t) => {
  const { o, pay_id, charge } = await charged(t0);
  const paid = fake.markPaid(charge.id);
  const res = await postWebhook(t0.url, JSON.stringify(pingppEvent('charge.succeeded', paid)), pingpp.privatePem);
  t.deepEqual([res.status, res.body], [200, { code: 900, handled: true }]);
  t.is(await orderStatus(t0, o.o_id), 'paid');
  t.like(await t0.app.store.payments.get(pay_id), { status: 'paid' });
});

test('a bad, missing or misplaced signature is refused with 401 and changes nothing', async (t) => {
  const { o, pay_id, charge } = await charged(t0);
  const body = JSON.stringify(pingppEvent('charge.succeeded', fake.markPaid(charge.id)));
  const other = rsaKeys();
  const cases = [
    ['signed with another key', await postWebhook(t0.url, body, other.privatePem)],
    ['no signature', await postWebhook(t0.url, body, null)],
    ['garbage signature', await postWebhook(t0.url, body, null, 'not base64 at all!')],
    // The signature of the original bytes does not cover an edited body.
    ['body edited after signing', await postWebhook(t0.url, body.replace('"livemode":false', '"livemode":true'), null, signPayload(body, pingpp.privatePem))],
    ['no PINGPP_PUBLIC_KEY on the server', await postWebhook(keyless.url, body, pingpp.privatePem)],
  ] as const;
  for (const [why, res] of cases) {
    t.is(res.status, 401, why);
    t.is(res.body.code, 902, why);
  }
  t.is(await orderStatus(t0, o.o_id), 'confirmed');
  t.is((await t0.app.store.payments.get(pay_id))!.status, 'pending');
});

test('a verified event about something unknown is acknowledged and ignored', async (t) => {
  const stranger = { ...fake.markPaid((await charged(t0)).charge.id), id: 'ch_unknownunknownunknown0' };
  const res = await postWebhook(t0.url, JSON.stringify(pingppEvent('charge.succeeded', stranger)), pingpp.privatePem);
  t.deepEqual([res.status, res.body], [200, { code: 900, handled: false }]);
  const malformed = await postWebhook(t0.url, JSON.stringify({ id: 'evt_1', type: 'charge.succeeded' }), pingpp.privatePem);
  t.is(malformed.status, 400);
  t.is(malformed.body.code, 901);
});

for (const [name, app] of [
  ['pingpp', () => t0],
  ['sandbox', () => sandbox],
] as const) {
  test(`${name}: 20 racing confirmations (webhook ×10 + client report ×10) pay the order once`, async (t) => {
    const a = app();
    const { o, pay_id, charge } = await charged(a, 2600);
    // Ping++ has the charge paid; the sandbox learns it from the first report or event.
    const paid = name === 'pingpp' ? fake.markPaid(charge.id) : { ...charge, paid: true, time_paid: Math.floor(Date.now() / 1000) };
    const body = JSON.stringify(pingppEvent('charge.succeeded', paid));
    const ev = recordEvents(a.app);
    const c = api(a.url);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? postWebhook(a.url, body, pingpp.privatePem) : c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token))),
    );
    for (const r of results) t.is(r.status, 200);
    t.is(ev.of(o.o_id, 'paid').length, 1, 'one paid event');
    const order = await a.app.store.orders.get(o.o_id);
    t.is(order!.status, 'paid');
    t.truthy(order!.payAt);
    const payments = await a.app.store.payments.listByOrder(o.o_id);
    t.is(payments.length, 1);
    t.like(payments[0], { pay_id, status: 'paid', kept: true });
    // Every report that came after the win says paid too.
    t.true(results.filter((r, i) => i % 2 === 0).every((r) => r.body.paid === true));
  });
}

test.serial('a staff cancel refunds through Ping++; an outage is recorded and the sweep retries once it is over', async (t) => {
  const c = api(t0.url);
  const o = await buildOrder(c, { price: 4200 });
  await advance(c, o, 'paid', async (o_id, buyer) => {
    const { pay_id, charge } = (await c.post(`/rest/order/${o_id}/pay`, {}, buyer.token)).body;
    fake.markPaid(charge.id);
    await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, buyer.token);
  });
  const [p] = await t0.app.store.payments.listByOrder(o.o_id);
  t.is(p.status, 'paid');

  fake.setDown(true);
  try {
    const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '专家失联' }, makeUser({ staff: true }).token);
    t.is(res.body.data.status, 'canceled', 'the cancel itself succeeds');
    await t0.app.services.payments.owed.drain(); // the refund runs after the answer
    const failed = await t0.app.store.payments.get(p.pay_id);
    t.is(failed!.status, 'refund_failed');
    t.regex(failed!.error, /temporarily unavailable/);
    // While Ping++ is down the sweep keeps it recorded, not lost.
    await t0.app.jobs.runOnce();
    t.is((await t0.app.store.payments.get(p.pay_id))!.status, 'refund_failed');
  } finally {
    fake.setDown(false);
  }
  await t0.app.jobs.runOnce();
  const refunded = await t0.app.store.payments.get(p.pay_id);
  t.is(refunded!.status, 'refunded');
  t.is((await t0.app.store.orders.get(o.o_id))!.refund, 'refunded', 'the order no longer owes it');
  const atPingpp = fake.charges.get(p.charge_id!)!;
  t.is(atPingpp.amount_refunded, 4200);
  t.is(atPingpp.refunds.data.length, 1);
  t.is(refunded!.refund_id, atPingpp.refunds.data[0].id);

  // Further sweeps leave it alone: money went back once.
  await t0.app.jobs.runOnce();
  t.is(fake.charges.get(p.charge_id!)!.refunds.data.length, 1);
});

test('a refund Ping++ finishes later is marked by refund.succeeded', async (t) => {
  const c = api(t0.url);
  const { o, pay_id, charge } = await charged(t0, 1000);
  fake.markPaid(charge.id);
  await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token);
  // As if Ping++ had answered the refund request with status "pending".
  const p = await t0.app.store.payments.update(pay_id, ['paid'], { status: 'refunding', refund_id: 're_pendingpendingpending00', updatedAt: new Date() });
  t.truthy(p);
  const refund = { id: 're_pendingpendingpending00', object: 'refund', charge: charge.id, amount: 1000, succeed: true, status: 'succeeded' } as unknown as Refund;
  const res = await postWebhook(t0.url, JSON.stringify(pingppEvent('refund.succeeded', refund)), pingpp.privatePem);
  t.deepEqual([res.status, res.body], [200, { code: 900, handled: true }]);
  t.like(await t0.app.store.payments.get(pay_id), { status: 'refunded', refund_id: 're_pendingpendingpending00' });
});

test.serial('Ping++ failing to create the charge answers 908 and stores nothing', async (t) => {
  const o = await confirmed(t0);
  fake.setDown(true);
  try {
    const res = await api(t0.url).post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token);
    t.is(res.status, 502);
    t.is(res.body.code, 908);
    t.regex(res.body.msg, /^payment: /);
  } finally {
    fake.setDown(false);
  }
  t.deepEqual(await t0.app.store.payments.listByOrder(o.o_id), []);
  t.is(await orderStatus(t0, o.o_id), 'confirmed');
});
