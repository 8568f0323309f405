// Every order endpoint's success path (README.md, "Orders" and "Comments"), with the
// published field names and shapes, through HTTP against the app `npm start` builds.
import test from 'ava';
import { MOVES } from '../../src/orders/order.rules';
import { makeUser, useApp } from '../helpers/app';
import { buildOrder, buildTopic } from '../helpers/factories';
import { orderIn, storedOrder } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

const HEX24 = /^[0-9a-f]{24}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ok = { status: 200, code: 900 };
const expectOk = (t: any, res: { status: number; body: any }) => t.like({ status: res.status, code: res.body?.code }, ok, JSON.stringify(res.body));
const detail = async (o_id: string, token: string) => (await c.get(`/rest/order/${o_id}`, token)).body.info;

/** The order detail's published fields, every one of them. */
const DETAIL_FIELDS = [
  'updatedAt', 'createdAt', 'expert_id', 'topic_id', 'userID', 'comment', 'rating', 'called', 'commentAt', 'confirmAt',
  'rejectAt', 'payAt', 'finishAt', 'self_desc', 'question', 'status', 'o_id',
];

test('create order: {code, o_id}; the order keeps the client headers', async (t) => {
  const { topic_id, expert } = await buildTopic(c, makeUser(), { price: 3000 });
  const buyer = makeUser();
  const res = await c.post(`/rest/topic/${topic_id}/order`, { question: '测试问题内容！', self_desc: '测试自身描述！' }, buyer.token, {
    client: '1.2.3.4',
    platform: 'android',
    channel: 'TencentAPP',
  });
  expectOk(t, res);
  t.deepEqual(Object.keys(res.body).sort(), ['code', 'o_id']);
  t.regex(res.body.o_id, HEX24);
  const stored = await storedOrder(t0, res.body.o_id);
  t.like(stored, { client: '1.2.3.4', platform: 'android', channel: 'TencentAPP', price: 3000, expert_id: expert.userID, userID: buyer.userID });
});

test('order detail: every published field, with its type', async (t) => {
  const o = await buildOrder(c);
  const res = await c.get(`/rest/order/${o.o_id}`, o.buyer.token);
  expectOk(t, res);
  const info = res.body.info;
  for (const f of DETAIL_FIELDS) t.true(f in info, `info.${f} is missing`);
  t.like(info, {
    o_id: o.o_id,
    userID: o.buyer.userID,
    expert_id: o.expert.userID,
    topic_id: o.topic_id,
    status: 'pending',
    question: '问题',
    self_desc: '描述',
    comment: '',
    rating: 0,
    called: false,
    commentAt: '',
    confirmAt: '',
    rejectAt: '',
    payAt: '',
    finishAt: '',
  });
  t.regex(info.createdAt, ISO);
  t.regex(info.updatedAt, ISO);
  // The seller and staff read the same detail.
  t.deepEqual(await detail(o.o_id, o.expert.token), info);
  t.deepEqual(await detail(o.o_id, makeUser({ staff: true }).token), info);
});

test('my orders: the published item shape with topic and expert embedded', async (t) => {
  const expert = makeUser();
  expectOk(t, await c.put('/rest/user/profile', { nick: '昵称', name: '姓名', avatar: '头像', title: '职位' }, expert.token));
  const { topic_id } = await buildTopic(c, expert, { title: '测试创建话题', category: '留学咨询' });
  const buyer = makeUser();
  const created = await c.post(`/rest/topic/${topic_id}/order`, { question: 'q', self_desc: 'd' }, buyer.token);
  const res = await c.get('/rest/orders', buyer.token);
  expectOk(t, res);
  t.is(res.body.list.length, 1);
  const item = res.body.list[0];
  t.like(item, {
    o_id: created.body.o_id,
    userID: buyer.userID,
    status: 'pending',
    rating: 0,
    topic: { topic_id, title: '测试创建话题', category: '留学咨询', finish_count: '0' },
    expert: { userID: expert.userID, nick: '昵称', name: '姓名', avatar: '头像', title: '职位' },
  });
  t.is(typeof item.banner, 'string');
  t.deepEqual(Object.keys(item.topic).sort(), ['category', 'finish_count', 'title', 'topic_id']);
  t.deepEqual(Object.keys(item.expert).sort(), ['avatar', 'name', 'nick', 'title', 'userID']);
});

