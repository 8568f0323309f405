// The chat's client events (docs/protocol.md). Each handler parses its payload, calls the chat
// service and acknowledges `{code, ...}`; any error becomes `{code, msg}` and the socket
// stays connected, whatever the client sent.
import { forbidden, rateLimited, unauthorized } from '../errors';
import { parse } from '../http/validate';
import type { Logger } from '../log/logger';
import { ackError, ackOk } from '../realtime/ack';
import type { ClientEventName } from '../realtime/events';
import { rooms } from '../realtime/push';
import { identityOf, tokenExpired } from '../realtime/socket-auth';
import type { ChatServer, ChatSocket } from '../realtime/socket-server';
import { historySchema, messageSchema, orderRefSchema, readSchema } from './chat.schema';
import type { ChatService } from './chat.service';
import { TokenBucket } from './token-bucket';

interface ChatSocketDeps {
  chat: ChatService;
  log: Logger;
  /** messages a user may send per second over all its sockets on this node; the burst is twice that */
  ratePerS: number;
  /** told the code of every acknowledgement (metrics) */
  onAck?: (event: string, code: number) => void;
}

/** A user's buckets, shared by its sockets on this node, dropped a while after its last socket. */
interface UserBuckets {
  messages: TokenBucket;
  others: TokenBucket;
  sockets: number;
}

/** Other events (join, history, typing, ...) are cheaper but not free: a looser bucket. */
const OTHER_EVENTS_FACTOR = 5;
/** An empty bucket is full again after burst / rate = 2 s. */
const BUCKET_REFILL_MS = 2000;

type Handler = (payload: unknown) => Promise<Record<string, unknown>> | Record<string, unknown>;

export function chatSockets(io: ChatServer, deps: ChatSocketDeps) {
  const buckets = new Map<string, UserBuckets>();
  const bucketsOf = (userID: string) => {
    let b = buckets.get(userID);
    if (!b) {
      const others = deps.ratePerS * OTHER_EVENTS_FACTOR;
      buckets.set(userID, (b = { messages: new TokenBucket(deps.ratePerS, deps.ratePerS * 2), others: new TokenBucket(others, others * 2), sockets: 0 }));
    }
    return b;
  };

  io.on('connection', (socket) => {
    const who = identityOf(socket);
    // Looked up once per socket: an event costs the bucket's take() alone.
    const mine = bucketsOf(who.userID);
    mine.sockets++;
    socket.once('disconnect', () => {
      if (--mine.sockets > 0) return;
      // Kept until it would have refilled anyway: reconnecting does not buy a fresh burst.
      setTimeout(() => {
        if (mine.sockets === 0 && buckets.get(who.userID) === mine) buckets.delete(who.userID);
      }, BUCKET_REFILL_MS).unref();
    });
    const { messages, others } = mine;
    const on = (event: ClientEventName, bucket: TokenBucket, handler: Handler) => socket.on(event, (...args: unknown[]) => void run(socket, deps, event, bucket, handler, args));

    on('join', others, async (p) => {
      const { o_id } = parse(orderRefSchema, p, 'payload');
      const r = await deps.chat.join(who, o_id);
      await socket.join(r.viewer === 'admin' ? [rooms.order(o_id), rooms.orderStaff(o_id)] : rooms.order(o_id));
      return { order: r.order, unread: r.unread };
    });

    on('leave', others, async (p) => {
      const { o_id } = parse(orderRefSchema, p, 'payload');
      for (const room of [rooms.order(o_id), rooms.orderStaff(o_id)]) await socket.leave(room);
      return {};
    });

    // The ack carries the message and the sender's numbers; this socket gets no `message` frame.
    on('message', messages, async (p) => {
      const { message, unread } = await deps.chat.send(who, parse(messageSchema, p, 'payload'), socket.id);
      return { message, unread };
    });

    on('read', others, async (p) => deps.chat.read(who, parse(readSchema, p, 'payload')));

    on('history', others, async (p) => ({ list: await deps.chat.history(who, parse(historySchema, p, 'payload')) }));

    // Only to sockets in the room, never stored: joining checked the caller's right to the room.
    on('typing', others, (p) => {
      const { o_id } = parse(orderRefSchema, p, 'payload');
      if (!socket.rooms.has(rooms.order(o_id))) throw forbidden('o_id: join the order before typing');
      socket.to(rooms.order(o_id)).emit('typing', { o_id, userID: who.userID });
      return {};
    });
  });
}

/** Splits (payload, ack) however the client called emit, rate-limits, runs and acknowledges. */
async function run(socket: ChatSocket, deps: ChatSocketDeps, event: ClientEventName, bucket: TokenBucket, handler: Handler, args: unknown[]) {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (body: unknown) => void) : undefined;
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  let body: Record<string, unknown>;
  try {
    // The expiry timer disconnects the socket; this covers an event that arrives first.
    if (tokenExpired(socket)) throw unauthorized('auth: token expired');
    if (!bucket.take()) throw rateLimited('rate: too many events; slow down');
    body = ackOk(await handler(payload));
  } catch (err) {
    body = { ...ackError(err, deps.log.child({ socket: socket.id })) };
  }
  deps.onAck?.(event, body.code as number);
  ack?.(body);
}
