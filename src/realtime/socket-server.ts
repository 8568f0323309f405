// The Socket.IO server of the web process. It is created before the HTTP server exists
// (services need its Push at construction) and attached to app.server afterwards. With
// REDIS_URL, the Redis adapter fans events out to every node; without it, one node.
import { createAdapter } from '@socket.io/redis-adapter';
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Config } from '../config';
import { closeRedis, createRedis, redisUnavailable, type Redis } from '../db/redis';
import type { Logger } from '../log/logger';
import { isSameOrigin, originCheck } from '../http/cors';
import type { ClientToServerEvents, ServerToClientEvents } from './events';
import type { Push } from './push';
import type { Identity } from '../auth/token';
import { identityOf, socketAuth } from './socket-auth';
import { socketsPerUser } from './sockets-per-user';
import { disconnectAtExpiry } from './token-expiry';
import { rooms } from './push';

export const SOCKET_OPTIONS = {
  // Ping interval + timeout (45 s) stays under Heroku's 55 s idle limit on the router.
  pingInterval: 25_000,
  pingTimeout: 20_000,
  // A frame above this closes the connection; chat content is at most 2000 characters.
  maxHttpBufferSize: 64 * 1024,
  serveClient: false,
} as const;

/** What the server keeps on a socket from its handshake (realtime/socket-auth.ts). */
export interface SocketData {
  user: Identity;
  /** the token's `exp`, in ms */
  expiresAt?: number;
}
// Typed by the protocol's event maps: pushing an event that docs/protocol.md does not define
// does not compile. The client events' payloads are what a client claims to send, so every
// handler parses its payload before use.
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServer {
  io: ChatServer;
  push: Push;
  attach(server: http.Server): void;
  /** With Redis: the adapter's connections, for /healthz (a ping on the publisher, and a lost connection reported at once). */
  fanout?: { ping(): Promise<unknown>; unavailable(): string | undefined };
  /** Disconnects this node's sockets (clients reconnect to another node), closes io and the Redis clients. */
  close(): Promise<void>;
}

export function createSocketServer(config: Config, log: Logger): SocketServer {
  const allowed = originCheck(config);
  const io: ChatServer = new Server({
    ...SOCKET_OPTIONS,
    // The same origins as REST (http/cors.ts): the long-polling answers' CORS headers ...
    cors: { origin: (origin, cb) => cb(null, origin !== undefined && allowed(origin)), credentials: false },
    // ... and the handshake itself, as a WebSocket upgrade carries no CORS at all. Apps send no Origin.
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      cb(null, !origin || allowed(origin) || isSameOrigin(origin, req.headers.host));
    },
  });
  let pubsub: Redis[] = [];
  if (config.REDIS_URL) {
    const pub = createRedis(config.REDIS_URL, log, 'io-pub', 'publisher');
    const sub = createRedis(config.REDIS_URL, log, 'io-sub', 'subscriber');
    pubsub = [pub, sub];
    io.adapter(createAdapter(pub, sub));
  }
  io.use(socketAuth(config.AUTH_SECRET));
  io.use(socketsPerUser(config.SOCKETS_PER_USER_MAX));
  // Every socket is in its user's room (all of a user's devices) and staff in `staff`.
  io.on('connection', (socket) => {
    disconnectAtExpiry(socket);
    const who = identityOf(socket);
    socket.join(rooms.user(who.userID));
    if (who.staff) socket.join(rooms.staff);
  });

  // `to([...])` with several rooms delivers once per socket, on every node; `except` too.
  const push: Push = {
    emit(targetRooms, event, payload, exceptRooms) {
      const to = io.to(targetRooms as string[]);
      // Push's signature already ties the payload to the event; Socket.IO's mapped types cannot see it.
      (exceptRooms?.length ? to.except(exceptRooms as string[]) : to).emit(event, ...([payload] as Parameters<ServerToClientEvents[typeof event]>));
    },
  };

  return {
    io,
    push,
    fanout: pubsub.length ? { ping: () => pubsub[0].ping(), unavailable: () => pubsub.map(redisUnavailable).find((reason) => reason !== undefined) } : undefined,
    attach(server) {
      io.attach(server);
    },
    async close() {
      // io.close() drops this node's sockets without a disconnect packet and closes their
      // transports: clients see "transport close" and reconnect (to another node). Not
      // disconnectSockets(true): it sends the packet first ("io server disconnect"), after
      // which a client stays disconnected (test/server/shutdown.test.ts).
      await io.close();
      await Promise.all(pubsub.map((c) => closeRedis(c)));
    },
  };
}
