// Push over the web process's Socket.IO server: a shared (frozen) room list is resolved to
// sockets at each emit, never once for all, and a socket in several of the rooms gets one copy.
import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as client, type Socket } from 'socket.io-client';
import { signToken } from '../../src/auth/token';
import { parseConfig } from '../../src/config';
import { newId } from '../../src/ids';
import { createLogger } from '../../src/log/logger';
import { createSocketServer } from '../../src/realtime/socket-server';

const secret = 'push-secret-0123456789abcdef0123';

async function setup(t: { teardown: (fn: () => unknown) => void }) {
  const config = parseConfig({ AUTH_SECRET: secret, DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });
  const realtime = createSocketServer(config, createLogger('silent'));
  const server = http.createServer();
  realtime.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets: Socket[] = [];
  t.teardown(async () => {
    for (const s of sockets) s.close();
    await realtime.close();
    server.close();
  });
  const connect = async (userID: string) => {
    const s = client(url, { auth: { token: signToken(secret, userID) }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(s);
    await new Promise<void>((r, j) => (s.once('connect', () => r()), s.once('connect_error', j)));
    return s;
  };
  return { realtime, connect };
}

/** Everything `s` receives of `event`. */
function collect(s: Socket, event: string) {
  const got: unknown[] = [];
  s.on(event, (p: unknown) => got.push(p));
  return got;
}

const settle = () => new Promise((r) => setTimeout(r, 150));

test('a shared room list reaches the sockets in its rooms at the time of each emit', async (t) => {
  const { realtime, connect } = await setup(t);
  const a = newId();
  const b = newId();
  const list = Object.freeze([`user:${a}`, `user:${b}`]);
  const first = await connect(a);
  const firstGot = collect(first, 'n');

  realtime.push.emit(list, 'n', 1);
  await settle();
  // b connects after the first emit: the same list must now reach it too.
  const second = await connect(b);
  const secondGot = collect(second, 'n');
  realtime.push.emit(list, 'n', 2);
  await settle();
  // and a socket that left stops receiving.
  realtime.io.in(first.id!).socketsLeave(`user:${a}`);
  realtime.push.emit(list, 'n', 3);
  await settle();

  t.deepEqual(firstGot, [1, 2]);
  t.deepEqual(secondGot, [2, 3]);
});

test('a socket in several rooms of a list gets one copy, shared list or not', async (t) => {
  const { realtime, connect } = await setup(t);
  const a = newId();
  const s = await connect(a);
  realtime.io.in(s.id!).socketsJoin('extra');
  const got = collect(s, 'n');
  realtime.push.emit(Object.freeze([`user:${a}`, 'extra']), 'n', 'shared');
  realtime.push.emit([`user:${a}`, 'extra'], 'n', 'fresh');
  await settle();
  t.deepEqual(got, ['shared', 'fresh']);
});
