// A fleet of real processes for the fault tests (test/faults/): a private redis-server, web
// nodes (`src/server.ts`) and clocks (`src/clock.ts`), all over one store: a SQLite DATA_DIR
// in a temp folder, or, with TEST_STORE=mongodb (as `npm run test:mongodb` runs them), a MongoDB database of their own. The
// fleet remembers which processes a test killed on purpose, so it can tell every other exit,
// and every unhandled rejection a process logged, as a fault that was not contained.
import type { TestFn } from 'ava';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRedis } from '../../src/db/redis';
import { createStore } from '../../src/db/store';
import { checkInvariants } from '../../src/invariants/invariants';
import { createLogger } from '../../src/log/logger';
import { storeEnv, TEST_ENGINE, TEST_SECRET } from './app';
import { freePort, startRedisServer, type RedisServer } from './redis-server';
import { spawnEntry, type Child } from './spawn';

export interface WebNode {
  name: string;
  url: string;
  child: Child;
}

export interface Fleet {
  redis: RedisServer;
  /** which store the fleet shares, for test titles and logs */
  storeLabel: string;
  webs: WebNode[];
  clocks: Child[];
  startWeb(name: string, env?: Record<string, string>): Promise<WebNode>;
  startClock(name: string, env?: Record<string, string>): Promise<Child>;
  /** SIGKILLs a process of the fleet and waits for it to be gone; it is not counted as a fault. */
  kill(child: Child): Promise<void>;
  /** Marks a process the test stops itself (SIGTERM), so its exit is not counted as a fault. */
  expectExit(child: Child): void;
  /** Resolves once `n` web nodes' Socket.IO adapters are subscribed in Redis. */
  adaptersSubscribed(n: number, guardMs?: number): Promise<void>;
  /** Every sign of an uncontained fault: a process that exited unasked, an unhandled rejection, a fatal line. */
  faults(): string[];
  /** What `npm run check-invariants` finds wrong in the shared store, a line each. */
  invariantViolations(): Promise<string[]>;
  close(): Promise<void>;
}

const hasExited = (c: Child) => c.proc.exitCode !== null || c.proc.signalCode !== null;

/**
 * Node itself with tsx's loader, one process: a signal reaches the server, not a wrapper
 * (a SIGKILLed `tsx` wrapper would leave its server running).
 */
const nodeRunning = (entry: string) => ({ command: [process.execPath, '--import', 'tsx', entry] });

/** The store every process of a fleet shares (the engine under test, as startApp's), and how to remove it afterwards. */
async function sharedStore(): Promise<{ env: Record<string, string>; label: string; remove(): Promise<void> }> {
  if (TEST_ENGINE === 'mongodb') {
    const { env, drop } = await storeEnv();
    return { env: { MONGODB_URI: env.MONGODB_URI }, label: 'mongodb', remove: drop };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fleet-'));
  return { env: { DATA_DIR: dir }, label: 'sqlite', remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

export async function startFleet(env: Record<string, string> = {}): Promise<Fleet> {
  const redis = await startRedisServer();
  const store = await sharedStore();
  const base = {
    AUTH_SECRET: TEST_SECRET,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'info',
    RUN_JOBS: 'false',
    // The fault tests send fast on purpose; the limits are tested elsewhere.
    CHAT_RATE_PER_S: '1000',
    ...Object.fromEntries(['ORDER_CREATE', 'PAY', 'COMMENT', 'CALL', 'WRITE', 'READ', 'ANON', 'WEBHOOK'].map((c) => [`RATE_LIMIT_${c}`, '100000'])),
    ...store.env,
    ...env,
  };
  const webs: WebNode[] = [];
  const clocks: Child[] = [];
  const everyone: Child[] = [];
  const expected = new Set<Child>();

  const fleet: Fleet = {
    redis,
    storeLabel: store.label,
    webs,
    clocks,
    async startWeb(name, extra = {}) {
      const port = await freePort();
      const child = spawnEntry('src/server.ts', { ...base, PORT: String(port), ...extra }, nodeRunning('src/server.ts'));
      everyone.push(child);
      await child.waitForLog((l) => l.msg === 'listening', 60_000);
      const node = { name, url: `http://127.0.0.1:${port}`, child };
      webs.push(node);
      return node;
    },
    async startClock(_name, extra = {}) {
      const child = spawnEntry('src/clock.ts', { ...base, ...extra }, nodeRunning('src/clock.ts'));
      everyone.push(child);
      await child.waitForLog((l) => l.msg === 'clock running', 60_000);
      clocks.push(child);
      return child;
    },
    async kill(child) {
      expected.add(child);
      if (!hasExited(child)) child.proc.kill('SIGKILL');
      await child.exited;
    },
    expectExit(child) {
      expected.add(child);
    },
    async adaptersSubscribed(n, guardMs = 20_000) {
      const client = createRedis(redis.url, createLogger('silent'), 'test-probe');
      try {
        await until(
          async () => {
            // Each adapter subscribes its request channel right after its event pattern.
            const [, subscribers] = (await client.pubsub('NUMSUB', 'socket.io-request#/#')) as [string, number];
            return Number(subscribers) >= n;
          },
          guardMs,
          `${n} Socket.IO adapters subscribed in Redis`,
        );
      } finally {
        client.disconnect();
      }
    },
    faults() {
      const found: string[] = [];
      for (const c of everyone) {
        const name = c.proc.spawnargs.at(-1);
        if (!expected.has(c) && hasExited(c)) found.push(`${name} (pid ${c.proc.pid}) exited: code ${c.proc.exitCode}, signal ${c.proc.signalCode}\n${c.output().slice(-3000)}`);
        const uncontained = c.lines.filter((l) => l.msg === 'unhandled rejection' || l.level >= 60);
        if (uncontained.length) found.push(`${name} (pid ${c.proc.pid}) logged ${uncontained.length} like: ${JSON.stringify(uncontained[0]).slice(0, 600)}`);
      }
      return found;
    },
    async invariantViolations() {
      const shared = await createStore({ dataDir: store.env.DATA_DIR ?? ':memory:', mongodbUri: store.env.MONGODB_URI });
      try {
        return (await checkInvariants(shared)).violations.map((v) => `${v.check}: ${v.subject}: ${v.message}`);
      } finally {
        await shared.close();
      }
    },
    async close() {
      for (const c of everyone) if (!hasExited(c)) c.proc.kill('SIGKILL');
      await Promise.all(everyone.map((c) => c.exited));
      await redis.stop();
      await store.remove();
    },
  };
  return fleet;
}

/** Polls `cond` until it holds; rejects naming `what` when it has not after guardMs (a failure guard). */
export async function until(cond: () => boolean | Promise<boolean>, guardMs: number, what: string, everyMs = 25): Promise<void> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // not yet: a request to a node that is down, say
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${guardMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Registers the file's teardown: whatever happened, everything passed to the returned
 * function is closed after the file's tests, the last added first (sockets, then the fleet).
 */
export function closeAfter(test: TestFn): <T extends { close(): unknown }>(thing: T) => T {
  const things: { close(): unknown }[] = [];
  test.after.always(async () => {
    for (const thing of things.reverse()) await thing.close();
  });
  return (thing) => (things.push(thing), thing);
}
