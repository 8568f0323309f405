// A Redis lock that keeps two nodes from sweeping at once: SET key token NX PX ttl. Only the
// holder releases it (compare-and-delete in Lua), and the holder extends it while its sweep
// runs, so a slow sweep is not joined halfway by another node. Losing the lock is harmless:
// every sweep step is a conditional transition; the lock only saves duplicate work. While
// Redis is away the lock cannot be taken, and nothing runs: a node never sweeps unlocked
// when a lock is configured, so two nodes never sweep at once.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../db/redis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

type LockResult<T> = { ran: true; value: T } | { ran: false };

/** Redis did not answer the attempt to take the lock: fn did not run. */
export class LockUnavailableError extends Error {
  constructor(key: string, cause: unknown) {
    super(`lock ${key}: Redis did not answer (${(cause as Error)?.message ?? cause})`, { cause });
  }
}

/** Runs fn while holding `key`; resolves `{ran: false}` at once when another holder has it. */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, fn: () => Promise<T>): Promise<LockResult<T>> {
  const token = randomUUID();
  let got: string | null;
  try {
    got = await redis.set(key, token, 'PX', ttlMs, 'NX');
  } catch (err) {
    throw new LockUnavailableError(key, err);
  }
  if (got !== 'OK') return { ran: false };
  const keepAlive = setInterval(() => {
    redis.eval(EXTEND, 1, key, token, String(ttlMs)).catch(() => undefined);
  }, Math.max(10, Math.floor(ttlMs / 3)));
  keepAlive.unref();
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(keepAlive);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
