// The chat's client events (CONTRACT §6). Each handler parses its payload, calls the chat
// service and acknowledges `{code, ...}`; any error becomes `{code, msg}` and the socket
// stays connected, whatever the client sent.
import type { Server, Socket } from 'socket.io';
import { rateLimited, forbidden } from '../http/errors';
import { parse } from '../http/validate';
import type { Logger } from '../log/logger';
import { ackError, ackOk } from '../realtime/ack';
import { rooms } from '../realtime/push';
import { identityOf } from '../realtime/socket-auth';
import { historySchema, orderRefSchema, parseMessage, readSchema } from './chat.schema';
import type { ChatService } from './chat.service';
import { TokenBucket } from './token-bucket';

export interface ChatSocketDeps {
  chat: ChatService;
  log: Logger;
  /** messages a socket may send per second; the burst is twice that */
  ratePerS: number;
  /** told the code of every acknowledgement (metrics) */
  onAck?: (event: string, code: number) => void;
}

/** Other events (join, history, typing, ...) are cheaper but not free: a looser bucket. */
const OTHER_EVENTS_FACTOR = 5;

type Handler = (payload: unknown) => Promise<Record<string, unknown>> | Record<string, unknown>;

export function chatSockets(io: Server, deps: ChatSocketDeps) {
  io.on('connection', (socket) => {
    const who = identityOf(socket);
    const messages = new TokenBucket(deps.ratePerS, deps.ratePerS * 2);
    const others = new TokenBucket(deps.ratePerS * OTHER_EVENTS_FACTOR, deps.ratePerS * OTHER_EVENTS_FACTOR * 2);
    const on = (event: string, bucket: TokenBucket, handler: Handler) => socket.on(event, (...args: unknown[]) => void run(socket, deps, event, bucket, handler, args));

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

    on('message', messages, async (p) => {
      return { message: await deps.chat.send(who, parseMessage(p)) };
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
async function run(socket: Socket, deps: ChatSocketDeps, event: string, bucket: TokenBucket, handler: Handler, args: unknown[]) {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (body: unknown) => void) : undefined;
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  let body: Record<string, unknown>;
  try {
    if (!bucket.take()) throw rateLimited('rate: too many events; slow down');
    body = ackOk(await handler(payload));
  } catch (err) {
    body = { ...ackError(err, deps.log.child({ socket: socket.id })) };
  }
  deps.onAck?.(event, body.code as number);
  ack?.(body);
}