test("expert's orders: the published item shape with topic and user embedded", async (t) => {
  const { topic_id, expert } = await buildTopic(c, makeUser(), { title: '测试创建话题', category: '留学咨询' });
  const buyer = makeUser();
  expectOk(t, await c.put('/rest/user/profile', { nick: '买家', avatar: 'a.png' }, buyer.token));
  const created = await c.post(`/rest/topic/${topic_id}/order`, { question: 'q', self_desc: 'd' }, buyer.token);
  await c.post(`/rest/order/${created.body.o_id}/confirm`, { status: 'rejected', reason: '拒绝原因' }, expert.token);
  const res = await c.get('/rest/expert/orders', expert.token);
  expectOk(t, res);
  t.is(res.body.list.length, 1);
  const item = res.body.list[0];
  t.like(item, {
    o_id: created.body.o_id,
    userID: buyer.userID,
    status: 'rejected',
    rating: 0,
    topic: { topic_id, title: '测试创建话题', category: '留学咨询', finish_count: '0' },
    user: { userID: buyer.userID, nick: '买家', avatar: 'a.png' },
  });
  t.deepEqual(Object.keys(item.user).sort(), ['avatar', 'nick', 'userID']);
  t.false('expert' in item);
});

test('the buyer cancels a pending order with a reason', async (t) => {
  const o = await buildOrder(c);
  const res = await c.post(`/rest/order/${o.o_id}/cancel`, { reason: '取消订单原因' }, o.buyer.token);
  expectOk(t, res);
  t.deepEqual(res.body, { code: 900 });
  const stored = await storedOrder(t0, o.o_id);
  t.like(stored, { status: 'canceled', reason: '取消订单原因', canceledBy: 'buyer' });
  t.truthy(stored.cancelAt);
});

test('the buyer cancels a confirmed order without a body', async (t) => {
  const o = await orderIn(t0, 'confirmed');
  expectOk(t, await c.post(`/rest/order/${o.o_id}/cancel`, undefined, o.buyer.token));
  t.is((await storedOrder(t0, o.o_id)).status, 'canceled');
});

test('the seller cancels a confirmed order before payment', async (t) => {
  const o = await orderIn(t0, 'confirmed');
  expectOk(t, await c.post(`/rest/order/${o.o_id}/cancel`, { reason: '临时有事' }, o.expert.token));
  t.like(await storedOrder(t0, o.o_id), { status: 'canceled', canceledBy: 'seller', reason: '临时有事' });
});

for (const [label, body] of [
  ['no body', undefined],
  ['an empty body', {}],
  ['status=confirmed', { status: 'confirmed' }],
] as const) {
  test(`the expert confirms with ${label}`, async (t) => {
    const o = await buildOrder(c);
    const res = await c.post(`/rest/order/${o.o_id}/confirm`, body, o.expert.token);
    expectOk(t, res);
    t.deepEqual(res.body, { code: 900 });
    const info = await detail(o.o_id, o.buyer.token);
    t.is(info.status, 'confirmed');
    t.regex(info.confirmAt, ISO);
    t.is(info.rejectAt, '');
  });
}

test('the expert rejects with a reason', async (t) => {
  const o = await buildOrder(c);
  expectOk(t, await c.post(`/rest/order/${o.o_id}/confirm`, { status: 'rejected', reason: '拒绝原因' }, o.expert.token));
  const info = await detail(o.o_id, o.buyer.token);
  t.like(info, { status: 'rejected', confirmAt: '' });
  t.regex(info.rejectAt, ISO);
  t.is((await storedOrder(t0, o.o_id)).reason, '拒绝原因');
});

test('the expert finishes a paid order: toBeFinished, finishAt stamped', async (t) => {
  const o = await orderIn(t0, 'paid');
  const res = await c.post(`/rest/order/${o.o_id}/finish`, undefined, o.expert.token);
  expectOk(t, res);
  t.deepEqual(res.body, { code: 900 });
  const info = await detail(o.o_id, o.buyer.token);
  t.is(info.status, 'toBeFinished');
  t.regex(info.finishAt, ISO);
  t.regex(info.payAt, ISO);
});

for (const rating of ['5', 3, ' 4 ']) {
  test(`the buyer comments with rating ${JSON.stringify(rating)}: finished, and the expert is paid`, async (t) => {
    const o = await orderIn(t0, 'toBeFinished', { price: 4200 });
    const res = await c.post(`/rest/order/${o.o_id}/comment`, { comment: '评价内容', rating }, o.buyer.token);
    expectOk(t, res);
    t.deepEqual(res.body, { code: 900 });
    const info = await detail(o.o_id, o.buyer.token);
    t.like(info, { status: 'finished', comment: '评价内容', rating: Number(rating) });
    t.regex(info.commentAt, ISO);
    const wallet = await c.get('/rest/wallet', o.expert.token);
    t.is(wallet.body.info.balance, 4200);
  });
}

