// Push for processes without a Socket.IO server (the clock process): events go through
// Redis to every web node's adapter, which delivers them to its sockets. The emitter's key
// ("socket.io") and parser are the adapter's defaults on both sides, so they match.
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from '../db/redis';
import type { Push } from './push';

export function emitterPush(redis: Redis): Push {
  const emitter = new Emitter(redis);
  return {
    emit(targetRooms, event, payload, exceptRooms) {
      // to() and except() copy the rooms into sets of their own, as Socket.IO's do.
      const to = emitter.to(targetRooms as string[]);
      (exceptRooms?.length ? to.except(exceptRooms as string[]) : to).emit(event, payload);
    },
  };
}
