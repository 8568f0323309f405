// The customer-service console's order endpoints (README.md, "Customer service"; the admin envelope of docs/errors.md):
// `{data}` with `meta` on lists; `{error: {code, message}}` on failure.
import test from 'ava';
import { makeUser, useApp } from '../helpers/app';
import { payViaApi } from '../helpers/factories';
import { until } from '../helpers/fleet';
import { orderIn, storedOrder } from '../helpers/orders';

// A store of its own, so the totals are exact.
const t0 = useApp(test);
const c = t0.api;
const staff = makeUser({ staff: true });
let orders: Record<string, string> = {};

test.before(async () => {
  for (const state of ['pending', 'confirmed', 'paid', 'rejected', 'canceled'] as const) orders[state] = (await orderIn(t0, state)).o_id;
  const appealed = await orderIn(t0, 'pending');
  await c.post(`/rest/order/${appealed.o_id}/appeal`, { reason: '投诉' }, appealed.buyer.token);
  orders.appealed = appealed.o_id;
});

const ids = (res: { body: any }) => res.body.data.list.map((o: { o_id: string }) => o.o_id);

test.serial('GET /v1/admin/orders lists every order, newest first, with meta', async (t) => {
  const res = await c.get('/v1/admin/orders', staff.token);
  t.is(res.status, 200);
  t.deepEqual(res.body.data.meta, { page: 1, limit: 10, total: 6 });
  t.deepEqual(ids(res), [orders.appealed, orders.canceled, orders.rejected, orders.paid, orders.confirmed, orders.pending]);
  const item = res.body.data.list[0];
  t.like(item, { o_id: orders.appealed, status: 'pending', appealed: true, appeal: { by: 'buyer', reason: '投诉' } });
  for (const f of ['userID', 'expert_id', 'topic_id', 'question', 'createdAt', 'price']) t.true(f in item, f);
});

test.serial('GET /v1/admin/orders filters by status and appealed, and pages', async (t) => {
  const get = (q: string) => c.get(`/v1/admin/orders${q}`, staff.token);
  t.deepEqual(ids(await get('?status=canceled')), [orders.canceled]);
  t.deepEqual(ids(await get('?status=paid,confirmed')), [orders.paid, orders.confirmed]);
  t.deepEqual(ids(await get('?appealed=true')), [orders.appealed]);
  t.is((await get('?appealed=false')).body.data.meta.total, 5);
  t.deepEqual(ids(await get('?status=pending&appealed=0')), [orders.pending]);
  const page2 = await get('?limit=2&page=2');
  t.deepEqual(page2.body.data.meta, { page: 2, limit: 2, total: 6 });
  t.deepEqual(ids(page2), [orders.rejected, orders.paid]);
  t.is((await get('?limit=1000')).body.data.meta.limit, 100);
});

for (const [q, field] of [
  ['?status=bogus', 'status'],
  ['?appealed=maybe', 'appealed'],
  ['?limit=0', 'limit'],
  ['?page=abc', 'page'],
  ['?status=pending&status=paid', 'status'],
] as const) {
  test.serial(`GET /v1/admin/orders${q} → 400 invalid_input naming ${field}`, async (t) => {
    const res = await c.get(`/v1/admin/orders${q}`, staff.token);
    t.is(res.status, 400);
    t.is(res.body.error.code, 'invalid_input');
    t.true(res.body.error.message.startsWith(field), res.body.error.message);
  });
}

test.serial('POST /v1/admin/orders/:id/cancel cancels an unpaid order', async (t) => {
  for (const state of ['pending', 'confirmed'] as const) {
    const o = await orderIn(t0, state);
    const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '客服取消' }, staff.token);
    t.is(res.status, 200);
    t.deepEqual(res.body, { data: { o_id: o.o_id, status: 'canceled', refund: null } });
    t.like(await storedOrder(t0, o.o_id), { status: 'canceled', canceledBy: 'admin', reason: '客服取消' });
    // Both parties see it.
    t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info.status, 'canceled');
  }
  const noBody = await orderIn(t0, 'pending');
  t.is((await c.post(`/v1/admin/orders/${noBody.o_id}/cancel`, undefined, staff.token)).status, 200);
});

test.serial('admin cancel: a finished or canceled order is a 409 conflict', async (t) => {
  for (const state of ['finished', 'canceled', 'rejected'] as const) {
    const o = await orderIn(t0, state);
    const before = await storedOrder(t0, o.o_id);
    const res = await c.post(`/v1/admin/orders/${o.o_id}/cancel`, {}, staff.token);
    t.is(res.status, 409, state);
    t.is(res.body.error.code, 'invalid_status');
    t.deepEqual(await storedOrder(t0, o.o_id), before);
  }
});

test.serial('admin cancel: bad input is a 400 in the admin envelope and changes nothing', async (t) => {
  const o = await orderIn(t0, 'pending');
  const before = await storedOrder(t0, o.o_id);
  const cases: [string, unknown, number][] = [
    [`/v1/admin/orders/${o.o_id}/cancel`, { reason: { $gt: '' } }, 400],
    [`/v1/admin/orders/${o.o_id}/cancel`, { reason: 7 }, 400],
    [`/v1/admin/orders/${o.o_id}/cancel`, '{"reason":', 400],
    [`/v1/admin/orders/${o.o_id}/cancel`, '[]', 400],
    [`/v1/admin/orders/${o.o_id}/cancel`, JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 10) }), 413],
    ['/v1/admin/orders/not-an-id/cancel', {}, 400],
  ];
  for (const [path, body, status] of cases) {
    const res = await c.post(path, body, staff.token);
    t.is(res.status, status, `${path} ${String(body).slice(0, 30)}`);
    t.is(res.body.error.code, 'invalid_input');
    t.is(typeof res.body.error.message, 'string');
  }
  t.deepEqual(await storedOrder(t0, o.o_id), before);
});

