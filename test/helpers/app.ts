// Starts the app exactly as `npm start` builds it, on port 0, with a private store.
import { createApp, type App } from '../../src/app';
import { signToken } from '../../src/auth/token';
import { parseConfig, type Config } from '../../src/config';
import { newId } from '../../src/ids';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

export interface TestApp {
  app: App;
  url: string;
  config: Config;
  close(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}, extra: Partial<Parameters<typeof createApp>[0]> = {}): Promise<TestApp> {
  const config = parseConfig({ AUTH_SECRET: TEST_SECRET, DATA_DIR: ':memory:', LOG_LEVEL: 'silent', RUN_JOBS: 'false', ...env });
  const app = await createApp({ config, ...extra });
  const url = await app.listen(0);
  return { app, url, config, close: () => app.close() };
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

/** A small JSON client: `api(url).post('/rest/topic', body, token)`. */
export function api(base: string) {
  const call = async (method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<Res> => {
    const h: Record<string, string> = { ...headers };
    if (token) h.auth = token;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
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
