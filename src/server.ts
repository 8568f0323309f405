// The web process: REST + Socket.IO (+ jobs when RUN_JOBS).
import 'dotenv/config';
import { createApp } from './app';
import { loadConfigOrExit } from './config';
import { createLogger } from './log/logger';
import { handleShutdown, logUnhandledRejections } from './shutdown';

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL, 'web');
logUnhandledRejections(log);
if (config.usingDevSecret) log.warn('AUTH_SECRET is not set: using the development secret; never do this in production');

const app = await createApp({ config, log });
const url = await app.listen(config.PORT);
log.info({ url, engine: app.store.engine }, 'listening');

handleShutdown(log, () => app.close(), { forceClose: () => app.server.closeAllConnections() });
