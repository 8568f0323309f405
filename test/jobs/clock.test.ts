// The clock process (`tsx src/clock.ts`, what `npm run clock` runs) next to a web node on one redis-server and one
// store: its sweep expires an order and the push reaches a socket on the web node through
// the Redis emitter; SIGTERM stops it cleanly.
import test from 'ava';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { api, startApp, storeEnv, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { closeAll, collect, connect } from '../helpers/socket';
import { spawnEntry, within, type Child } from '../helpers/spawn';

let redis: RedisServer;
let dir: string;
let web: TestApp;
let clock: Child | undefined;
const sockets: Socket[] = [];

test.before(async () => {
  redis = await startRedisServer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clock-'));
  web = await startApp({ REDIS_URL: redis.url, DATA_DIR: dir, RUN_JOBS: 'false' });
});
test.after.always(async () => {
  closeAll(sockets);
  if (clock && clock.proc.exitCode === null) clock.proc.kill('SIGKILL');
  await web?.close();
  await redis?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

test('the clock expires an order and its push reaches the socket on the web node', async (t) => {
  const c = api(web.url);
  const o = await buildOrder(c);
  const buyer = await connect(web.url, o.buyer.token);
  sockets.push(buyer);
  const orderPushes = collect(buyer, 'order');
  const messages = collect(buyer, 'message');
  await advance(c, o, 'confirmed');

  // The web node's store: on MongoDB, the database its DATA_DIR names.
  const { env } = await storeEnv({
    REDIS_URL: redis.url,
    DATA_DIR: dir,
    CRON_SCHEDULE: '* * * * * *',
    ORDER_PAY_TIMEOUT_S: '1',
    // Heroku shares config vars between process types: the clock ignores RUN_JOBS=false.
    RUN_JOBS: 'false',
    LOG_LEVEL: 'info',
  });
  clock = spawnEntry('src/clock.ts', env);
  await clock.waitForLog((l) => l.msg === 'clock running');

  const pushed = await orderPushes.waitFor((p) => p.o_id === o.o_id && p.status === 'canceled');
  t.not(pushed.cancelAt, '');
  const system = await messages.waitFor((m) => m.o_id === o.o_id && m.content === 'pay_expired');
  t.is(system.type, 'system');
  // Through the emitter too, a system message carries the receiver's numbers: created, confirmed and this one.
  t.deepEqual(system.unread, { count: 3, total: 3 });
  t.is((await web.app.store.orders.get(o.o_id))!.status, 'canceled');

  clock.signal('SIGTERM');
  t.is(await within(clock.exited, 10_000, 'clock exit'), 0, clock.output());
  t.truthy(clock.lines.find((l) => l.msg === 'stopped'));
});
