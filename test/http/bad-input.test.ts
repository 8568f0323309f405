// Bad input changes nothing (docs/errors.md): wrong types, operator objects where a string
// belongs, bad ids in paths, bad ratings, oversized, malformed and non-object bodies, bad
// paging. Each request targets an order in the state where the same request with good
// input would change it; the answer is 901 naming the field, the store saw no call at all
// (input is checked before anything is read or written), and the order is as it was.
import test from 'ava';
import { createTestStore, makeUser, useApp, type TestUser } from '../helpers/app';
import { orderIn, storedOrder, type BuiltOrder } from '../helpers/orders';
import { watchStore, type WatchedStore } from '../helpers/store-watch';

let watched: WatchedStore;
const t0 = useApp(test, {}, async () => {
  watched = watchStore(await createTestStore());
  return { store: watched.store };
});
const c = t0.api;
let o: Record<'pending' | 'confirmed' | 'paid' | 'toBeFinished', BuiltOrder>;
const stranger: TestUser = makeUser();

test.before(async () => {
  o = {
    pending: await orderIn(t0, 'pending'),
    confirmed: await orderIn(t0, 'confirmed'),
    paid: await orderIn(t0, 'paid'),
    toBeFinished: await orderIn(t0, 'toBeFinished'),
  };
});

const MB = 1024 * 1024;
const $gt = { $gt: '' };
type Target = keyof typeof o;

interface Case {
  /** which order the request is aimed at */
  target: Target;
  method?: 'POST' | 'GET' | 'PUT';
  path: (x: BuiltOrder) => string;
  /** an object is sent as JSON; a string is sent as it is */
  body?: unknown;
  who: 'buyer' | 'expert' | 'stranger';
  headers?: Record<string, string>;
  status?: number;
  /** the field the message must start with */
  field: string;
}

const create = (body: unknown, field: string, extra: Partial<Case> = {}): Case => ({ target: 'pending', path: (x) => `/rest/topic/${x.topic_id}/order`, body, who: 'stranger', field, ...extra });
const cancel = (body: unknown, field: string, extra: Partial<Case> = {}): Case => ({ target: 'pending', path: (x) => `/rest/order/${x.o_id}/cancel`, body, who: 'buyer', field, ...extra });
const confirm = (body: unknown, field: string, extra: Partial<Case> = {}): Case => ({ target: 'pending', path: (x) => `/rest/order/${x.o_id}/confirm`, body, who: 'expert', field, ...extra });
const comment = (body: unknown, field: string, extra: Partial<Case> = {}): Case => ({ target: 'toBeFinished', path: (x) => `/rest/order/${x.o_id}/comment`, body, who: 'buyer', field, ...extra });
const list = (path: string, field: string, target: Target = 'pending', who: Case['who'] = 'buyer'): Case => ({ target, method: 'GET', path: () => path, who, field });

