// Services never import socket.io: they push through this interface. The web process
// implements it over its Socket.IO server (and, with Redis, a server-side event to the other
// nodes); the clock process over @socket.io/redis-emitter; tests may record pushes.
import type { ServerEventName, ServerPayload } from './events';

export const rooms = {
  order: (o_id: string) => `order:${o_id}`,
  /**
   * Staff who joined the order (with `order:<o_id>`, on `join`): a message reaches them with the
   * admin text. The parties need no such room: their user rooms hold all their sockets.
   */
  orderStaff: (o_id: string) => `order:${o_id}:admin`,
  user: (userID: string) => `user:${userID}`,
  staff: 'staff',
} as const;

/** Everyone concerned with an order: its room and both parties' devices (e.g. for `order`, `call`, `read`). */
export function orderAudience(o: { o_id: string; userID: string; expert_id: string }): string[] {
  return [rooms.order(o.o_id), rooms.user(o.userID), rooms.user(o.expert_id)];
}

/**
 * One push: `event` to every socket in any of `to` (a socket in several gets it once), leaving
 * out every socket in any of `except` (a socket's id is a room of that socket alone).
 */
export type Delivery = {
  [E in ServerEventName]: { to: readonly string[]; event: E; payload: ServerPayload<E>; except?: readonly string[] };
}[ServerEventName];

/** The server-side event that carries pushes between the processes of a fleet. */
export const PUSH_EVENT = 'push';

export interface Push {
  /** Delivers each push on every node, in order; the pushes of one call cross between nodes together. */
  send(deliveries: readonly Delivery[]): void;
}

/** Used until a realtime transport is attached (and by processes with none). */
export const noPush: Push = { send() {} };
