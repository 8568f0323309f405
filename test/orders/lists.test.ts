// The order lists and comment lists (README.md, "Lists"): paging with start/page/limit
// (start wins, limit capped at 100, strings accepted), the default that hides canceled
// orders, `status=a,b,c`, newest first, only the caller's orders.
import test from 'ava';
import { makeUser, type TestUser, useApp } from '../helpers/app';
import { buildTopic } from '../helpers/factories';
import { payDirect } from '../helpers/orders';

// One buyer places over a hundred orders here: far past the default per-user create limit.
const t0 = useApp(test, { RATE_LIMIT_ORDER_CREATE: '1000' });
const c = t0.api;

/** One buyer with `n` orders on one expert's topic, created in order; returns the o_ids oldest first. */
async function ordersOf(n: number, buyer: TestUser = makeUser(), expert: TestUser = makeUser()) {
  const { topic_id } = await buildTopic(c, expert);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await c.post(`/rest/topic/${topic_id}/order`, { question: `q${i}`, self_desc: 'd' }, buyer.token);
    ids.push(res.body.o_id);
  }
  return { buyer, expert, topic_id, ids, newestFirst: [...ids].reverse() };
}

const idsOf = (res: { body: any }) => {
  if (res.body.code !== 900) throw new Error(JSON.stringify(res.body));
  return res.body.list.map((o: { o_id: string }) => o.o_id);
};

test('my orders: newest first, only mine, ten by default', async (t) => {
  const mine = await ordersOf(12);
  await ordersOf(2); // someone else's
  const res = await c.get('/rest/orders', mine.buyer.token);
  t.deepEqual(idsOf(res), mine.newestFirst.slice(0, 10));
});

const paging: [string, (all: string[]) => string[]][] = [
  ['limit=3', (all) => all.slice(0, 3)],
  ['page=2&limit=3', (all) => all.slice(3, 6)],
  ['page=3&limit=3', (all) => all.slice(6, 9)],
  ['start=2&limit=3', (all) => all.slice(1, 4)],
  ['start=5&page=1&limit=2', (all) => all.slice(4, 6)], // start wins over page
  ['page=3&start=1&limit=2', (all) => all.slice(0, 2)],
  ['page=99&limit=3', () => []],
  ['limit=007', (all) => all.slice(0, 7)],
  ['page=&start=&limit=4', (all) => all.slice(0, 4)], // empty values count as not given
  ['limit=99999999999999999999', (all) => all], // capped at 100
];
for (const [query, expected] of paging) {
  for (const path of ['/rest/orders', '/rest/expert/orders']) {
    test(`${path}?${query}`, async (t) => {
      const o = await ordersOf(9);
      const token = path === '/rest/orders' ? o.buyer.token : o.expert.token;
      t.deepEqual(idsOf(await c.get(`${path}?${query}`, token)), expected(o.newestFirst));
    });
  }
}

test('limit is capped at 100', async (t) => {
  const o = await ordersOf(103);
  const list = idsOf(await c.get('/rest/orders?limit=1000', o.buyer.token));
  t.is(list.length, 100);
  t.deepEqual(list, o.newestFirst.slice(0, 100));
  t.deepEqual(idsOf(await c.get('/rest/orders?limit=100&page=2', o.buyer.token)), o.newestFirst.slice(100));
});

/** A buyer with one order in each of pending, confirmed, rejected, paid, canceled (in that order of creation). */
async function oneOfEach() {
  const o = await ordersOf(5);
  const [pending, confirmed, rejected, paid, canceled] = o.ids;
  await c.post(`/rest/order/${confirmed}/confirm`, {}, o.expert.token);
  await c.post(`/rest/order/${rejected}/confirm`, { status: 'rejected', reason: 'no' }, o.expert.token);
  await c.post(`/rest/order/${paid}/confirm`, {}, o.expert.token);
  await payDirect(t0)(paid);
  await c.post(`/rest/order/${canceled}/cancel`, {}, o.buyer.token);
  return { ...o, pending, confirmed, rejected, paid, canceled };
}

for (const path of ['/rest/orders', '/rest/expert/orders']) {
  test(`${path}: canceled orders are left out by default; status=a,b,c filters`, async (t) => {
    const o = await oneOfEach();
    const token = path === '/rest/orders' ? o.buyer.token : o.expert.token;
    const get = async (q: string) => idsOf(await c.get(`${path}${q}`, token));
    t.deepEqual(await get(''), [o.paid, o.rejected, o.confirmed, o.pending]);
    t.deepEqual(await get('?status='), [o.paid, o.rejected, o.confirmed, o.pending]);
    t.deepEqual(await get('?status=canceled'), [o.canceled]);
    t.deepEqual(await get('?status=pending,confirmed,paid'), [o.paid, o.confirmed, o.pending]);
    t.deepEqual(await get('?status=pending,%20paid,pending'), [o.paid, o.pending]);
    t.deepEqual(await get('?status=finished'), []);
    const statuses = (await c.get(`${path}?status=canceled,rejected`, token)).body.list.map((x: any) => x.status);
    t.deepEqual(statuses, ['canceled', 'rejected']);
  });
}

