// Heroku Redis speaks TLS with a self-signed certificate: a `rediss://` URL must work
// without a CA to verify it against, for the command client and the Socket.IO adapter.
import test from 'ava';
import { newId } from '../../src/ids';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { io as connect, type Socket } from 'socket.io-client';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
let dir: string;
const apps: TestApp[] = [];
const sockets: Socket[] = [];

test.before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rediss-'));
  const pems = await generate([{ name: 'commonName', value: 'redis.example' }], { keySize: 2048, algorithm: 'sha256' });
  fs.writeFileSync(path.join(dir, 'cert.pem'), pems.cert);
  fs.writeFileSync(path.join(dir, 'key.pem'), pems.private);
  redis = await startRedisServer({ tls: { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') } });
  // Two nodes on one store and one TLS Redis.
  const env = { REDIS_URL: redis.url, DATA_DIR: path.join(dir, 'data') };
  apps.push(await startApp(env), await startApp(env));
});

test.after.always(async () => {
  for (const s of sockets) s.close();
  for (const a of apps) await a.close();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a rediss:// URL with a self-signed certificate connects: health reports Redis ok', async (t) => {
  t.true(redis.url.startsWith('rediss://'));
  const res = await api(apps[0].url).get('/healthz');
  t.is(res.status, 200);
  t.is(res.body.checks.redis, 'ok');
});

test('over TLS Redis, a push made on node A reaches a socket on node B', async (t) => {
  const user = makeUser();
  const socket = connect(apps[1].url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const probe = { o_id: newId(), userID: user.userID };
  const got = new Promise<unknown>((resolve) => socket.once('typing', resolve));
  // The adapter needs a moment to subscribe after the connection; retry the push until it lands.
  const timer = setInterval(() => apps[0].app.push.send([{ to: [`user:${user.userID}`], event: 'typing', payload: probe }]), 50);
  try {
    t.deepEqual(await withTimeout(got, 10_000), probe);
  } finally {
    clearInterval(timer);
  }
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms))]);
}
