// Two nodes on one real redis-server and one shared store (the SQLite file of one host)
// sweeping at the same time: every order is expired or settled exactly once and every
// expert credited once; the Redis lock lets one node sweep while the other skips.
import test from 'ava';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRedis } from '../../src/db/redis';
import { withLock } from '../../src/jobs/lock';
import { createJobs, SWEEP_LOCK_KEY } from '../../src/jobs/scheduler';
import { api, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { manualClock, recordEvents } from '../helpers/money';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
let dir: string;
const clock = manualClock();
let a: TestApp;
let b: TestApp;

test.before(async () => {
  redis = await startRedisServer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'multinode-'));
  const env = { REDIS_URL: redis.url, DATA_DIR: dir, ORDER_CONFIRM_TIMEOUT_S: '60', ORDER_PAY_TIMEOUT_S: '60', ORDER_SETTLE_TIMEOUT_S: '60' };
  a = await startApp(env, { now: clock.now });
  b = await startApp(env, { now: clock.now });
});
test.after.always(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** The sweep without the lock: what two nodes would do if the lock did not exist. */
const unlocked = (t: TestApp) => {
  const s = t.app.services;
  return createJobs({ config: t.config, store: t.app.store, orders: s.orders, wallet: s.wallet, payments: s.payments, log: t.app.log, now: clock.now });
};

test.serial('two nodes sweeping at once move every due order exactly once and credit once', async (t) => {
  const c = api(a.url);
  const mk = (n: number) => Promise.all(Array.from({ length: n }, () => buildOrder(c, { price: 1300 })));
  const [pending, confirmed, toFinish] = await Promise.all([mk(6), mk(6), mk(6)]);
  await Promise.all([...confirmed.map((o) => advance(c, o, 'confirmed')), ...toFinish.map((o) => advance(c, o, 'toBeFinished'))]);
  const ea = recordEvents(a.app);
  const eb = recordEvents(b.app);
  const count = (o_id: string, key: string) => ea.of(o_id, key).length + eb.of(o_id, key).length;
  clock.advance(61_000);

  // Locked sweeps on both nodes, and unlocked ones racing them: conditional transitions alone keep it exactly once.
  const reports = await Promise.all([a.app.jobs.runOnce(), b.app.jobs.runOnce(), unlocked(a).runOnce(), unlocked(b).runOnce(), a.app.jobs.runOnce(), b.app.jobs.runOnce()]);
  t.true(reports.some((r) => r !== null));
  const total = (k: 'confirmExpired' | 'payExpired' | 'settleTimedOut') => reports.reduce((n, r) => n + (r?.[k] ?? 0), 0);
  t.is(total('confirmExpired'), 6);
  t.is(total('payExpired'), 6);
  t.is(total('settleTimedOut'), 6);
  t.true(reports.every((r) => r === null || r.failed === 0));

  for (const o of pending) t.is(count(o.o_id, 'confirm_expired'), 1);
  for (const o of confirmed) t.is(count(o.o_id, 'pay_expired'), 1);
  for (const o of toFinish) {
    t.is(count(o.o_id, 'finished'), 1);
    t.is(count(o.o_id, 'settled'), 1);
    const wallet = (await api(b.url).get('/rest/wallet', o.expert.token)).body.info;
    t.is(wallet.balance, 1300);
    t.is(wallet.list.length, 1);
  }
  // Everything is done: another round on both nodes changes nothing.
  const again = await Promise.all([a.app.jobs.runOnce(), b.app.jobs.runOnce()]);
  for (const r of again) if (r) t.like(r, { confirmExpired: 0, payExpired: 0, settleTimedOut: 0, settledLeftovers: 0 });
});

test.serial('while one node holds the sweep lock the other skips, and sweeps once it is released', async (t) => {
  const o = await buildOrder(api(a.url));
  clock.advance(61_000);
  const holder = createRedis(redis.url, a.app.log, 'test-holder');
  t.teardown(() => holder.disconnect());
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const holding = withLock(holder, SWEEP_LOCK_KEY, 30_000, async () => {
    entered();
    await held;
  });
  await inside;
  t.is(await b.app.jobs.runOnce(), null, 'b skips while the lock is held');
  t.is((await b.app.store.orders.get(o.o_id))!.status, 'pending');
  release();
  t.deepEqual(await holding, { ran: true, value: undefined });
  t.like(await b.app.jobs.runOnce(), { confirmExpired: 1 });
  t.is((await a.app.store.orders.get(o.o_id))!.status, 'canceled');
});

test.serial('a lock is released only by its holder', async (t) => {
  const r = createRedis(redis.url, a.app.log, 'test-lock');
  t.teardown(() => r.disconnect());
  const key = 'test:lock:owner';
  const res = await withLock(r, key, 30_000, async () => {
    // As if our lock had expired and another node had taken it.
    await r.set(key, 'someone-else');
    return 'done';
  });
  t.deepEqual(res, { ran: true, value: 'done' });
  t.is(await r.get(key), 'someone-else', "the other node's lock survives our release");
  t.deepEqual(await withLock(r, key, 30_000, async () => 'never'), { ran: false });
  await r.del(key);
  t.deepEqual(await withLock(r, key, 30_000, async () => 'now'), { ran: true, value: 'now' });
  t.is(await r.get(key), null);
});
