// SIGTERM on the web process (`src/server.ts` as a child process, temp DATA_DIR): it stops
// accepting, drops sockets so they reconnect elsewhere, finishes the request in flight,
// closes the store and exits 0 well inside Heroku's limits.
import test from 'ava';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEST_SECRET, api, storeEnv } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { freePort } from '../helpers/redis-server';
import { connect } from '../helpers/socket';
import { spawnEntry, within, type Child } from '../helpers/spawn';
import { startPingppFake, type PingppFake } from '../fakes/pingpp-fake';

let fake: PingppFake;
const children: Child[] = [];
const dirs: string[] = [];

test.before(async () => {
  fake = await startPingppFake({ apiKey: 'sk_test_x', appId: 'app_x' });
});
test.after.always(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await fake?.close();
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

async function startServer(extraEnv: Record<string, string> = {}, opts: { command?: string[]; group?: boolean } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigterm-'));
  dirs.push(dir);
  const port = await freePort();
  const { env } = await storeEnv({
    PORT: String(port),
    DATA_DIR: dir,
    AUTH_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    PAYMENT_PROVIDER: 'pingpp',
    PINGPP_API_KEY: 'sk_test_x',
    PINGPP_APP_ID: 'app_x',
    PINGPP_API_BASE: fake.url,
    ...extraEnv,
  });
  const child = spawnEntry('src/server.ts', env, opts);
  children.push(child);
  await child.waitForLog((l) => l.msg === 'listening', 30_000);
  return { child, base: `http://127.0.0.1:${port}` };
}

test.serial('SIGTERM with a request in flight: the request completes, sockets are told to reconnect, exit 0', async (t) => {
  const { child, base } = await startServer();
  const c = api(base);
  const o = await buildOrder(c, { price: 1800 });
  await advance(c, o, 'confirmed');
  const socket = await connect(base, o.buyer.token);
  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

  // A slow provider keeps the pay request in flight while the signal arrives.
  fake.setDelay(1500);
  const reached = new Promise<void>((resolve) => fake.onRequest((r) => r.path === '/v1/charges' && resolve()));
  const inFlight = c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token);
  try {
    await within(reached, 15_000, 'the charge request reaching Ping++');
    child.signal('SIGTERM');
    // "transport close" (not "io server disconnect") is the reason a client reconnects after.
    t.is(await within(disconnected, 10_000, 'socket disconnect'), 'transport close');
    const res = await within(inFlight, 10_000, 'the in-flight request');
    t.is(res.status, 200);
    t.is(res.body.code, 900);
    t.is(res.body.charge.amount, 1800);
  } finally {
    fake.setDelay(0);
    socket.close();
  }
  t.is(await within(child.exited, 10_000, 'exit after SIGTERM'), 0, child.output());
  const msgs = child.lines.map((l) => l.msg);
  t.true(msgs.indexOf('shutting down') < msgs.indexOf('stopped'));
  await t.throwsAsync(fetch(base + '/healthz'), undefined, 'no longer accepting');
});

test.serial('`npm start` stopped the way Heroku does it (SIGTERM to every process of the dyno) exits cleanly', async (t) => {
  const { child, base } = await startServer({}, { command: ['npm', 'start'], group: true });
  t.is((await fetch(base + '/healthz')).status, 200);
  child.signal('SIGTERM');
  await within(child.closed, 10_000, 'every process gone');
  t.truthy(child.lines.find((l) => l.msg === 'stopped'), child.output());
  t.falsy(child.lines.find((l) => l.msg === 'shutdown took too long; exiting'));
});
