// The web process: REST + Socket.IO (+ jobs when RUN_JOBS).
import 'dotenv/config';
import { createApp } from './app';
import { loadConfigOrExit } from './config';
import { createLogger } from './log/logger';

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL, 'web');
if (config.usingDevSecret) log.warn('AUTH_SECRET is not set: using the development secret; never do this in production');

const app = await createApp({ config, log });
const url = await app.listen(config.PORT);
log.info({ url, engine: app.store.engine }, 'listening');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  try {
    await app.close();
    log.info('stopped');
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