test.serial('an unknown admin path answers 404 in the admin envelope', async (t) => {
  const res = await c.get('/v1/admin/nothing-here', staff.token);
  t.is(res.status, 404);
  t.is(res.body.error.code, 'not_found');
});

test.serial('GET /v1/admin/orders filters by a party (buyer or seller) and by order id', async (t) => {
  const a = await orderIn(t0, 'confirmed');
  const b = await orderIn(t0, 'pending');
  const get = (q: string) => c.get(`/v1/admin/orders${q}`, staff.token);
  t.deepEqual(ids(await get(`?userID=${a.buyer.userID}`)), [a.o_id]);
  t.deepEqual(ids(await get(`?userID=${a.expert.userID}`)), [a.o_id]);
  t.deepEqual(ids(await get(`?o_id=${b.o_id}`)), [b.o_id]);
  t.deepEqual(ids(await get(`?o_id=${b.o_id}&userID=${a.buyer.userID}`)), []);
  t.deepEqual(ids(await get(`?o_id=${a.o_id.toUpperCase()}&status=confirmed`)), [a.o_id]);
  // An empty field counts as not given.
  t.is((await get('?userID=&o_id=')).body.data.meta.total, (await get('')).body.data.meta.total);
  for (const [q, field] of [
    ['?userID=nope', 'userID'],
    ['?o_id=123', 'o_id'],
  ]) {
    const res = await get(q);
    t.is(res.status, 400, q);
    t.true(res.body.error.message.startsWith(field), res.body.error.message);
  }
});

test.serial('GET /v1/admin/orders/:id shows the parties, topic, payments, refunds, calls and appeal', async (t) => {
  const o = await orderIn(t0, 'pending');
  await c.put('/rest/user/profile', { nick: '小李', avatar: 'https://example.com/b.png' }, o.buyer.token);
  await c.put('/rest/user/profile', { nick: '王老师', title: '留学顾问' }, o.expert.token);
  await c.post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token);
  const pay_id = await payViaApi(c, o.o_id, o.buyer);
  const callRes = await c.post(`/rest/order/${o.o_id}/call`, undefined, o.buyer.token);
  await c.post(`/rest/order/${o.o_id}/appeal`, { reason: '没人接' }, o.buyer.token);

  const res = await c.get(`/v1/admin/orders/${o.o_id}`, staff.token);
  t.is(res.status, 200);
  const d = res.body.data;
  t.like(d.order, { o_id: o.o_id, status: 'paid', appealed: true, called: true, appeal: { by: 'buyer', userID: o.buyer.userID, reason: '没人接' } });
  t.true(d.order.payAt !== '' && d.order.confirmAt !== '');
  t.deepEqual(d.buyer, { userID: o.buyer.userID, nick: '小李', name: '', avatar: 'https://example.com/b.png', title: '' });
  t.like(d.seller, { userID: o.expert.userID, nick: '王老师', title: '留学顾问' });
  t.like(d.topic, { topic_id: o.topic_id, price: 1000 });
  t.is(d.payments.length, 1);
  t.like(d.payments[0], { pay_id, amount: 1000, status: 'paid', provider: 'sandbox' });
  t.deepEqual(d.refunds, []);
  t.is(d.calls.length, 1);
  t.like(d.calls[0], { callSid: callRes.body.callSid, from: o.buyer.userID, to: o.expert.userID });

  await c.post(`/v1/admin/orders/${o.o_id}/cancel`, { reason: '客服取消' }, staff.token);
  // The cancel answers with the refund owed; the payment shows as a refund once a worker claims it.
  const detail = async () => (await c.get(`/v1/admin/orders/${o.o_id}`, staff.token)).body.data;
  let after = await detail();
  await until(async () => (after = await detail()).refunds.length > 0, 10_000, 'the refund to show');
  t.like(after.order, { status: 'canceled', canceledBy: 'admin', reason: '客服取消' });
  t.is(after.refunds.length, 1);
  t.like(after.refunds[0], { pay_id, amount: 1000 });
  t.true(['refunding', 'refunded'].includes(after.refunds[0].status), after.refunds[0].status);
});

test.serial('GET /v1/admin/orders/:id: an unknown order is 404, a bad id 400, a user 403', async (t) => {
  const o = await orderIn(t0, 'pending');
  t.is((await c.get(`/v1/admin/orders/${'a'.repeat(24)}`, staff.token)).body.error.code, 'not_found');
  t.is((await c.get('/v1/admin/orders/xyz', staff.token)).status, 400);
  const asBuyer = await c.get(`/v1/admin/orders/${o.o_id}`, o.buyer.token);
  t.is(asBuyer.status, 403);
  t.is(asBuyer.body.error.code, 'forbidden');
});
