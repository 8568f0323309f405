// Frames written to one connection in one turn leave in one system call, intact and in
// order; writes of later turns are not held back; end() still delivers what was held.
import test from 'ava';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { io as client } from 'socket.io-client';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log/logger';
import { CoalescedWebSocketServer, coalesceWrites } from '../../src/realtime/coalesced-ws';
import { createSocketServer } from '../../src/realtime/socket-server';
import { signToken } from '../../src/auth/token';
import { newId } from '../../src/ids';

/** A connected pair: the server's end (whose writes are counted) and what the client receives. */
async function pair(coalesce: boolean) {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const peer = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  const socket = await accepted;
  if (coalesce) coalesceWrites(socket);
  // Every chunk that reaches the kernel goes through _write (alone) or _writev (several).
  const calls: number[] = [];
  const s = socket as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write.bind(socket);
  const writev = s._writev.bind(socket);
  s._write = (...a) => (calls.push(1), write(...a));
  s._writev = (chunks, cb) => (calls.push(chunks.length), writev(chunks, cb));
  let received = '';
  peer.on('data', (d) => (received += d.toString()));
  const ended = new Promise<void>((r) => peer.once('end', r));
  return {
    socket,
    calls,
    received: () => received,
    ended,
    close() {
      socket.destroy();
      peer.destroy();
      server.close();
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));

test('frames written in one turn leave in one writev, in order', async (t) => {
  const p = await pair(true);
  p.socket.write('one|');
  p.socket.write('two|');
  p.socket.write('three|');
  t.true(p.socket.writableLength > 0, 'held until the turn ends');
  t.deepEqual(p.calls, []);
  await turn();
  t.deepEqual(p.calls, [3]);
  while (p.received().length < 14) await turn();
  t.is(p.received(), 'one|two|three|');
  p.close();
});

test('without coalescing the same writes take one call each (what the wrapper changes)', async (t) => {
  const p = await pair(false);
  p.socket.write('one|');
  p.socket.write('two|');
  p.socket.write('three|');
  await turn();
  t.true(p.calls.length >= 2, `calls: ${JSON.stringify(p.calls)}`);
  p.close();
});

test('writes of later turns are not held back', async (t) => {
  const p = await pair(true);
  for (const chunk of ['a', 'b', 'c']) {
    p.socket.write(chunk);
    await turn();
    t.is(p.socket.writableLength, 0, `${chunk} left within its turn`);
  }
  t.deepEqual(p.calls, [1, 1, 1]);
  p.close();
});

test('end() in the middle of a held turn delivers everything, then the end', async (t) => {
  const p = await pair(true);
  p.socket.write('last ');
  p.socket.end('words');
  await p.ended;
  t.is(p.received(), 'last words');
  p.close();
});

test('the Socket.IO server runs on the coalescing WebSocket server, and events still arrive', async (t) => {
  const secret = 'coalesce-secret-0123456789abcdef';
  const config = parseConfig({ AUTH_SECRET: secret, DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });
  const realtime = createSocketServer(config, createLogger('silent'));
  const server = http.createServer();
  realtime.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.true((realtime.io.engine as unknown as { ws: unknown }).ws instanceof CoalescedWebSocketServer);

  const userID = newId();
  const socket = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { auth: { token: signToken(secret, userID) }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((r, j) => (socket.once('connect', () => r()), socket.once('connect_error', j)));
  const got: number[] = [];
  const all = new Promise<void>((r) => socket.on('n', (n: number) => (got.push(n), got.length === 5 && r())));
  // Five pushes in one turn: one writev to this socket, five events in order.
  for (let n = 0; n < 5; n++) realtime.push.emit([`user:${userID}`], 'n', n);
  await all;
  t.deepEqual(got, [0, 1, 2, 3, 4]);
  socket.close();
  await realtime.close();
  server.close();
});
