// Builds the whole app from its dependencies, so `npm start` and the tests build it the
// same way: tests pass a config (and may pass a store) and listen on port 0.
import Router from '@koa/router';
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminOrdersRoutes } from './admin/orders.admin.routes';
import { authenticate, requireStaff } from './auth/middleware';
import { commentsRoutes } from './comments/comments.routes';
import type { Config } from './config';
import { createRedis, type Redis } from './db/redis';
import { createStore, type Store } from './db/store';
import { healthRoute } from './http/health';
import { adminEnvelope, jsonBody, requestLog, restEnvelope } from './http/middleware';
import { createLogger, type Logger } from './log/logger';
import { ordersRoutes } from './orders/orders.routes';
import { OrdersService } from './orders/orders.service';
import { topicsRoutes } from './topics/topics.routes';
import { usersRoutes } from './users/users.routes';
import { WalletService } from './wallet/wallet.service';
import { walletRoutes } from './wallet/wallet.routes';

export interface AppDeps {
  config: Config;
  store?: Store;
  log?: Logger;
  now?: () => Date;
}

/** Shutdown steps run in registration order: stop accepting first, close stores last. */
type Closer = () => Promise<void> | void;

export interface App {
  config: Config;
  store: Store;
  log: Logger;
  /** the command connection to Redis when REDIS_URL is set (locks, health) */
  redis?: Redis;
  services: { orders: OrdersService; wallet: WalletService };
  koa: Koa;
  server: http.Server;
  /** Listens on `port` (default config.PORT) and resolves to the base URL. */
  listen(port?: number): Promise<string>;
  /** Stops accepting, finishes in-flight work, closes the store. */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const log = deps.log ?? createLogger(config.LOG_LEVEL);
  const store = deps.store ?? (await createStore({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR }));
  const now = deps.now ?? (() => new Date());
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, log, 'command') : undefined;
  const closers: Closer[] = [];

  const orders = new OrdersService(store, log, now);
  const wallet = new WalletService(store, orders, now);
  // Settlement hangs off the one place orders change: whoever finishes the order, money moves once.
  orders.onEvent(async (e) => {
    if (e.statusChanged && e.order.status === 'finished') await wallet.settle(e.order);
  });

  const koa = new Koa({ proxy: true });
  koa.use(requestLog(log));

  const rest = new Router();
  rest.use(restEnvelope(), jsonBody(), authenticate(config.AUTH_SECRET));
  usersRoutes(rest, store.users);
  topicsRoutes(rest, store.topics);
  commentsRoutes(rest, store);
  walletRoutes(rest, wallet);
  ordersRoutes(rest, orders, store);

  const admin = new Router({ prefix: '/v1/admin' });
  admin.use(adminEnvelope(), jsonBody(), authenticate(config.AUTH_SECRET), requireStaff);
  adminOrdersRoutes(admin, orders, store);

  const root = new Router();
  healthRoute(root, store, redis);

  koa.use(root.routes());
  koa.use(admin.routes());
  koa.use(rest.routes());
  // Anything else under /rest answers in the REST envelope.
  koa.use(async (ctx) => {
    const base = ctx.path.startsWith('/v1/admin') ? { error: { code: 'not_found', message: `path: no such endpoint ${ctx.method} ${ctx.path}` } } : { code: 904, msg: `path: no such endpoint ${ctx.method} ${ctx.path}` };
    ctx.status = 404;
    ctx.body = base;
  });

  const server = http.createServer(koa.callback());

  let closed = false;
  return {
    config,
    store,
    log,
    redis,
    services: { orders, wallet },
    koa,
    server,
    listen(port = config.PORT) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const { port: p } = server.address() as AddressInfo;
          resolve(`http://127.0.0.1:${p}`);
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Stop accepting; in-flight requests finish, idle keep-alive sockets are closed.
      const stopped = new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections?.();
      });
      for (const c of closers) await c();
      await stopped;
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await store.close();
    },
  };
}
