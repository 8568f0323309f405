// Services never import socket.io: they push through this interface. The web process
// implements it over its Socket.IO server (and the Redis adapter when configured); the
// clock process over @socket.io/redis-emitter; tests may record pushes.
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

export interface Push {
  /**
   * Emits `event` to every socket in any of `targetRooms` (a socket in several gets it once),
   * leaving out every socket in any of `exceptRooms` (a socket's id is a room of that socket alone).
   */
  emit<E extends ServerEventName>(targetRooms: readonly string[], event: E, payload: ServerPayload<E>, exceptRooms?: readonly string[]): void;
}

/** Used until a realtime transport is attached (and by processes with none). */
export const noPush: Push = { emit() {} };
