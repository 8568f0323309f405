// Push over the web process's Socket.IO server: a socket in several of the rooms gets one
// copy, and a socket in any of the excepted rooms (its own id is one) gets none.
import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as client, type Socket } from 'socket.io-client';
import { signToken } from '../../src/auth/token';
import { parseConfig } from '../../src/config';
import { newId } from '../../src/ids';
import { createLogger } from '../../src/log/logger';
import { createSocketServer } from '../../src/realtime/socket-server';
import { collect, type Collector } from '../helpers/socket';

const secret = 'push-secret-0123456789abcdef0123';

// Each push is an `unread` event whose `total` tells which push it is.
const [ONCE, NOT_TO_THE_PHONE, NOT_TO_THE_MUTED, END] = [1, 2, 3, 4];
const marked = (total: number) => ({ o_id: newId(), count: 0, total });
const markers = (c: Collector) => c.items.map((p) => p.total as number);

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

test('a socket in several rooms of a list gets one copy', async (t) => {
  const { realtime, connect } = await setup(t);
  const a = newId();
  const s = await connect(a);
  realtime.io.in(s.id!).socketsJoin('extra');
  const got = collect(s, 'unread');
  realtime.push.send([{ to: [`user:${a}`, 'extra'], event: 'unread', payload: marked(ONCE) }]);
  realtime.push.send([{ to: [`user:${a}`], event: 'unread', payload: marked(END) }]);
  // A connection keeps the order of its frames: a second copy would arrive before the end.
  await got.waitFor((p) => p.total === END);
  t.deepEqual(markers(got), [ONCE, END]);
});

test('sockets in an excepted room, or named by id, get nothing', async (t) => {
  const { realtime, connect } = await setup(t);
  const a = newId();
  const [phone, laptop, tablet] = [await connect(a), await connect(a), await connect(a)];
  realtime.io.in(tablet.id!).socketsJoin('muted');
  const got = [phone, laptop, tablet].map((s) => collect(s, 'unread'));
  realtime.push.send([{ to: [`user:${a}`], event: 'unread', payload: marked(NOT_TO_THE_PHONE), except: [phone.id!] }]);
  realtime.push.send([{ to: [`user:${a}`], event: 'unread', payload: marked(NOT_TO_THE_MUTED), except: ['muted'] }]);
  realtime.push.send([{ to: [`user:${a}`], event: 'unread', payload: marked(END), except: [] }]);
  for (const g of got) await g.waitFor((p) => p.total === END);
  t.deepEqual(got.map(markers), [
    [NOT_TO_THE_MUTED, END],
    [NOT_TO_THE_PHONE, NOT_TO_THE_MUTED, END],
    [NOT_TO_THE_PHONE, END],
  ]);
});
