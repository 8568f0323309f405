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
import { PUSH_EVENT, type Delivery, type Push } from './push';
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
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, BetweenNodes, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, BetweenNodes, SocketData>;

/** Server-side events between the processes of a fleet (through the Redis adapter, or the clock's emitter). */
export interface BetweenNodes {
  /** Pushes for every node to deliver to its own sockets (realtime/push.ts). */
  [PUSH_EVENT]: (deliveries: Delivery[]) => void;
}

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

  // A push crosses nodes as one server-side event per call, so a chat message's copies for
  // each party and for staff are one Redis publish, not one per copy; each node delivers to
  // its own sockets. A frame is encoded before Socket.IO looks for its sockets, so a push
  // none of whose rooms has a socket here is skipped (a node holds few of a fleet's rooms).
  const localRooms = io.of('/').adapter.rooms;
  const deliverHere = (deliveries: readonly Delivery[]) => {
    for (const d of deliveries) {
      if (!d.to.some((room) => localRooms.has(room))) continue;
      const to = io.local.to(d.to as string[]);
      // Delivery ties the payload to the event; Socket.IO's mapped types cannot see it.
      (d.except?.length ? to.except(d.except as string[]) : to).emit(d.event, ...([d.payload] as Parameters<ServerToClientEvents[typeof d.event]>));
    }
  };
  io.on(PUSH_EVENT, (deliveries) => {
    // A throw here would surface in the adapter's subscriber as an unhandled rejection.
    try {
      deliverHere(deliveries);
    } catch (err) {
      log.warn({ err }, 'push from another node not delivered');
    }
  });
  const push: Push = {
    send(deliveries) {
      deliverHere(deliveries);
      if (pubsub.length) io.serverSideEmit(PUSH_EVENT, deliveries as Delivery[]);
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
