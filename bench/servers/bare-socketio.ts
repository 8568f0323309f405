// Baseline: a bare Socket.IO server that relays `message` to the room. No auth, no
// validation, no storage. With REDIS_URL it uses the Redis adapter, as every fleet node
// does; with BARE_FRAMES=ours it sends the frames our server sends per message (sameFrames).
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
 * a message (protocol v2, what `received per message` shows for it): the message, carrying
 * the receiver's numbers, to the other sockets of the room, and the ack with the message and
 * the sender's numbers; payloads shaped like ours. Against ours it tells how much of the gap
 * to bare Socket.IO is the frames' size and how much our own work per message.
 */
const SAME_FRAMES = process.env.BARE_FRAMES === 'ours';
let seq = 0;
function sameFrames(socket: Socket, p: { o_id: string; content: string }, ack?: (r: unknown) => void) {
  const msgid = randomUUID().replace(/-/g, '');
  const message = { msgid, o_id: p.o_id, seq: ++seq, from: socket.id, to: 'peer', type: 'text', content: p.content, text: p.content, is_read: false, createdAt: new Date().toISOString() };
  socket.to(`order:${p.o_id}`).emit('message', { ...message, unread: { count: 1, total: 1 } });
  ack?.({ code: 900, message, unread: { count: 0, total: 0 } });
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
