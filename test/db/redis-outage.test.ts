// Redis away, in one process: a command nobody awaits (Socket.IO's publish) fails without an
// unhandled rejection; a subscriber made while Redis is away subscribes once it appears; the
// sweep lock is not taken and no sweep runs without it; /healthz says 503 naming Redis while
// REST keeps answering. The whole fleet through a Redis restart: test/faults/.
import test from 'ava';
import { closeRedis, createRedis } from '../../src/db/redis';
import { LockUnavailableError, withLock } from '../../src/jobs/lock';
import { createLogger } from '../../src/log/logger';
import { api, startApp } from '../helpers/app';
import { buildOrder } from '../helpers/factories';
import { manualClock } from '../helpers/money';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const log = createLogger('silent');
let redis: RedisServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

test.before(async () => {
  redis = await startRedisServer();
  process.on('unhandledRejection', onUnhandled);
});
test.after.always(async () => {
  process.off('unhandledRejection', onUnhandled);
  await redis?.stop();
});

/** Lets Node report any rejection left unhandled by what ran before. */
const settleRejections = () => new Promise((r) => setTimeout(r, 50));

test.serial('a publish nobody awaits fails quietly when Redis is gone, and publishing works again once it is back', async (t) => {
  const client = createRedis(redis.url, log, 'test-pub', 'publisher');
  t.teardown(() => client.disconnect());
  await client.ping();
  await redis.stop('SIGKILL');
  try {
    // As Socket.IO's adapter and emitter publish: the promise is dropped.
    for (let i = 0; i < 20; i++) void client.publish('chan', `lost ${i}`);
    // A later command in the same queue fails with them, after them.
    await t.throwsAsync(client.publish('chan', 'probe'));
    await settleRejections();
    t.deepEqual(unhandled, []);
  } finally {
    await redis.start();
  }
  await client.ping();
  t.is(await client.publish('chan', 'back'), 0);
});

test.serial('a subscriber made while Redis is away subscribes once it appears', async (t) => {
  await redis.stop('SIGKILL');
  const sub = createRedis(redis.url, log, 'test-sub', 'subscriber');
  t.teardown(() => sub.disconnect());
  const got = new Promise<string>((resolve) => sub.on('message', (_channel, m) => resolve(m)));
  const subscribed = sub.subscribe('late');
  await settleRejections();
  await redis.start();
  await subscribed;
  const pub = createRedis(redis.url, log, 'test-pub2');
  t.teardown(() => closeRedis(pub));
  t.is(await pub.publish('late', 'hello'), 1);
  t.is(await got, 'hello');
  t.deepEqual(unhandled, []);
});

test.serial('while Redis is away the sweep lock is not taken and nothing is swept', async (t) => {
  const clock = manualClock();
  const app = await startApp({ REDIS_URL: redis.url, ORDER_CONFIRM_TIMEOUT_S: '60' }, { now: clock.now });
  t.teardown(() => app.close());
  const o = await buildOrder(api(app.url));
  clock.advance(61_000);
  await redis.stop('SIGKILL');
  try {
    let ran = false;
    await t.throwsAsync(
      withLock(app.app.redis!, 'test:lock:down', 10_000, async () => {
        ran = true;
      }),
      { instanceOf: LockUnavailableError },
    );
    t.false(ran);
    await t.throwsAsync(app.app.jobs.runOnce(), { instanceOf: LockUnavailableError });
    t.is((await app.app.store.orders.get(o.o_id))!.status, 'pending', 'no sweep ran without the lock');
  } finally {
    await redis.start();
  }
  // Redis is back: the lock is taken and the sweep runs.
  t.like(await app.app.jobs.runOnce(), { confirmExpired: 1 });
  t.is((await app.app.store.orders.get(o.o_id))!.status, 'canceled');
  await settleRejections();
  t.deepEqual(unhandled, []);
});

test.serial('/healthz says 503 naming Redis while it is away, REST keeps answering, 200 once it is back', async (t) => {
  const app = await startApp({ REDIS_URL: redis.url });
  t.teardown(() => app.close());
  const c = api(app.url);
  // The clients connect in the background.
  t.is((await healthWhen(c, (s) => s === 200)).status, 200);
  await redis.stop('SIGKILL');
  try {
    const res = await healthWhen(c, (s) => s !== 200);
    t.is(res.status, 503);
    t.is(res.body.status, 'unavailable');
    t.is(res.body.checks.store, 'ok');
    // At once when the client knows its connection is lost, else the failed ping's reason.
    const reason = /^not connected \((reconnecting|close|end)\)$|max retries|no answer in/i;
    t.regex(res.body.checks.redis, reason);
    t.regex(res.body.checks.fanout, reason);
    const o = await buildOrder(c);
    t.is((await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.code, 900);
  } finally {
    await redis.start();
  }
  const res = await healthWhen(c, (s) => s === 200);
  t.deepEqual(res.body.checks, { store: 'ok', redis: 'ok', fanout: 'ok' });
  await settleRejections();
  t.deepEqual(unhandled, []);
});

/** /healthz once its status satisfies `pred` (polled; the guard only stops a failing test). */
async function healthWhen(c: ReturnType<typeof api>, pred: (status: number) => boolean) {
  let res = await c.get('/healthz');
  for (let i = 0; i < 400 && !pred(res.status); i++) {
    await new Promise((r) => setTimeout(r, 25));
    res = await c.get('/healthz');
  }
  return res;
}