const CASES: Record<string, Case> = {
  // create order
  'create: no question': create({ self_desc: 'd' }, 'question'),
  'create: a number for question': create({ question: 1, self_desc: 'd' }, 'question'),
  'create: an operator object for question': create({ question: $gt, self_desc: 'd' }, 'question'),
  'create: an array for self_desc': create({ question: 'q', self_desc: ['d'] }, 'self_desc'),
  'create: a blank question': create({ question: '   ', self_desc: 'd' }, 'question'),
  'create: a question over 2000 characters': create({ question: 'q'.repeat(2001), self_desc: 'd' }, 'question'),
  'create: a JSON array as body': create('[{"question":"q","self_desc":"d"}]', 'body'),
  'create: a JSON string as body': create('"question"', 'body'),
  'create: JSON null as body': create('null', 'body'),
  'create: a JSON number as body': create('42', 'body'),
  'create: malformed JSON': create('{"question": "q", "self_desc": ', 'body'),
  'create: a body over 1 MB': create(JSON.stringify({ question: 'q', self_desc: 'd'.repeat(MB) }), 'body', { status: 413 }),
  'create: a bad topic id': create({ question: 'q', self_desc: 'd' }, 'topic_id', { path: () => '/rest/topic/abc/order' }),
  'create: an operator as topic id': create({ question: 'q', self_desc: 'd' }, 'topic_id', { path: () => `/rest/topic/${encodeURIComponent('{"$gt":""}')}/order` }),
  // cancel
  'cancel: an operator object for reason': cancel({ reason: $gt }, 'reason'),
  'cancel: a number for reason': cancel({ reason: 5 }, 'reason'),
  'cancel: an operator in a form body': cancel('reason[$gt]=', 'reason', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  'cancel: a JSON array as body': cancel('["r"]', 'body'),
  'cancel: malformed JSON': cancel('{reason:', 'body'),
  'cancel: a bad order id': cancel({}, 'o_id', { path: () => '/rest/order/123/cancel' }),
  'cancel: an operator as order id': cancel({}, 'o_id', { path: () => `/rest/order/${encodeURIComponent('{"$ne":null}')}/cancel` }),
  'cancel: an id of 25 hex digits': cancel({}, 'o_id', { path: (x) => `/rest/order/${x.o_id}0/cancel` }),
  // confirm / reject
  'confirm: an unknown status': confirm({ status: 'paid' }, 'status'),
  'confirm: an operator object for status': confirm({ status: { $ne: null } }, 'status'),
  'confirm: rejected without a reason': confirm({ status: 'rejected' }, 'reason'),
  'confirm: rejected with a blank reason': confirm({ status: 'rejected', reason: '  ' }, 'reason'),
  'confirm: an operator object for reason': confirm({ status: 'rejected', reason: $gt }, 'reason'),
  'confirm: a JSON scalar as body': confirm('true', 'body'),
  'confirm: a body over 1 MB': confirm(JSON.stringify({ reason: 'x'.repeat(MB + 1) }), 'body', { status: 413 }),
  // finish: no fields, but the body and the id are still checked
  'finish: malformed JSON': { target: 'paid', path: (x) => `/rest/order/${x.o_id}/finish`, body: '{', who: 'expert', field: 'body' },
  'finish: a bad order id': { target: 'paid', path: () => '/rest/order/not-an-order/finish', body: {}, who: 'expert', field: 'o_id' },
  // comment
  'comment: rating 0': comment({ comment: 'c', rating: 0 }, 'rating'),
  'comment: rating 6': comment({ comment: 'c', rating: 6 }, 'rating'),
  'comment: rating "6"': comment({ comment: 'c', rating: '6' }, 'rating'),
  'comment: rating -1': comment({ comment: 'c', rating: -1 }, 'rating'),
  'comment: rating 4.5': comment({ comment: 'c', rating: 4.5 }, 'rating'),
  'comment: rating "4.5"': comment({ comment: 'c', rating: '4.5' }, 'rating'),
  'comment: rating "abc"': comment({ comment: 'c', rating: 'abc' }, 'rating'),
  'comment: rating ""': comment({ comment: 'c', rating: '' }, 'rating'),
  'comment: rating "5stars"': comment({ comment: 'c', rating: '5stars' }, 'rating'),
  'comment: rating null': comment({ comment: 'c', rating: null }, 'rating'),
  'comment: rating true': comment({ comment: 'c', rating: true }, 'rating'),
  'comment: rating [5]': comment({ comment: 'c', rating: [5] }, 'rating'),
  'comment: an operator object for rating': comment({ comment: 'c', rating: $gt }, 'rating'),
  'comment: no rating': comment({ comment: 'c' }, 'rating'),
  'comment: no comment': comment({ rating: 5 }, 'comment'),
  'comment: an empty comment': comment({ comment: '', rating: 5 }, 'comment'),
  'comment: an operator object for comment': comment({ comment: $gt, rating: 5 }, 'comment'),
  'comment: a number for comment': comment({ comment: 5, rating: 5 }, 'comment'),
  'comment: a JSON array as body': comment('[{"comment":"c","rating":5}]', 'body'),
  'comment: a body over 1 MB': comment(JSON.stringify({ comment: 'c'.repeat(MB), rating: 5 }), 'body', { status: 413 }),
  // order and comment lists
  'my orders: an unknown status': list('/rest/orders?status=pending,bogus', 'status'),
  'my orders: status given twice': list('/rest/orders?status=pending&status=paid', 'status'),
  'my orders: status of only commas': list('/rest/orders?status=,,', 'status'),
  'my orders: limit=abc': list('/rest/orders?limit=abc', 'limit'),
  'my orders: limit=0': list('/rest/orders?limit=0', 'limit'),
  'my orders: limit=1.5': list('/rest/orders?limit=1.5', 'limit'),
  'my orders: page=0': list('/rest/orders?page=0', 'page'),
  'my orders: page=-1': list('/rest/orders?page=-1', 'page'),
  'my orders: start=0': list('/rest/orders?start=0', 'start'),
  'my orders: a page past any list (would overflow the offset)': list('/rest/orders?page=99999999999999999999', 'page'),
  'my orders: a start past any list': list('/rest/orders?start=99999999999999999999', 'start'),
  'my orders: page in hex': list('/rest/orders?page=0x10', 'page'),
  'my orders: page in exponent form': list('/rest/orders?page=1e2', 'page'),
  'topic comments: a page past any list': { ...list('', 'page'), path: (x) => `/rest/topic/${x.topic_id}/comments?page=99999999999999999999` },
  'expert orders: an unknown status': list('/rest/expert/orders?status=Pending', 'status', 'pending', 'expert'),
  'expert orders: page=x': list('/rest/expert/orders?page=x', 'page', 'pending', 'expert'),
  'topic comments: a bad topic id': list('/rest/topic/xyz/comments', 'topic_id'),
  'topic comments: limit=-5': { ...list('', 'limit'), path: (x) => `/rest/topic/${x.topic_id}/comments?limit=-5` },
  'expert comments: a bad user id': list('/rest/user/123/comments', 'userID'),
  'order detail: a bad id': list('/rest/order/xyz', 'o_id'),
  'wallet: limit=many': list('/rest/wallet?limit=many', 'limit', 'pending', 'expert'),
};

for (const [name, k] of Object.entries(CASES)) {
  const status = k.status ?? 400;
  test.serial(`${name} → ${status}/901, nothing read or written`, async (t) => {
    const x = o[k.target];
    const before = await storedOrder(t0, x.o_id);
    const token = k.who === 'stranger' ? stranger.token : x[k.who].token;
    watched.reset();
    const res = await c.call(k.method ?? 'POST', k.path(x), k.body, token, k.headers);
    const calls = [...watched.calls];
    t.is(res.status, status, JSON.stringify(res.body).slice(0, 200));
    t.is(res.body.code, 901);
    t.true(res.body.msg.startsWith(k.field), `msg "${res.body.msg}" should name ${k.field}`);
    t.deepEqual(calls, [], 'the store was called');
    t.deepEqual(await storedOrder(t0, x.o_id), before);
  });
}

test.serial('the good requests these cases spoil do work, so the cases above test the input', async (t) => {
  const fresh = { pending: await orderIn(t0, 'pending'), toBeFinished: await orderIn(t0, 'toBeFinished'), paid: await orderIn(t0, 'paid') };
  t.is((await c.post(`/rest/topic/${fresh.pending.topic_id}/order`, { question: 'q', self_desc: 'd' }, stranger.token)).body.code, 900);
  watched.reset();
  t.is((await c.post(`/rest/order/${fresh.toBeFinished.o_id}/comment`, { comment: 'c', rating: '5' }, fresh.toBeFinished.buyer.token)).body.code, 900);
  // ...and the watch sees the store calls a good request makes.
  t.true(watched.calls.includes('orders.get'));
  t.true(watched.writes().includes('orders.transition'));
  t.true(watched.writes().includes('settlement.settle'));
  t.is((await c.post(`/rest/order/${fresh.paid.o_id}/finish`, {}, fresh.paid.expert.token)).body.code, 900);
  t.is((await c.post(`/rest/order/${fresh.pending.o_id}/confirm`, { status: 'rejected', reason: 'r' }, fresh.pending.expert.token)).body.code, 900);
});

// Node's query-string parser keeps `status[$ne]` as a parameter of that literal name: it is
// not `status`, so it is ignored like any unknown parameter and never reaches the store as
// an operator. The answer is the plain default list.
for (const query of ['status[$ne]=x', 'status[$in][]=canceled', 'page[$gt]=1', 'limit[$gt]=1', 'start[$gt]=1']) {
  test.serial(`?${query} is not an operator: the default list, and no write`, async (t) => {
    const x = o.pending;
    const plain = await c.get('/rest/orders', x.buyer.token);
    watched.reset();
    const res = await c.get(`/rest/orders?${query}`, x.buyer.token);
    t.deepEqual(res.body, plain.body);
    t.deepEqual(watched.writes(), []);
    t.deepEqual(
      res.body.list.map((i: { o_id: string }) => i.o_id),
      [x.o_id],
    );
  });
}

test.serial('a content type the API does not speak is read as no body: 901 naming the first field', async (t) => {
  const x = o.pending;
  watched.reset();
  const res = await c.post(`/rest/topic/${x.topic_id}/order`, 'question=q', stranger.token, { 'content-type': 'text/plain' });
  t.is(res.status, 400);
  t.is(res.body.code, 901);
  t.regex(res.body.msg, /^question/);
  t.deepEqual(watched.calls, []);
});
