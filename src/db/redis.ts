// Redis clients (ioredis). Every client gets an `error` listener: an unhandled `error`
// event would kill the process on a Redis blip. `rediss://` URLs on Heroku use
// self-signed certificates, so TLS verification of the peer is relaxed there.
import { Redis } from 'ioredis';
import type { Logger } from '../log/logger';

export type { Redis };

export function createRedis(url: string, log: Logger, name: string): Redis {
  const tls = url.startsWith('rediss://') ? { tls: { rejectUnauthorized: false } } : {};
  const client = new Redis(url, { ...tls, connectionName: name, maxRetriesPerRequest: 3, lazyConnect: false });
  let lastLogged = 0;
  client.on('error', (err) => {
    // Reconnects can fire many errors a second; log at most one a second.
    const now = Date.now();
    if (now - lastLogged > 1000) {
      lastLogged = now;
      log.warn({ err: err.message, redis: name }, 'redis error');
    }
  });
  return client;
}
