// Prometheus metrics (prom-client) of one app: HTTP durations, sockets, chat acks, pushes,
// sweeps, store and Redis health, plus the process's own (event-loop lag, memory, CPU, GC).
// The hot paths (every request, every chat message) only look up a cached child and add to
// it; anything that needs asking (sockets, health) is read when /metrics is scraped.
import client, { type Counter, type Histogram } from 'prom-client';
import { withTimeout, type Pingable } from '../http/health';
import type { Push } from '../realtime/push';

interface MetricsSources {
  store: Pingable;
  redis?: Pingable;
  /** connected Socket.IO clients of this process (undefined in a process without sockets) */
  sockets?: () => number;
}

/** What app code reports. Each call costs a Map lookup and an addition. */
export interface Metrics {
  /** one finished HTTP request: its route template (or a fixed name), status and duration */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** one acknowledged socket event and its contract code */
  socketAck(event: string, code: number): void;
  /** one push of `event` to a set of rooms */
  push(event: string): void;
  /** one sweep: `ran` with its report (items per job), `skipped` (another node held the lock) or `failed` */
  sweep(outcome: 'ran' | 'skipped' | 'failed', report?: object): void;
  /** The exposition text, and its content type. */
  scrape(): Promise<{ contentType: string; text: string }>;
}

/** Health pings on a scrape wait this long at most. */
const PING_TIMEOUT_MS = 1000;

/**
 * The process's metrics exist once per process (a test process builds many apps); each app's
 * registry is scraped beside it.
 */
let processRegistry: client.Registry | undefined;
function processMetrics(): client.Registry {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

/** A child per label tuple, cached: prom-client hashes the labels object on every call otherwise. */
function cachedChildren<T>(make: (labels: string[]) => T) {
  const children = new Map<string, T>();
  return (...labels: string[]) => {
    const key = labels.join('\u0000');
    let child = children.get(key);
    if (!child) children.set(key, (child = make(labels)));
    return child;
  };
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new client.Registry();
  const own = processMetrics();

  const httpDuration: Histogram<string> = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const httpChild = cachedChildren((l) => httpDuration.labels(...l));

  const acks: Counter<string> = new client.Counter({
    name: 'chat_acks_total',
    help: 'Socket events acknowledged, by event and contract code (900 success)',
    labelNames: ['event', 'code'],
    registers: [registry],
  });
  const ackChild = cachedChildren((l) => acks.labels(...l));
  const messages = new client.Counter({ name: 'chat_messages_total', help: 'Chat messages stored and acknowledged', registers: [registry] });

  const pushes: Counter<string> = new client.Counter({ name: 'pushes_total', help: 'Pushes to Socket.IO rooms, by event', labelNames: ['event'], registers: [registry] });
  const pushChild = cachedChildren((l) => pushes.labels(...l));

  const sweeps = new client.Counter({ name: 'sweep_runs_total', help: 'Job sweeps by outcome (ran, skipped: another node held the lock, failed)', labelNames: ['outcome'], registers: [registry] });
  const sweepItems = new client.Counter({ name: 'sweep_items_total', help: 'Items the sweeps handled, by job', labelNames: ['job'], registers: [registry] });

  if (sources.sockets) {
    const count = sources.sockets;
    new client.Gauge({
      name: 'socketio_connected',
      help: 'Socket.IO clients connected to this process',
      registers: [registry],
      collect() {
        this.set(count());
      },
    });
  }
  const up = (name: string, help: string, target: Pingable) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(
          await withTimeout(target.ping(), PING_TIMEOUT_MS).then(
            () => 1,
            () => 0,
          ),
        );
      },
    });
  up('store_up', 'Whether the store answered a ping (1) or not (0)', sources.store);
  if (sources.redis) up('redis_up', 'Whether Redis answered a ping (1) or not (0)', sources.redis);

  return {
    httpRequest(method, route, status, seconds) {
      httpChild(method, route, String(status)).observe(seconds);
    },
    socketAck(event, code) {
      ackChild(event, String(code)).inc();
      if (event === 'message' && code === 900) messages.inc();
    },
    push(event) {
      pushChild(event).inc();
    },
    sweep(outcome, report) {
      sweeps.inc({ outcome });
      for (const [job, n] of Object.entries(report ?? {})) if (typeof n === 'number' && n > 0) sweepItems.inc({ job }, n);
    },
    async scrape() {
      const [a, b] = await Promise.all([own.metrics(), registry.metrics()]);
      return { contentType: registry.contentType, text: `${a}\n${b}` };
    },
  };
}

/** Counts each push by event on its way out. */
export function meteredPush(push: Push, metrics: Metrics): Push {
  return {
    send(deliveries) {
      for (const d of deliveries) metrics.push(d.event);
      push.send(deliveries);
    },
  };
}
