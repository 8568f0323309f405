// Builds the whole app from its dependencies, so `npm start` and the tests build it the
// same way: tests pass a config (and may pass a store) and listen on port 0.
import Router from '@koa/router';
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminChatRoutes } from './admin/chat.admin.routes';
import { AdminOrdersService } from './admin/admin-orders.service';
import { adminOrdersRoutes } from './admin/orders.admin.routes';
import { apiDocsRoutes } from './api/docs.routes';
import { authenticate, requireStaff } from './auth/middleware';
import { chatRoutes } from './chat/chat.routes';
import { ChatService } from './chat/chat.service';
import { chatSockets } from './chat/chat.sockets';
import { systemMessagesListener } from './chat/system-messages.listener';
import { SystemMessagesService } from './chat/system-messages.service';
import { commentsRoutes } from './comments/comments.routes';
import { CommentsService } from './comments/comments.service';
import { testProvidersInUse, type Config } from './config';
import { closeRedis, createRedis, redisUnavailable, type Redis } from './db/redis';
import { createStore, type Store } from './db/store';
import { corsMiddleware, originCheck } from './http/cors';
import { healthRoute } from './http/health';
import { jsonBody } from './http/body';
import { adminEnvelope, logKoaError, requestLog, restEnvelope } from './http/middleware';
import { createRateLimiters, rateLimit } from './http/rate-limit';
import { createHttpServer } from './http/server';
import { routeByPrefix } from './http/route-by-prefix';
import { createLogger, type Logger } from './log/logger';
import { consoleRoutes, defaultConsoleDir } from './console/console.routes';
import { createMetrics, meteredPush } from './metrics/metrics';
import { httpMetrics, metricsRoute } from './metrics/metrics.routes';
import { orderPushListener } from './orders/order-push.listener';
import { ordersRoutes } from './orders/orders.routes';
import { OrdersService } from './orders/orders.service';
import type { Push } from './realtime/push';
import { createSocketServer } from './realtime/socket-server';
import { callWebhookRoutes } from './calls/call-webhook.routes';
import { callsRoutes } from './calls/calls.routes';
import { CallsService } from './calls/calls.service';
import { createCallProvider, hangupCdrUrl } from './calls/create-provider';
import { createJobs, type Jobs } from './jobs/scheduler';
import { createPaymentProvider } from './payments/create-provider';
import { paymentClosingListener, refundsListener } from './payments/payments.listener';
import { paymentsRoutes } from './payments/payments.routes';
import { PaymentsService } from './payments/payments.service';
import { pingppWebhookRoutes } from './payments/pingpp-webhook.routes';
import { topicsRoutes } from './topics/topics.routes';
import { TopicsService } from './topics/topics.service';
import { usersRoutes } from './users/users.routes';
import { UsersService } from './users/users.service';
import { settlementListener } from './wallet/settlement.listener';
import { WalletService } from './wallet/wallet.service';
import { walletRoutes } from './wallet/wallet.routes';

export interface AppDeps {
  config: Config;
  store?: Store;
  log?: Logger;
  now?: () => Date;
  /**
   * A process without a Socket.IO server (the clock) pushes through this instead (the Redis
   * emitter); no Socket.IO server is created then.
   */
  push?: Push;
  /** the built console's files (default: dist/console) */
  consoleDir?: string;
}

/** Shutdown steps run in registration order: stop accepting first, close stores last. */
type Closer = () => Promise<void> | void;

