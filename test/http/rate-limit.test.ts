// REST rate limits through the real HTTP server: per user for authenticated requests, per
// IP for anonymous ones and webhooks, shared through Redis by every node, and counted in
// memory while Redis is down. Each test starts its own app with low limits, so no other
// test (all of them run from 127.0.0.1) comes near them.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api, makeUser, startApp, type Res, type TestApp } from '../helpers/app';
import { buildTopic } from '../helpers/factories';
import { adaptersSubscribed, startRedisServer } from '../helpers/redis-server';

const ORDER = { question: '问题', self_desc: '描述' };

/** The status, code and Retry-After of a response, as one comparable value. */
async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const body = (await res.json()) as any;
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

function assertRateLimited(t: import('ava').ExecutionContext, r: { status: number; body: any; retryAfter: string | null }) {
  t.is(r.status, 429);
  t.is(r.body.code, 907);
  t.regex(r.body.msg, /^rate: /);
  t.regex(r.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After is a whole number of seconds');
}

const orderFetch = (app: TestApp, topic_id: string, token: string) =>
  raw(`${app.url}/rest/topic/${topic_id}/order`, { method: 'POST', headers: { auth: token, 'content-type': 'application/json' }, body: JSON.stringify(ORDER) });

test('a buyer past the order limit gets 907/429 with Retry-After, and no order past the limit is stored', async (t) => {
  const t0 = await startApp({ RATE_LIMIT_ORDER_CREATE: '3' });
  t.teardown(() => t0.close());
  const { topic_id } = await buildTopic(api(t0.url));
  const buyer = makeUser();
  // Ten at once, as a script would send them: exactly the limit get through.
  const answers = await Promise.all(Array.from({ length: 10 }, () => orderFetch(t0, topic_id, buyer.token)));
  t.is(answers.filter((r) => r.status === 200 && r.body.code === 900).length, 3);
  const refused = answers.filter((r) => r.status !== 200);
  t.is(refused.length, 7);
  for (const r of refused) assertRateLimited(t, r);

  // Reads are a class of their own: the limited buyer still lists its orders.
  const mine = await api(t0.url).get('/rest/orders?limit=100', buyer.token);
  t.is(mine.body.code, 900);
  t.is(mine.body.list.length, 3, 'only the orders within the limit were stored');
});

test('two users do not share a bucket', async (t) => {
  const t0 = await startApp({ RATE_LIMIT_ORDER_CREATE: '2' });
  t.teardown(() => t0.close());
  const { topic_id } = await buildTopic(api(t0.url));
  const [first, second] = [makeUser(), makeUser()];
  for (let i = 0; i < 2; i++) t.is((await orderFetch(t0, topic_id, first.token)).body.code, 900);
  assertRateLimited(t, await orderFetch(t0, topic_id, first.token));
  // Same IP (127.0.0.1), another user: a full bucket of its own.
  for (let i = 0; i < 2; i++) t.is((await orderFetch(t0, topic_id, second.token)).body.code, 900);
  assertRateLimited(t, await orderFetch(t0, topic_id, second.token));
});

test('anonymous requests and webhooks are limited per IP, each in its own class', async (t) => {
  const t0 = await startApp({ RATE_LIMIT_ANON: '2', RATE_LIMIT_WEBHOOK: '2' });
  t.teardown(() => t0.close());
  const someone = makeUser().userID;
  for (let i = 0; i < 2; i++) t.is((await raw(`${t0.url}/rest/user/${someone}`)).status, 404);
  assertRateLimited(t, await raw(`${t0.url}/rest/user/${someone}`));
  // A signed-in user on the same IP is counted apart from the anonymous ones.
  t.is((await raw(`${t0.url}/rest/user/${someone}`, { headers: { auth: makeUser().token } })).status, 404);

  const webhook = () => raw(`${t0.url}/rest/webhooks/pingpp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  // No webhook key is configured: refused with 401, but counted.
  for (let i = 0; i < 2; i++) t.is((await webhook()).status, 401);
  assertRateLimited(t, await webhook());
});

test('the admin API answers a limited request in its own envelope with Retry-After', async (t) => {
  const t0 = await startApp({ RATE_LIMIT_READ: '2' });
  t.teardown(() => t0.close());
  const staff = makeUser({ staff: true });
  const get = () => raw(`${t0.url}/v1/admin/orders`, { headers: { auth: staff.token } });
  for (let i = 0; i < 2; i++) t.is((await get()).status, 200);
  const r = await get();
  t.is(r.status, 429);
  t.deepEqual(r.body, { error: { code: 'rate_limited', message: r.body.error.message } });
  t.regex(r.body.error.message, /^rate: /);
  t.regex(r.retryAfter ?? '', /^[1-9]\d*$/);
});

test('two nodes on one Redis share each user’s bucket', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rate-limit-'));
  // A prefix of this test's own: the shared Redis keeps no count from other runs.
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: dir, RATE_LIMIT_ORDER_CREATE: '4', RATE_LIMIT_PREFIX: `test-${randomUUID()}` };
  const nodeA = await startApp(env);
  const nodeB = await startApp(env);
  t.teardown(async () => {
    await nodeA.close();
    await nodeB.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const { topic_id } = await buildTopic(api(nodeA.url));
  const buyer = makeUser();
  for (const node of [nodeA, nodeB, nodeA, nodeB]) t.is((await orderFetch(node, topic_id, buyer.token)).body.code, 900);
  // Each node saw two of the four: only a shared count refuses the fifth on both.
  assertRateLimited(t, await orderFetch(nodeA, topic_id, buyer.token));
  assertRateLimited(t, await orderFetch(nodeB, topic_id, buyer.token));
});

test('with Redis stopped, requests are answered and limited in memory', async (t) => {
  const redis = await startRedisServer();
  const rejections: unknown[] = [];
  const onRejection = (err: unknown) => rejections.push(err);
  process.on('unhandledRejection', onRejection);
  const t0 = await startApp({ REDIS_URL: redis.url, RATE_LIMIT_READ: '3' });
  t.teardown(async () => {
    // Closing Redis clients while they reconnect is src/db/redis.ts's concern, not this test's.
    await redis.start();
    await reconnected(t0, redis.url);
    await t0.close();
    await redis.stop();
    process.off('unhandledRejection', onRejection);
  });
  const user = makeUser();
  const read = () => raw(`${t0.url}/rest/wallet`, { headers: { auth: user.token } });
  await waitFor(() => t0.app.redis!.status === 'ready');
  t.is((await read()).status, 200, 'counted in Redis');

  await redis.stop();
  await waitFor(() => t0.app.redis!.status !== 'ready');
  // The in-memory count starts afresh: three answered, the fourth refused.
  const answers: Res[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await read();
    answers.push(r);
  }
  t.deepEqual(
    answers.map((r) => r.status),
    [200, 200, 200, 429],
  );
  t.is(answers[3].body.code, 907);
  t.deepEqual(rejections, []);
});

test('with Redis paused (connected, never answering), requests are answered and limited in memory', async (t) => {
  const redis = await startRedisServer();
  const t0 = await startApp({ REDIS_URL: redis.url, RATE_LIMIT_READ: '3' });
  await waitFor(() => t0.app.redis!.status === 'ready');
  const info = (await t0.app.redis!.info('server')) as string;
  const pid = Number(/process_id:(\d+)/.exec(info)![1]);
  t.teardown(async () => {
    process.kill(pid, 'SIGCONT');
    await reconnected(t0, redis.url);
    await t0.close();
    await redis.stop();
  });
  process.kill(pid, 'SIGSTOP');
  const user = makeUser();
  const answers: number[] = [];
  for (let i = 0; i < 4; i++) answers.push((await raw(`${t0.url}/rest/wallet`, { headers: { auth: user.token } })).status);
  t.deepEqual(answers, [200, 200, 200, 429]);
});

/** Until the app's command connection is ready and its Socket.IO adapter has subscribed again. */
async function reconnected(t0: TestApp, url: string) {
  await waitFor(() => t0.app.redis!.status === 'ready');
  await adaptersSubscribed(url, 1);
}

async function waitFor(cond: () => boolean) {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached within 10 s');
}
