// Push for processes without a Socket.IO server (the clock process): the pushes go through
// Redis as the server-side event every web node delivers to its own sockets
// (realtime/socket-server.ts). The emitter's key ("socket.io") is the adapter's default on
// both sides, so they match.
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from '../db/redis';
import { PUSH_EVENT, type Push } from './push';

export function emitterPush(redis: Redis): Push {
  const emitter = new Emitter(redis);
  return {
    send(deliveries) {
      emitter.serverSideEmit(PUSH_EVENT, deliveries);
    },
  };
}
