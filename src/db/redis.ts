// Redis clients (ioredis). Redis may vanish, stall or restart at any moment, and none of
// that may end a process: every client logs its `error` events (an unhandled `error` event
// kills Node), and the commands Socket.IO's adapter and emitter send without awaiting them
// have their failures caught here (an unhandled rejection kills Node too). `rediss://` URLs
// on Heroku use self-signed certificates, so TLS verification of the peer is relaxed there.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/logger';

export type { Redis };

/**
 * What a client is for, which decides how its commands wait while Redis is away:
 * - `command`: awaited commands (locks, health, limits). They wait for a few reconnects
 *   or COMMAND_TIMEOUT_MS, then reject, so a caller never hangs on a dead Redis.
 * - `publisher`: Socket.IO's publishes. Same bound; nobody awaits them, and a publish lost
 *   while Redis is away is caught up by clients with `history` `after`.
 * - `subscriber`: Socket.IO's subscriptions. They wait for Redis however long it takes (a
 *   node started while Redis is away subscribes once it appears); ioredis subscribes again
 *   after each reconnect, so cross-node fan-out resumes by itself.
 */
type RedisRole = 'command' | 'publisher' | 'subscriber';

/** An awaited command that Redis has not answered in this long fails instead of hanging its caller. */
const COMMAND_TIMEOUT_MS = 5_000;
/** Reconnect attempts back off to at most this long, so a restarted Redis is found again soon. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** The commands Socket.IO's adapter and emitter, and ioredis's own resubscribe, send without awaiting. */
const UNAWAITED = ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const;

export function createRedis(url: string, log: Logger, name: string, role: RedisRole = 'command'): Redis {
  const tls = url.startsWith('rediss://') ? { tls: { rejectUnauthorized: false } } : {};
  const options: RedisOptions = {
    ...tls,
    connectionName: name,
    lazyConnect: false,
    maxRetriesPerRequest: role === 'subscriber' ? null : 3,
    retryStrategy: (attempt) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
    ...(role === 'command' ? { commandTimeout: COMMAND_TIMEOUT_MS } : {}),
  };
  const client = new Redis(url, options);
  const warn = oncePerSecond((err: Error) => log.warn({ err: err.message, redis: name }, 'redis error'));
  client.on('error', warn);
  catchUnawaited(client, warn);
  return client;
}

/**
 * Wraps each UNAWAITED command so its promise has a rejection handler: a caller that awaits
 * it still sees the error; one that drops it (the adapter's publish) does not crash the
 * process. Only public command methods are wrapped.
 */
function catchUnawaited(client: Redis, onError: (err: Error) => void) {
  const commands = client as unknown as Record<(typeof UNAWAITED)[number], (...args: unknown[]) => Promise<unknown>>;
  for (const command of UNAWAITED) {
    const send = commands[command].bind(client);
    commands[command] = (...args) => {
      const reply = send(...args);
      reply.catch(onError);
      return reply;
    };
  }
}

/** Reconnects and dropped commands can fail many times a second: one log line a second is enough. */
function oncePerSecond(log: (err: Error) => void): (err: Error) => void {
  let lastLogged = 0;
  return (err) => {
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    log(err);
  };
}

/** States of a client that lost its connection (not one still making its first). */
const LOST = new Set(['reconnecting', 'close', 'end']);

/** A reason to report at once when a client has lost its connection; undefined otherwise (ask it). */
export function redisUnavailable(client: Redis): string | undefined {
  return LOST.has(client.status) ? `not connected (${client.status})` : undefined;
}

/**
 * Closes a client for shutdown: QUIT when connected (replies already owed are read first),
 * else at once; a QUIT Redis does not answer in time becomes a disconnect too, so a dead
 * Redis never holds up a shutdown. Queued commands fail, and their failures are caught.
 */
export async function closeRedis(client: Redis, timeoutMs = 1_000): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([client.quit().catch(() => undefined), timedOut]);
  clearTimeout(timer);
  client.disconnect();
}
