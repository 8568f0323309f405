// Services never import socket.io: they push through this interface. The web process
// implements it over its Socket.IO server (and the Redis adapter when configured); the
// clock process over @socket.io/redis-emitter; tests may record pushes.
export const rooms = {
  order: (o_id: string) => `order:${o_id}`,
  user: (userID: string) => `user:${userID}`,
  staff: 'staff',
} as const;

export interface Push {
  /** Emits `event` to every socket in any of `rooms` (a socket in several gets it once). */
  emit(targetRooms: string[], event: string, payload: unknown): void;
}

/** Used until a realtime transport is attached (and by processes with none). */
export const noPush: Push = { emit() {} };