test('topic comments: the published item shape, newest first', async (t) => {
  const { topic_id, expert } = await buildTopic(c);
  const buyers = [makeUser(), makeUser()];
  await c.put('/rest/user/profile', { nick: '昵称', avatar: 'x.png' }, buyers[1].token);
  for (const [i, buyer] of buyers.entries()) {
    const { body } = await c.post(`/rest/topic/${topic_id}/order`, { question: 'q', self_desc: 'd' }, buyer.token);
    await finishWithComment(body.o_id, buyer, expert, `评价${i}`, i + 4);
  }
  const res = await c.get(`/rest/topic/${topic_id}/comments`);
  expectOk(t, res);
  t.is(res.body.list.length, 2);
  const [first, second] = res.body.list;
  t.like(first, { comment: '评价1', rating: 5, type: 'phone', userID: buyers[1].userID, user: { userID: buyers[1].userID, nick: '昵称', avatar: 'x.png' } });
  t.regex(first.commentAt, ISO);
  t.deepEqual(Object.keys(first.user).sort(), ['avatar', 'nick', 'userID']);
  t.like(second, { comment: '评价0', rating: 4, userID: buyers[0].userID, user: { nick: '', avatar: '' } });
  t.true(first.commentAt >= second.commentAt);
});

test('topic comments: an unknown topic is 904; a topic without comments is an empty list', async (t) => {
  const unknown = await c.get('/rest/topic/0123456789abcdef01234567/comments');
  t.is(unknown.status, 404);
  t.deepEqual(unknown.body, { code: 904, msg: 'topic_id: no such topic' });
  const { topic_id } = await buildTopic(c);
  t.deepEqual((await c.get(`/rest/topic/${topic_id}/comments`)).body, { code: 900, list: [] });
});

test('expert comments: across the expert’s topics, with topic embedded', async (t) => {
  const expert = makeUser();
  const a = await buildTopic(c, expert, { title: '话题A' });
  const b = await buildTopic(c, expert, { title: '话题B' });
  const buyer = makeUser();
  for (const topic of [a, b]) {
    const { body } = await c.post(`/rest/topic/${topic.topic_id}/order`, { question: 'q', self_desc: 'd' }, buyer.token);
    await finishWithComment(body.o_id, buyer, expert, `关于${topic.topic_id}`, 5);
  }
  const res = await c.get(`/rest/user/${expert.userID}/comments`, makeUser().token);
  expectOk(t, res);
  t.is(res.body.list.length, 2);
  t.like(res.body.list[0], {
    comment: `关于${b.topic_id}`,
    rating: 5,
    type: 'phone',
    userID: buyer.userID,
    topic_id: b.topic_id,
    user: { userID: buyer.userID },
    topic: { topic_id: b.topic_id, title: '话题B' },
  });
  t.like(res.body.list[1], { topic_id: a.topic_id, topic: { title: '话题A' } });
  t.deepEqual(Object.keys(res.body.list[0].topic).sort(), ['title', 'topic_id']);
  // Comments of another expert's topics do not appear.
  t.deepEqual((await c.get(`/rest/user/${buyer.userID}/comments`)).body, { code: 900, list: [] });
});

/** Confirms, pays, finishes and comments one order. */
async function finishWithComment(o_id: string, buyer: { token: string }, expert: { token: string }, comment: string, rating: number) {
  await c.post(`/rest/order/${o_id}/confirm`, {}, expert.token);
  await t0.app.services.orders.transition(o_id, MOVES.pay, null);
  await c.post(`/rest/order/${o_id}/finish`, {}, expert.token);
  const res = await c.post(`/rest/order/${o_id}/comment`, { comment, rating }, buyer.token);
  if (res.body.code !== 900) throw new Error(`comment failed: ${JSON.stringify(res.body)}`);
}

test('fields a client may not set are ignored: the order is the caller’s, pending, at the topic’s price', async (t) => {
  const { topic_id, expert } = await buildTopic(c, makeUser(), { price: 5000 });
  const buyer = makeUser();
  const someoneElse = makeUser();
  const res = await c.post(
    `/rest/topic/${topic_id}/order`,
    { question: 'q', self_desc: 'd', status: 'finished', price: 0, userID: someoneElse.userID, expert_id: buyer.userID, o_id: '0123456789abcdef01234567', rating: 5, called: true },
    buyer.token,
  );
  expectOk(t, res);
  t.not(res.body.o_id, '0123456789abcdef01234567');
  t.like(await storedOrder(t0, res.body.o_id), { status: 'pending', price: 5000, userID: buyer.userID, expert_id: expert.userID, rating: 0, called: false });
});

test('a confirm or comment body cannot set other fields of the order', async (t) => {
  const o = await orderIn(t0, 'toBeFinished', { price: 800 });
  expectOk(t, await c.post(`/rest/order/${o.o_id}/comment`, { comment: 'c', rating: 3, price: 1, status: 'canceled', expert_id: o.buyer.userID }, o.buyer.token));
  t.like(await storedOrder(t0, o.o_id), { status: 'finished', price: 800, expert_id: o.expert.userID, rating: 3 });
  t.is((await c.get('/rest/wallet', o.expert.token)).body.info.balance, 800);
});
