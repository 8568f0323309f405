// Starts the app exactly as `npm start` builds it, on port 0, with a private store.
//
// The store's engine follows TEST_STORE: unset, the embedded store (DATA_DIR); `mongodb`,
// a database of its own on MongoDB (the server mongoTarget in test/mongo-standin/standin.ts
// picks), so the same REST and socket tests run on either engine.
import type { TestFn } from 'ava';
import { createHash } from 'node:crypto';
import { createApp, type App } from '../../src/app';
import { signToken } from '../../src/auth/token';
import { parseConfig, type Config } from '../../src/config';
import { connectMongo } from '../../src/db/mongo';
import { createStore, type Store } from '../../src/db/store';
import { newId } from '../../src/ids';
import { mongoTarget, withDatabase, type MongoTarget } from '../mongo-standin/standin';
import { checkAnswer } from './conformance';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

export interface TestApp {
  app: App;
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** What `startApp` passes to `createApp` besides the config: a store, a clock, … */
export type AppExtra = Partial<Parameters<typeof createApp>[0]>;

export const TEST_ENGINE: 'sqlite' | 'mongodb' = process.env.TEST_STORE === 'mongodb' ? 'mongodb' : 'sqlite';

// One server per test process; a stand-in started here stops when the process exits.
let target: Promise<MongoTarget> | undefined;
const mongoBase = async () => (await (target ??= mongoTarget())).uri;

/**
 * The store settings for `env` on the engine under test: on MongoDB, a DATA_DIR ':memory:'
 * (or none) becomes a fresh database, dropped by `drop`; a DATA_DIR on disk names a database
 * derived from its path, so apps and processes sharing a DATA_DIR share one store, as they do
 * on the embedded engine.
 */
export async function storeEnv(env: Record<string, string> = {}): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (TEST_ENGINE === 'sqlite' || env.MONGODB_URI) return { env, drop: async () => {} };
  const dir = env.DATA_DIR ?? ':memory:';
  const fresh = dir === ':memory:';
  const dbName = fresh ? `app_${newId()}` : `dir_${createHash('sha256').update(dir).digest('hex').slice(0, 24)}`;
  const uri = withDatabase(await mongoBase(), dbName);
  return { env: { ...env, MONGODB_URI: uri }, drop: fresh ? () => dropDatabase(uri) : async () => {} };
}

/** A store of its own on the engine under test, for tests that watch or wrap one. */
export async function createTestStore(): Promise<Store> {
  const { env, drop } = await storeEnv();
  const store = await createStore({ mongodbUri: env.MONGODB_URI, dataDir: ':memory:' });
  const close = store.close.bind(store);
  return Object.assign(store, { close: async () => (await close(), await drop()) });
}

async function dropDatabase(uri: string) {
  const { client, db } = await connectMongo(uri);
  try {
    await db.dropDatabase();
  } finally {
    await client.close();
  }
}

export async function startApp(env: Record<string, string> = {}, extra: AppExtra = {}): Promise<TestApp> {
  const store = extra.store ? { env, drop: async () => {} } : await storeEnv(env);
  const config = parseConfig({ AUTH_SECRET: TEST_SECRET, DATA_DIR: ':memory:', LOG_LEVEL: 'silent', RUN_JOBS: 'false', ...store.env });
  const app = await createApp({ config, ...extra });
  const url = await app.listen(0);
  return { app, url, config, close: async () => (await app.close(), await store.drop()) };
}

/**
 * One app for a whole test file, so each file need not repeat `let t0; test.before(start);
 * test.after.always(close)`. Registers both hooks and returns a handle whose fields are read
 * when used (the app exists only once the hook has run), plus `api`, a client bound to it.
 * The hooks are serial: the file's own `before` hooks run once the app is up, and `after.always`
 * hooks registered before this call (closing sockets, say) run before it is closed.
 * `extra` may be a function, for options built inside the hook (a store of its own).
 */
export function useApp(test: TestFn, env: Record<string, string> = {}, extra: AppExtra | (() => AppExtra | Promise<AppExtra>) = {}): TestApp & { api: Api } {
  let started: TestApp | undefined;
  const get = () => {
    if (!started) throw new Error('useApp: the app is used before its test.before hook has started it');
    return started;
  };
  test.serial.before(async () => {
    started = await startApp(env, typeof extra === 'function' ? await extra() : extra);
  });
  test.serial.after.always(async () => {
    await started?.close();
  });
  return {
    get app() {
      return get().app;
    },
    get url() {
      return get().url;
    },
    get config() {
      return get().config;
    },
    close: () => get().close(),
    api: api(() => get().url),
  };
}

export interface TestUser {
  userID: string;
  token: string;
}

export function makeUser(opts: { staff?: boolean } = {}): TestUser {
  const userID = newId();
  return { userID, token: signToken(TEST_SECRET, userID, opts) };
}

export interface Res<T = any> {
  status: number;
  body: T;
}

export type Api = ReturnType<typeof api>;

/**
 * A small JSON client: `api(url).post('/rest/topic', body, token)`. `base` may be a function,
 * read on each request, for a client made before its server is up (see `useApp`). Every answer
 * is checked against the route table behind /openapi.json (./conformance.ts): an answer that
 * differs from its documented schema rejects, failing the test that made the request.
 */
export function api(base: string | (() => string)) {
  const call = async (method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<Res> => {
    const h: Record<string, string> = { ...headers };
    if (token) h.auth = token;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch((typeof base === 'function' ? base() : base) + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    checkAnswer(method, path, res.status, parsed);
    return { status: res.status, body: parsed as any };
  };
  return {
    get: (path: string, token?: string, headers?: Record<string, string>) => call('GET', path, undefined, token, headers),
    post: (path: string, body?: unknown, token?: string, headers?: Record<string, string>) => call('POST', path, body, token, headers),
    put: (path: string, body?: unknown, token?: string) => call('PUT', path, body, token),
    del: (path: string, token?: string) => call('DELETE', path, undefined, token),
    call,
  };
}
