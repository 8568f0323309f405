// The Socket.IO protocol as data (docs/protocol.md): each client event with its payload and
// the fields its ack adds to `{code: 900}`, each server event with its payload. /asyncapi.json
// is generated from these; the typed maps below are for TypeScript clients:
//   const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token } });
import type { z } from 'zod';
import { callEventSchema } from '../calls/calls.schema';
import { chatAcks, historySchema, messagePushSchema, messageSchema, orderRefSchema, readEventSchema, readSchema, typingEventSchema, unreadEventSchema } from '../chat/chat.schema';
import { restError, restOk } from '../http/answers';
import { orderTimesSchema } from '../orders/orders.schema';
import { authExpiredSchema } from './token-expiry';

interface ClientEvent<P extends z.ZodTypeAny, A extends z.ZodRawShape> {
  summary: string;
  payload: P;
  /** the fields a successful ack carries beside `code: 900` */
  ack: A;
}
const clientEvent = <P extends z.ZodTypeAny, A extends z.ZodRawShape>(e: ClientEvent<P, A>) => e;

export const CLIENT_EVENTS = {
  join: clientEvent({ summary: "Join an order's room (its parties and staff)", payload: orderRefSchema, ack: chatAcks.join }),
  leave: clientEvent({ summary: "Leave an order's room", payload: orderRefSchema, ack: chatAcks.leave }),
  message: clientEvent({ summary: 'Send a text message; a repeated client_id stores nothing new', payload: messageSchema, ack: chatAcks.message }),
  read: clientEvent({ summary: 'Mark read up to msgid (or everything)', payload: readSchema, ack: chatAcks.read }),
  history: clientEvent({ summary: 'Messages before or after a seq', payload: historySchema, ack: chatAcks.history }),
  typing: clientEvent({ summary: 'Tell the others in the room the caller is typing', payload: orderRefSchema, ack: chatAcks.typing }),
};

interface ServerEvent<P extends z.ZodTypeAny> {
  summary: string;
  payload: P;
}
const serverEvent = <P extends z.ZodTypeAny>(e: ServerEvent<P>) => e;

export const SERVER_EVENTS = {
  message: serverEvent({ summary: "A new message; a party's copy carries that party's unread numbers", payload: messagePushSchema }),
  read: serverEvent({ summary: 'A party has read everything up to msgid', payload: readEventSchema }),
  unread: serverEvent({ summary: "The user's unread numbers changed (a read on another device, unreadchat)", payload: unreadEventSchema }),
  order: serverEvent({ summary: "An order's status changed", payload: orderTimesSchema }),
  call: serverEvent({ summary: "A call's status changed", payload: callEventSchema }),
  typing: serverEvent({ summary: 'Someone in the room is typing', payload: typingEventSchema }),
  auth_expired: serverEvent({ summary: "The socket's token expired; the server disconnects it next (reconnect with a fresh token)", payload: authExpiredSchema }),
};

/** A failed ack: `{code, msg}` with a code of docs/errors.md. */
export const ackFailureSchema = restError();
export const ackSchemaOf = (event: ClientEventName) => restOk(CLIENT_EVENTS[event].ack);

export type ClientEventName = keyof typeof CLIENT_EVENTS;
export type ServerEventName = keyof typeof SERVER_EVENTS;
type Ack<E extends ClientEventName> = z.infer<ReturnType<typeof restOk<(typeof CLIENT_EVENTS)[E]['ack']>>> | z.infer<typeof ackFailureSchema>;

/** What a client emits: the payload as sent (before the server's parsing) and the ack it gets back. */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: z.input<(typeof CLIENT_EVENTS)[E]['payload']>, ack: (answer: Ack<E>) => void) => void;
};

/** What the server pushes. */
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof SERVER_EVENTS)[E]['payload']>;
