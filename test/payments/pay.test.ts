// Paying through the endpoints with the sandbox provider: who may pay, the charge's shape,
// the client's report, free topics, refunds on staff cancel and on late payments.
import test from 'ava';
import { MOVES } from '../../src/orders/order.rules';
import { makeUser, useApp } from '../helpers/app';
import { advance, buildOrder, payViaApi } from '../helpers/factories';
import { recordEvents } from '../helpers/money';

const t0 = useApp(test);
const c = t0.api;

const confirmedOrder = async (price = 1500) => {
  const o = await buildOrder(c, { price });
  await advance(c, o, 'confirmed');
  return o;
};

test('the buyer pays a confirmed order: a Ping++-shaped charge, then the report pays it', async (t) => {
  const o = await confirmedOrder(1500);
  const ev = recordEvents(t0.app);
  const res = await c.post(`/rest/order/${o.o_id}/pay`, { channel: 'wx' }, o.buyer.token);
  t.is(res.status, 200);
  t.is(res.body.code, 900);
  t.regex(res.body.pay_id, /^[0-9a-f]{24}$/);
  t.like(res.body.charge, { object: 'charge', paid: false, channel: 'wx', amount: 1500, currency: 'cny', order_no: res.body.pay_id, metadata: { o_id: o.o_id, pay_id: res.body.pay_id } });
  t.regex(res.body.charge.id, /^ch_/);
  t.is(res.body.charge.credential.wx.packageValue, 'Sign=WXPay');
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'confirmed');

  const report = await c.post(`/rest/pay/${res.body.pay_id}/result`, { status: 'success' }, o.buyer.token);
  t.deepEqual(report.body, { code: 900, paid: true });
  const info = (await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info;
  t.is(info.status, 'paid');
  t.not(info.payAt, '');
  t.deepEqual(ev.of(o.o_id, 'paid').map((e) => e.data), [{ pay_id: res.body.pay_id }]);
  const stored = await t0.app.store.payments.get(res.body.pay_id);
  t.like(stored, { status: 'paid', kept: true, provider: 'sandbox', amount: 1500, charge_id: res.body.charge.id, userID: o.buyer.userID });
  t.true(stored!.charge!.paid);

  // Reporting again, or paying again, changes nothing.
  t.deepEqual((await c.post(`/rest/pay/${res.body.pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: true });
  const again = await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token);
  t.is(again.status, 409);
  t.is(again.body.code, 906);
  t.is(ev.of(o.o_id, 'paid').length, 1);
});

test('channel defaults to alipay and currency to cny; anything else is 901', async (t) => {
  const o = await confirmedOrder();
  const res = await c.post(`/rest/order/${o.o_id}/pay`, undefined, o.buyer.token);
  t.is(res.body.code, 900);
  t.like(res.body.charge, { channel: 'alipay', currency: 'cny' });
  t.true(typeof res.body.charge.credential.alipay.orderInfo === 'string');
  for (const [body, field] of [
    [{ channel: 'paypal' }, 'channel'],
    [{ currency: 'usd' }, 'currency'],
    [{ channel: { $ne: 1 } }, 'channel'],
  ] as const) {
    const bad = await c.post(`/rest/order/${o.o_id}/pay`, body, o.buyer.token);
    t.is(bad.status, 400);
    t.is(bad.body.code, 901);
    t.true(bad.body.msg.startsWith(field), bad.body.msg);
  }
});

test('only the buyer pays, only a confirmed order', async (t) => {
  const o = await buildOrder(c);
  const pending = await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token);
  t.is(pending.status, 409);
  t.is(pending.body.code, 905);
  await advance(c, o, 'confirmed');
  for (const who of [o.expert, makeUser(), makeUser({ staff: true })]) {
    const res = await c.post(`/rest/order/${o.o_id}/pay`, {}, who.token);
    t.is(res.status, 403);
    t.is(res.body.code, 903);
  }
  t.is((await c.post(`/rest/order/${o.o_id}/pay`, {}, undefined)).body.code, 902);
  t.is((await c.post(`/rest/order/0123456789abcdef01234567/pay`, {}, o.buyer.token)).body.code, 904);
  t.deepEqual(await t0.app.store.payments.listByOrder(o.o_id), []);
});

test('the pay result: only the payer, a known payment, success or cancel', async (t) => {
  const o = await confirmedOrder();
  const { pay_id } = (await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token)).body;
  t.is((await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.expert.token)).body.code, 903);
  t.is((await c.post(`/rest/pay/0123456789abcdef01234567/result`, { status: 'success' }, o.buyer.token)).body.code, 904);
  t.is((await c.post(`/rest/pay/nope/result`, { status: 'success' }, o.buyer.token)).body.code, 901);
  const bad = await c.post(`/rest/pay/${pay_id}/result`, { status: 'paid' }, o.buyer.token);
  t.is(bad.body.code, 901);
  t.regex(bad.body.msg, /^status/);

  // A cancel is recorded; the order waits; a later success still pays (the provider's word wins).
  t.deepEqual((await c.post(`/rest/pay/${pay_id}/result`, { status: 'cancel' }, o.buyer.token)).body, { code: 900, paid: false });
  t.is((await t0.app.store.payments.get(pay_id))!.status, 'canceled');
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'confirmed');
  t.deepEqual((await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: true });
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'paid');
});

test('a free topic is paid at once, without a charge', async (t) => {
  const o = await confirmedOrder(0);
  const res = await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token);
  t.is(res.body.code, 900);
  t.is(res.body.charge, null);
  t.regex(res.body.pay_id, /^[0-9a-f]{24}$/);
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'paid');
  t.deepEqual((await c.post(`/rest/pay/${res.body.pay_id}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: true });
  t.like(await t0.app.store.payments.get(res.body.pay_id), { provider: 'free', amount: 0, charge_id: null, status: 'paid', kept: true });
  t.is((await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token)).body.code, 906);
});