export interface App {
  config: Config;
  store: Store;
  log: Logger;
  /** the command connection to Redis when REDIS_URL is set (locks, health) */
  redis?: Redis;
  services: { orders: OrdersService; wallet: WalletService; chat: ChatService; systemMessages: SystemMessagesService; payments: PaymentsService; calls: CallsService };
  /** the job sweeps; scheduled on CRON_SCHEDULE when RUN_JOBS, runnable by hand (tests) */
  jobs: Jobs;
  /** pushes to Socket.IO rooms on every node (see src/realtime/push.ts for room names) */
  push: Push;
  koa: Koa;
  /** the routers, whose routes the route table (src/api/routes.ts) documents */
  routers: Router[];
  server: http.Server;
  /** Listens on `port` (default config.PORT) and resolves to the base URL. */
  listen(port?: number): Promise<string>;
  /** Stops accepting, finishes in-flight work, closes the store. */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const log = deps.log ?? createLogger(config.LOG_LEVEL);
  const store = deps.store ?? (await createStore({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR, log }));
  const now = deps.now ?? (() => new Date());
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, log, 'command') : undefined;
  const closers: Closer[] = [];

  const orders = new OrdersService(store, log, now);
  // Socket.IO exists before the HTTP server (services need its Push) and is attached below.
  const realtime = deps.push ? undefined : createSocketServer(config, log);
  const metrics = createMetrics({ store, redis, sockets: realtime && (() => realtime.io.engine.clientsCount) });
  const push = meteredPush(deps.push ?? realtime!.push, metrics);
  const systemMessages = new SystemMessagesService(store.systemMessages, now);
  await systemMessages.ensureDefaults();
  const chat = new ChatService(store.chat, orders, systemMessages, push, now);
  const wallet = new WalletService(store, orders, now);
  const payments = new PaymentsService(store, orders, createPaymentProvider(config, store), log, now);
  // What follows an order event, each at its LISTENER_PRIORITY (src/orders/order.events.ts).
  orders.use(systemMessagesListener(chat));
  orders.use(orderPushListener(push));
  orders.use(settlementListener(wallet));
  orders.use(refundsListener(payments));
  orders.use(paymentClosingListener(payments));
  const testProviders = testProvidersInUse(config);
  if (testProviders.length) log.warn({ testProviders }, `test providers are running (${testProviders.join(', ')}): never in front of real users`);
  const callProvider = createCallProvider(config);
  if (callProvider.name === 'cloopen' && !hangupCdrUrl(config)) log.warn('PUBLIC_URL or CALL_WEBHOOK_TOKEN is not set: Cloopen cannot report how calls end');
  const calls = new CallsService(store, orders, callProvider, push, log, { hangupCdrUrl: hangupCdrUrl(config) }, now);
  callProvider.onStatus?.((u) => {
    calls.applyStatus(u).catch((err) => log.error({ err, callSid: u.callSid }, 'call: status update failed'));
  });
  const jobs = createJobs({ config, store, orders, wallet, payments, log, now }, redis, undefined, metrics.sweep);

  // X-Forwarded-For/-Proto are believed only behind a proxy that sets them (TRUST_PROXY).
  const koa = new Koa({ proxy: config.TRUST_PROXY });
  koa.on('error', logKoaError(log));
  koa.use(requestLog(log));
  koa.use(httpMetrics(metrics));
  koa.use(corsMiddleware(originCheck(config)));

  // Rate limits come before the body is read: a refused request costs no parsing.
  const limit = rateLimit(createRateLimiters(config, redis), log);
  const rest = new Router();
  // Routes read their body (jsonBody) after their own auth check: no token, no body read.
  rest.use(restEnvelope(), authenticate(config.AUTH_SECRET), limit);
  const topics = new TopicsService(store, now);
  usersRoutes(rest, new UsersService(store, now));
  topicsRoutes(rest, topics);
  commentsRoutes(rest, new CommentsService(store, topics));
  walletRoutes(rest, wallet);
  chatRoutes(rest, chat, { unreadChatOrdersMax: config.UNREAD_CHAT_ORDERS_MAX }); // before ordersRoutes: /rest/order/:o_id would take /rest/order/unreadnum
  ordersRoutes(rest, orders);
  paymentsRoutes(rest, payments);
  pingppWebhookRoutes(rest, payments, config.PINGPP_PUBLIC_KEY);
  callsRoutes(rest, calls);
  callWebhookRoutes(rest, calls, config.CALL_WEBHOOK_TOKEN);

  const admin = new Router({ prefix: '/v1/admin' });
  admin.use(adminEnvelope(), authenticate(config.AUTH_SECRET), limit, requireStaff, jsonBody);
  adminOrdersRoutes(admin, orders, new AdminOrdersService(store));
  adminChatRoutes(admin, chat, systemMessages);

  const root = new Router();
  healthRoute(root, store, {
    redis: redis && { ping: () => redis.ping(), unavailable: () => redisUnavailable(redis) },
    fanout: realtime?.fanout,
  });
  metricsRoute(root, metrics, { production: config.production, token: config.METRICS_TOKEN });
  consoleRoutes(root, deps.consoleDir ?? defaultConsoleDir());
  apiDocsRoutes(root); // /openapi.json, /asyncapi.json, /docs

  koa.use(routeByPrefix({ '/rest': rest.routes(), '/v1/admin': admin.routes() }, root.routes()));
  // Anything else under /rest answers in the REST envelope.
  koa.use(async (ctx) => {
    const base = ctx.path.startsWith('/v1/admin') ? { error: { code: 'not_found', message: `path: no such endpoint ${ctx.method} ${ctx.path}` } } : { code: 904, msg: `path: no such endpoint ${ctx.method} ${ctx.path}` };
    ctx.status = 404;
    ctx.body = base;
  });

  const server = createHttpServer(config, koa.callback());
  // Responses in progress when close() starts are sent with `Connection: close`, so each
  // keep-alive connection ends with its last response instead of idling until
  // keepAliveTimeout and holding up the shutdown.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  server.on('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  if (realtime) {
    chatSockets(realtime.io, { chat, log, ratePerS: config.CHAT_RATE_PER_S, onAck: metrics.socketAck });
    realtime.attach(server);
    closers.push(() => realtime.close());
  }
  if (config.RUN_JOBS) jobs.start(config.CRON_SCHEDULE);
  // After the sockets: the last sweep finishes before the store closes; no call timer fires after.
  closers.push(() => jobs.stop());
  closers.push(() => payments.owed.drain());
  closers.push(() => callProvider.close?.());

  let closed = false;
  return {
    config,
    store,
    log,
    redis,
    services: { orders, wallet, chat, systemMessages, payments, calls },
    jobs,
    push,
    koa,
    routers: [rest, admin, root],
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
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      // Stop accepting; in-flight requests finish, idle keep-alive sockets are closed.
      const stopped = new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections?.();
      });
      for (const c of closers) await c();
      await stopped;
      if (redis) await closeRedis(redis);
      await store.close();
    },
  };
}
