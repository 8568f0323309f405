// Baseline: a bare Socket.IO server that relays `message` to the room. No auth, no
// validation, no storage. With REDIS_URL it uses the Redis adapter, like a second node.
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
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
    socket.to(`order:${p.o_id}`).emit('message', p);
    ack?.({ code: 900, message: p });
  });
});

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