test('two racing pays of a free order: one pays, the other is told it is paid', async (t) => {
  const o = await confirmedOrder(0);
  const ev = recordEvents(t0.app);
  const res = await Promise.all(Array.from({ length: 5 }, () => c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token)));
  t.deepEqual(res.map((r) => r.body.code).sort(), [900, 906, 906, 906, 906]);
  t.is(ev.of(o.o_id, 'paid').length, 1);
  t.is((await t0.app.store.payments.listByOrder(o.o_id)).length, 1);
});

test('a staff cancel of a paid order refunds it through the sandbox', async (t) => {
  for (const status of ['paid', 'toBeFinished'] as const) {
    const o = await buildOrder(c, { price: 3000 });
    await advance(c, o, status);
    const [p] = await t0.app.store.payments.listByOrder(o.o_id);
    const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '用户投诉' }, makeUser({ staff: true }).token);
    t.deepEqual(res.body, { data: { o_id: o.o_id, status: 'canceled', refund: 'owed' } });
    await t0.app.services.payments.owed.drain(); // the refund runs after the answer
    t.is((await t0.app.store.orders.get(o.o_id))!.refund, 'refunded');
    const after = await t0.app.store.payments.get(p.pay_id);
    t.like(after, { status: 'refunded', refundAttempts: 1 });
    t.regex(after!.refund_id!, /^re_/);
    t.truthy(after!.closedAt);
  }
});

test('a payment that arrives after the order expired is refunded, and does not revive it', async (t) => {
  const o = await confirmedOrder(800);
  const { pay_id } = (await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token)).body;
  await t0.app.services.orders.transition(o.o_id, MOVES.payExpire, null, { canceledBy: 'system' });
  const res = await c.post(`/rest/pay/${pay_id}/result`, { status: 'success' }, o.buyer.token);
  t.deepEqual(res.body, { code: 900, paid: false });
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'canceled');
  const p = await t0.app.store.payments.get(pay_id);
  t.is(p!.status, 'refunded');
  t.truthy(p!.paidAt, 'the money did arrive');
  t.truthy(p!.refundedAt);
});

test('two charges of one order both paid: the first pays the order, the second is refunded', async (t) => {
  const o = await confirmedOrder(900);
  const a = (await c.post(`/rest/order/${o.o_id}/pay`, { channel: 'alipay' }, o.buyer.token)).body.pay_id;
  const b = (await c.post(`/rest/order/${o.o_id}/pay`, { channel: 'wx' }, o.buyer.token)).body.pay_id;
  t.deepEqual((await c.post(`/rest/pay/${a}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: true });
  t.deepEqual((await c.post(`/rest/pay/${b}/result`, { status: 'success' }, o.buyer.token)).body, { code: 900, paid: false });
  t.like(await t0.app.store.payments.get(a), { status: 'paid', kept: true });
  t.like(await t0.app.store.payments.get(b), { status: 'refunded', kept: false });
  t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'paid');
});

test('a finished order keeps its money and its payment is closed', async (t) => {
  const o = await buildOrder(c, { price: 1200 });
  await advance(c, o, 'finished');
  const [p] = await t0.app.store.payments.listByOrder(o.o_id);
  t.like(p, { status: 'paid', kept: true });
  t.truthy(p.closedAt);
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 1200);
});
