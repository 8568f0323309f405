// POST /rest/topic and GET /rest/topic/:topic_id (README.md, "Topics").
import test from 'ava';
import { MOVES } from '../../src/orders/order.rules';
import { makeUser, useApp } from '../helpers/app';
import { orderIn } from '../helpers/orders';

const t0 = useApp(test);
const c = t0.api;

test('a topic is created with the caller as its expert and read back', async (t) => {
  const expert = makeUser();
  const res = await c.post('/rest/topic', { title: '测试创建话题', category: '留学咨询', price: 9900 }, expert.token);
  t.is(res.status, 200);
  t.deepEqual(Object.keys(res.body).sort(), ['code', 'topic_id']);
  t.regex(res.body.topic_id, /^[0-9a-f]{24}$/);
  const got = await c.get(`/rest/topic/${res.body.topic_id}`);
  t.deepEqual(got.body, {
    code: 900,
    info: { topic_id: res.body.topic_id, title: '测试创建话题', category: '留学咨询', price: 9900, expert_id: expert.userID, finish_count: 0, rating: 0 },
  });
});

test('a free topic (price 0) is allowed', async (t) => {
  const res = await c.post('/rest/topic', { title: 't', category: 'c', price: 0 }, makeUser().token);
  t.is(res.body.code, 900);
  t.is((await c.get(`/rest/topic/${res.body.topic_id}`)).body.info.price, 0);
});

test('finish_count and the average rating follow finished orders', async (t) => {
  const o = await orderIn(t0, 'finished'); // rated 5 by the factory
  const topic = await c.get(`/rest/topic/${o.topic_id}`);
  t.like(topic.body.info, { finish_count: 1, rating: 5 });
  const other = await c.post(`/rest/topic/${o.topic_id}/order`, { question: 'q', self_desc: 'd' }, makeUser().token);
  await c.post(`/rest/order/${other.body.o_id}/confirm`, {}, o.expert.token);
  await t0.app.services.orders.transition(other.body.o_id, MOVES.pay, null);
  await c.post(`/rest/order/${other.body.o_id}/finish`, {}, o.expert.token);
  // A settle timeout finishes without a rating: it counts, but does not move the average.
  await t0.app.services.orders.transition(other.body.o_id, MOVES.settleTimeout, null);
  t.like((await c.get(`/rest/topic/${o.topic_id}`)).body.info, { finish_count: 2, rating: 5 });
});

test('an unknown topic is 904; a bad id is 901', async (t) => {
  const missing = await c.get('/rest/topic/0123456789abcdef01234567');
  t.is(missing.status, 404);
  t.is(missing.body.code, 904);
  const bad = await c.get('/rest/topic/nope');
  t.is(bad.status, 400);
  t.is(bad.body.code, 901);
  t.regex(bad.body.msg, /^topic_id/);
  // Ordering on an unknown topic is 904 too.
  const order = await c.post('/rest/topic/0123456789abcdef01234567/order', { question: 'q', self_desc: 'd' }, makeUser().token);
  t.is(order.body.code, 904);
});

const BAD_TOPICS: [string, unknown, string][] = [
  ['a negative price', { title: 't', category: 'c', price: -1 }, 'price'],
  ['a fractional price', { title: 't', category: 'c', price: 1.5 }, 'price'],
  ['a string price', { title: 't', category: 'c', price: '100' }, 'price'],
  ['an operator price', { title: 't', category: 'c', price: { $gt: 0 } }, 'price'],
  ['no price', { title: 't', category: 'c' }, 'price'],
  ['no title', { category: 'c', price: 1 }, 'title'],
  ['an operator title', { title: { $gt: '' }, category: 'c', price: 1 }, 'title'],
  ['an empty category', { title: 't', category: '', price: 1 }, 'category'],
  ['a too long title', { title: 't'.repeat(101), category: 'c', price: 1 }, 'title'],
];
for (const [label, body, field] of BAD_TOPICS) {
  test(`a topic with ${label} is refused (901 naming ${field})`, async (t) => {
    const res = await c.post('/rest/topic', body, makeUser().token);
    t.is(res.status, 400);
    t.is(res.body.code, 901);
    t.true(res.body.msg.startsWith(field), res.body.msg);
  });
}

test('a client cannot set the expert, the counts or the id of a topic', async (t) => {
  const expert = makeUser();
  const other = makeUser();
  const res = await c.post('/rest/topic', { title: 't', category: 'c', price: 5, expert_id: other.userID, finish_count: 99, rating_sum: 500, rating_count: 100, topic_id: '0123456789abcdef01234567' }, expert.token);
  t.is(res.body.code, 900);
  t.not(res.body.topic_id, '0123456789abcdef01234567');
  t.like((await c.get(`/rest/topic/${res.body.topic_id}`)).body.info, { expert_id: expert.userID, finish_count: 0, rating: 0 });
});
