// Starts the app exactly as `npm start` builds it, on port 0, with a private store.
import type { TestFn } from 'ava';
import { createApp, type App } from '../../src/app';
import { signToken } from '../../src/auth/token';
import { parseConfig, type Config } from '../../src/config';
import { newId } from '../../src/ids';
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

export async function startApp(env: Record<string, string> = {}, extra: AppExtra = {}): Promise<TestApp> {
  const config = parseConfig({ AUTH_SECRET: TEST_SECRET, DATA_DIR: ':memory:', LOG_LEVEL: 'silent', RUN_JOBS: 'false', ...env });
  const app = await createApp({ config, ...extra });
  const url = await app.listen(0);
  return { app, url, config, close: () => app.close() };
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