test("the expert's list holds the orders of all the expert's topics, and not the buyer's own", async (t) => {
  const expert = makeUser();
  const a = await ordersOf(2, makeUser(), expert);
  const b = await ordersOf(2, makeUser(), expert);
  t.deepEqual(idsOf(await c.get('/rest/expert/orders', expert.token)), [...b.newestFirst, ...a.newestFirst]);
  t.deepEqual(idsOf(await c.get('/rest/orders', expert.token)), []);
  t.deepEqual(idsOf(await c.get('/rest/expert/orders', a.buyer.token)), []);
});

test('the list embeds the current profile and the topic’s finish count', async (t) => {
  const o = await ordersOf(1);
  await c.put('/rest/user/profile', { nick: 'v1' }, o.expert.token);
  await c.put('/rest/user/profile', { nick: 'v2', title: '教授' }, o.expert.token);
  const item = (await c.get('/rest/orders', o.buyer.token)).body.list[0];
  t.like(item.expert, { nick: 'v2', title: '教授' });
  // A user without a profile still gets the embedded object, with empty strings.
  const buyerView = (await c.get('/rest/expert/orders', o.expert.token)).body.list[0];
  t.deepEqual(buyerView.user, { userID: o.buyer.userID, nick: '', avatar: '' });
  t.is(item.topic.finish_count, '0');
});

test('comment lists page with start/page/limit, newest first', async (t) => {
  const o = await ordersOf(5);
  for (const id of o.ids) {
    await c.post(`/rest/order/${id}/confirm`, {}, o.expert.token);
    await payDirect(t0)(id);
    await c.post(`/rest/order/${id}/finish`, {}, o.expert.token);
    await c.post(`/rest/order/${id}/comment`, { comment: `c-${id}`, rating: 5 }, o.buyer.token);
  }
  const comments = (res: { body: any }) => res.body.list.map((x: { comment: string }) => x.comment.slice(2));
  for (const base of [`/rest/topic/${o.topic_id}/comments`, `/rest/user/${o.expert.userID}/comments`]) {
    t.deepEqual(comments(await c.get(base)), o.newestFirst, base);
    t.deepEqual(comments(await c.get(`${base}?limit=2&page=2`)), o.newestFirst.slice(2, 4), base);
    t.deepEqual(comments(await c.get(`${base}?limit=2&start=4&page=1`)), o.newestFirst.slice(3, 5), base);
  }
  const topic = await c.get(`/rest/topic/${o.topic_id}`);
  t.is(topic.body.info.finish_count, 5);
  t.is((await c.get('/rest/orders?limit=1', o.buyer.token)).body.list[0].topic.finish_count, '5');
});

test('orders without a comment are not in the comment lists', async (t) => {
  const o = await ordersOf(2);
  await c.post(`/rest/order/${o.ids[0]}/confirm`, {}, o.expert.token);
  t.deepEqual((await c.get(`/rest/topic/${o.topic_id}/comments`)).body, { code: 900, list: [] });
  t.deepEqual((await c.get(`/rest/user/${o.expert.userID}/comments`)).body, { code: 900, list: [] });
});

test('the list and the order are sent as UTF-8 JSON with their byte length, whatever the text holds', async (t) => {
  const mine = await ordersOf(2);
  const created = await c.post(`/rest/topic/${mine.topic_id}/order`, { question: '想了解英国留学', self_desc: '大三学生' }, mine.buyer.token);
  const o_id = created.body.o_id as string;
  for (const path of ['/rest/orders', `/rest/order/${o_id}`]) {
    const res = await fetch(t0.url + path, { headers: { auth: mine.buyer.token } });
    const bytes = Buffer.from(await res.arrayBuffer());
    t.is(res.headers.get('content-type'), 'application/json; charset=utf-8', path);
    // Chinese text (the topic's title, the question): three bytes a character, so a length in characters would be short.
    t.is(Number(res.headers.get('content-length')), bytes.length, path);
    const text = bytes.toString('utf8');
    t.true(text.length < bytes.length, path);
    const body = JSON.parse(text);
    t.is(body.code, 900);
    if (path === '/rest/orders') {
      t.deepEqual(body.list.map((o: { o_id: string }) => o.o_id), [o_id, ...mine.newestFirst]);
      t.is(body.list[0].topic.title, '留学咨询');
    } else t.deepEqual([body.info.o_id, body.info.question, body.info.self_desc], [o_id, '想了解英国留学', '大三学生']);
  }
});
