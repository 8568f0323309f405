// Baseline: a bare Socket.IO server that relays `message` to the room. No auth, no
// validation, no storage. With REDIS_URL it uses the Redis adapter, like a second node;
// with BARE_FRAMES=ours it sends the frames our server sends per message (sameFrames).
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { randomUUID } from 'node:crypto';
import { serveChild } from '../lib/ipc';
import { profileStart, profileStop } from '../lib/profiler';

const server = http.createServer();
const io = new Server(server);
const clients: Redis[] = [];

if (process.env.REDIS_URL) {
  const pub = new Redis(process.env.REDIS_URL);
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (err) => console.error('bare-socketio redis:', err.message));
  clients.push(pub, sub);
  io.adapter(createAdapter(pub, sub));
}

io.on('connection', (socket) => {
  socket.on('join', (p: { o_id: string }, ack?: (r: unknown) => void) => {
    socket.join(`order:${p.o_id}`);
    ack?.({ code: 900, order: { o_id: p.o_id, status: 'pending' }, unread: 0 });
  });
  socket.on('message', (p: { o_id: string; content: string }, ack?: (r: unknown) => void) => {
    if (SAME_FRAMES) return sameFrames(socket, p, ack);
    socket.to(`order:${p.o_id}`).emit('message', p);
    ack?.({ code: 900, message: p });
  });
});

/**
 * BARE_FRAMES=ours: still no auth, validation or storage, but the frames our server sends for
 * a message in a conversation (what `received per message` shows for it): the message to
 * both parties, `read` to both (a reply reads what the peer sent), `unread` to each, the
 * ack; payloads shaped like ours. It tells how much of the gap to bare Socket.IO is the
 * contract's fan-out (Socket.IO's cost per frame) and how much our own work per message.
 */
const SAME_FRAMES = process.env.BARE_FRAMES === 'ours';
let seq = 0;
function sameFrames(socket: Socket, p: { o_id: string; content: string }, ack?: (r: unknown) => void) {
  const room = `order:${p.o_id}`;
  const msgid = randomUUID().replace(/-/g, '');
  const message = { msgid, o_id: p.o_id, seq: ++seq, from: socket.id, to: 'peer', type: 'text', content: p.content, text: p.content, is_read: false, createdAt: new Date().toISOString() };
  io.to(room).emit('message', message);
  io.to(room).emit('read', { o_id: p.o_id, userID: socket.id, msgid });
  socket.to(room).emit('unread', { total: 1, o_id: p.o_id, count: 1 });
  socket.emit('unread', { total: 0, o_id: p.o_id, count: 0 });
  ack?.({ code: 900, message });
}

await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const { port } = server.address() as AddressInfo;

serveChild(
  {
    gc: () => {
      globalThis.gc?.();
      globalThis.gc?.();
      return process.memoryUsage();
    },
    sockets: () => io.engine.clientsCount,
    profileStart,
    profileStop,
  },
  { url: `http://127.0.0.1:${port}`, kind: 'bare-socketio' },
  async () => {
    io.close();
    for (const c of clients) c.disconnect();
  },
);
