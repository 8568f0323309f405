// SIGTERM/SIGINT handling shared by the web and clock processes. Heroku sends SIGTERM and
// kills the process 30 s later; we aim to be gone well inside 10 s: the app's close() stops
// accepting, drops sockets (clients reconnect to another node), lets in-flight requests and
// the current sweep finish, then closes Redis and the store. If that hangs, we cut the
// remaining connections and exit non-zero, so the platform never has to SIGKILL us.
import type { Logger } from './log/logger';

interface ShutdownOptions {
  /** ms before remaining connections are cut (in-flight requests had that long) */
  graceMs?: number;
  /** ms before the process exits whatever happens */
  deadlineMs?: number;
  /** cuts whatever is still open when the grace period ends */
  forceClose?: () => void;
}

export function handleShutdown(log: Logger, close: () => Promise<void>, opts: ShutdownOptions = {}) {
  const { graceMs = 7_000, deadlineMs = 9_000 } = opts;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const grace = setTimeout(() => {
      log.warn('shutdown: grace period over; closing the remaining connections');
      opts.forceClose?.();
    }, graceMs);
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, deadlineMs);
    grace.unref();
    deadline.unref();
    try {
      await close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The last line against a rejected promise nobody handled, which Node answers by exiting
 * (and with the process go every socket it serves). The known causes are handled where they
 * arise (src/db/redis.ts); this logs any other one loudly, and the process keeps serving.
 */
export function logUnhandledRejections(log: Logger) {
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
}
