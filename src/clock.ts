// The clock process: the job sweeps only, no HTTP. Pushes (an expired order's `order` and
// `message` events) reach the web nodes' sockets through @socket.io/redis-emitter; it builds
// the same services as the web process, so every listener (system messages, settlement,
// refunds) runs the same way whoever moves an order.
import 'dotenv/config';
import { createApp } from './app';
import { loadConfigOrExit } from './config';
import { closeRedis, createRedis } from './db/redis';
import { createLogger } from './log/logger';
import { emitterPush } from './realtime/emitter-push';
import { noPush } from './realtime/push';
import { handleShutdown, logUnhandledRejections } from './shutdown';

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL, 'clock');
logUnhandledRejections(log);
const emitterRedis = config.REDIS_URL ? createRedis(config.REDIS_URL, log, 'emitter', 'publisher') : undefined;
if (!emitterRedis) log.warn('REDIS_URL is not set: the clock has no way to reach sockets, so its pushes go nowhere');

// RUN_JOBS is for web processes (Heroku shares config vars between process types): the clock always runs them.
const app = await createApp({ config: { ...config, RUN_JOBS: true }, log, push: emitterRedis ? emitterPush(emitterRedis) : noPush });
log.info({ schedule: config.CRON_SCHEDULE, engine: app.store.engine, redis: !!emitterRedis }, 'clock running');

handleShutdown(log, async () => {
  await app.close();
  if (emitterRedis) await closeRedis(emitterRedis);
});
