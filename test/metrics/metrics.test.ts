// GET /metrics (README "Metrics"): what each metric counts, after real requests, socket
// events and sweeps; and who may read it in development and in production.
import test from 'ava';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { buildOrder } from '../helpers/factories';
import { closeAll, connect, emitAck } from '../helpers/socket';
import type { Socket } from 'socket.io-client';
import { parseConfig } from '../../src/config';
import { createMetrics } from '../../src/metrics/metrics';

const PROD = { NODE_ENV: 'production', AUTH_SECRET: 'metrics-test-secret-0123456789abcdef', PAYMENT_PROVIDER: 'sandbox', CALL_PROVIDER: 'simulated', ALLOW_TEST_PROVIDERS: 'true' };
const TOKEN = 'metrics-token-0123456789';

/** The value of the sample `name{labels}` (labels given must all match; others may be present). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (t: TestApp, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t.url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

let clock = new Date();
let dev: TestApp;
const sockets: Socket[] = [];
test.before(async () => {
  dev = await startApp({}, { now: () => clock });
});
test.after.always(async () => {
  closeAll(sockets);
  await dev?.close();
});

test.serial('HTTP durations by route template and status, never by the raw path', async (t) => {
  const o = await buildOrder(api(dev.url));
  for (let i = 0; i < 3; i++) await fetch(`${dev.url}/rest/order/${o.o_id}`, { headers: { auth: o.buyer.token } });
  await fetch(`${dev.url}/rest/order/${o.o_id}`, { headers: { auth: makeUser().token } });
  await fetch(`${dev.url}/no/such/path/${o.o_id}`);
  const m = await scrape(dev);
  t.is(m.status, 200);
  t.true(m.type.startsWith('text/plain'), m.type);
  t.is(sample(m.text, 'http_request_duration_seconds_count', { method: 'GET', route: '/rest/order/:o_id', status: '200' }), 3);
  t.is(sample(m.text, 'http_request_duration_seconds_count', { method: 'GET', route: '/rest/order/:o_id', status: '403' }), 1);
  t.is(sample(m.text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }), 1);
  t.is(sample(m.text, 'http_request_duration_seconds_count', { method: 'POST', route: '/rest/topic/:topic_id/order', status: '200' }), 1);
  t.false(m.text.includes(o.o_id), 'no raw ids in labels');
});

test.serial('sockets connected, chat acks by code, messages and pushes', async (t) => {
  const o = await buildOrder(api(dev.url));
  const buyer = await connect(dev.url, o.buyer.token);
  const seller = await connect(dev.url, o.expert.token);
  sockets.push(buyer, seller);
  const before = await scrape(dev);
  t.is(sample(before.text, 'socketio_connected'), 2);
  const pushedBefore = sample(before.text, 'pushes_total', { event: 'message' }) ?? 0;
  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: '你好' })).code, 900);
  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: '在吗' })).code, 900);
  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: '' })).code, 901);
  t.is((await emitAck(seller, 'join', { o_id: 'bad' })).code, 901);
  const m = (await scrape(dev)).text;
  t.is(sample(m, 'chat_acks_total', { event: 'message', code: '900' }), 2);
  t.is(sample(m, 'chat_acks_total', { event: 'message', code: '901' }), 1);
  t.is(sample(m, 'chat_acks_total', { event: 'join', code: '901' }), 1);
  t.is(sample(m, 'chat_messages_total'), 2);
  // Each message is pushed three times: to each party's devices (with its own numbers) and to the order's staff.
  t.is(sample(m, 'pushes_total', { event: 'message' }), pushedBefore + 6);
  buyer.close();
  seller.close();
});

test.serial('sweeps: runs and items per job', async (t) => {
  await buildOrder(api(dev.url));
  await buildOrder(api(dev.url));
  clock = new Date(Date.now() + (dev.config.ORDER_CONFIRM_TIMEOUT_S + 60) * 1000);
  const report = await dev.app.jobs.runOnce();
  t.true((report?.confirmExpired ?? 0) >= 2);
  await dev.app.jobs.runOnce();
  const m = (await scrape(dev)).text;
  t.is(sample(m, 'sweep_runs_total', { outcome: 'ran' }), 2);
  t.is(sample(m, 'sweep_items_total', { job: 'confirmExpired' }), report!.confirmExpired);
  t.true(sample(m, 'pushes_total', { event: 'order' })! >= report!.confirmExpired);
});

test.serial('store health and the process: event-loop lag, memory, CPU', async (t) => {
  const m = (await scrape(dev)).text;
  t.is(sample(m, 'store_up'), 1);
  t.is(sample(m, 'redis_up'), undefined, 'no Redis configured');
  for (const name of ['nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes', 'process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
    t.not(sample(m, name), undefined, name);
  }
});

test.serial('Redis health: 1 while it answers, 0 when it fails or does not answer in time', async (t) => {
  const up = await startApp({ REDIS_URL: 'redis://127.0.0.1:6379' });
  try {
    t.is(sample((await scrape(up)).text, 'redis_up'), 1);
  } finally {
    await up.close();
  }
  const store = { ping: async () => 'ok' };
  const failing = createMetrics({ store, redis: { ping: () => Promise.reject(new Error('ECONNREFUSED')) } });
  t.is(sample((await failing.scrape()).text, 'redis_up'), 0);
  const silent = createMetrics({ store: { ping: () => new Promise(() => {}) }, redis: { ping: () => new Promise(() => {}) } });
  const m = (await silent.scrape()).text;
  t.is(sample(m, 'redis_up'), 0);
  t.is(sample(m, 'store_up'), 0);
});

test.serial('production: behind METRICS_TOKEN as a Bearer token; off (404) without one', async (t) => {
  const guarded = await startApp({ ...PROD, METRICS_TOKEN: TOKEN });
  const off = await startApp(PROD);
  try {
    t.is((await scrape(guarded)).status, 401);
    t.is((await scrape(guarded, { Authorization: `Bearer ${TOKEN}x` })).status, 401);
    t.is((await scrape(guarded, { Authorization: TOKEN })).status, 401);
    const ok = await scrape(guarded, { Authorization: `Bearer ${TOKEN}` });
    t.is(ok.status, 200);
    t.not(sample(ok.text, 'store_up'), undefined);
    t.is((await scrape(off)).status, 404);
    t.is((await scrape(off, { Authorization: `Bearer ${TOKEN}` })).status, 404);
  } finally {
    await guarded.close();
    await off.close();
  }
});

test('METRICS_TOKEN shorter than 16 characters stops start-up naming it', (t) => {
  t.throws(() => parseConfig({ METRICS_TOKEN: 'short' }), { message: /^METRICS_TOKEN: / });
});
