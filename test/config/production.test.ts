// Production refuses what is only for development: NODE_ENV read case-insensitively, a real
// AUTH_SECRET, providers chosen on purpose, test providers only with ALLOW_TEST_PROVIDERS;
// checked on parseConfig, on the real process, and the warning a running test provider logs.
import test, { type ExecutionContext } from 'ava';
import { ConfigError, parseConfig } from '../../src/config';
import { createLogger } from '../../src/log/logger';
import { startApp } from '../helpers/app';
import { spawnEntry } from '../helpers/spawn';

const SECRET = 'k3J9x!vQ2mZ7pL0aR5tY8wE1uI4oP6sD';
/** Everything a production process needs, with real providers. */
const PROD = {
  NODE_ENV: 'production',
  AUTH_SECRET: SECRET,
  PAYMENT_PROVIDER: 'pingpp',
  PINGPP_API_KEY: 'sk_live_x',
  PINGPP_APP_ID: 'app_x',
  CALL_PROVIDER: 'cloopen',
  CLOOPEN_ACCOUNT_SID: 'a',
  CLOOPEN_AUTH_TOKEN: 'b',
  CLOOPEN_SUBACCOUNT_SID: 'c',
  CLOOPEN_SUBACCOUNT_TOKEN: 'd',
  CLOOPEN_APP_ID: 'e',
};

const refusal = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return undefined;
};

test('a complete production configuration is accepted', (t) => {
  t.like(parseConfig(PROD), { production: true, PAYMENT_PROVIDER: 'pingpp', CALL_PROVIDER: 'cloopen', usingDevSecret: false });
});

test('NODE_ENV: any spelling of development or test is not production; anything else is', (t) => {
  for (const v of ['development', 'Development', ' DEVELOPMENT ', 'test', 'TEST']) {
    t.like(parseConfig({ NODE_ENV: v }), { production: false, PAYMENT_PROVIDER: 'sandbox', CALL_PROVIDER: 'simulated' }, v);
  }
  for (const v of ['production', 'Production', 'PRODUCTION', 'prod', 'staging', 'dev']) {
    t.is(refusal({ NODE_ENV: v }), `AUTH_SECRET: required when NODE_ENV=${v.trim().toLowerCase()}`, v);
    t.true(parseConfig({ ...PROD, NODE_ENV: v }).production, v);
  }
});

test('AUTH_SECRET in production: the development secret, a short one and a repeated character are refused, each saying why', (t) => {
  const dev = parseConfig({}).AUTH_SECRET;
  t.regex(refusal({ ...PROD, AUTH_SECRET: dev })!, /^AUTH_SECRET: is the development secret/);
  t.regex(refusal({ ...PROD, AUTH_SECRET: 'x'.repeat(16) + 'y'.repeat(15) })!, /^AUTH_SECRET: must be at least 32 characters/);
  t.regex(refusal({ ...PROD, AUTH_SECRET: 'a'.repeat(64) })!, /^AUTH_SECRET: is one character repeated/);
  t.regex(refusal({ ...PROD, AUTH_SECRET: 'aaaaaaaaaaaaaaaa' })!, /^AUTH_SECRET: must be at least 32 characters/);
  // 32 characters counted as code points, not UTF-16 units: 16 emoji are 16 characters
  t.regex(refusal({ ...PROD, AUTH_SECRET: '🔑🗝'.repeat(8) })!, /^AUTH_SECRET: must be at least 32 characters/);
  t.is(refusal({ ...PROD, AUTH_SECRET: SECRET }), undefined);
  // development keeps its defaults: a 16-character secret, even a repeated one, is fine there
  t.like(parseConfig({ AUTH_SECRET: 'aaaaaaaaaaaaaaaa' }), { production: false, usingDevSecret: false });
});

test('providers in production must be named, and a test provider needs ALLOW_TEST_PROVIDERS=true', (t) => {
  t.is(refusal({ ...PROD, PAYMENT_PROVIDER: undefined }), 'PAYMENT_PROVIDER: required when NODE_ENV=production');
  t.is(refusal({ ...PROD, CALL_PROVIDER: undefined }), 'CALL_PROVIDER: required when NODE_ENV=production');
  t.is(refusal({ ...PROD, PAYMENT_PROVIDER: 'sandbox' }), 'PAYMENT_PROVIDER: sandbox is a test provider; refused when NODE_ENV=production unless ALLOW_TEST_PROVIDERS=true');
  t.is(refusal({ ...PROD, CALL_PROVIDER: 'simulated' }), 'CALL_PROVIDER: simulated is a test provider; refused when NODE_ENV=production unless ALLOW_TEST_PROVIDERS=true');
  t.is(refusal({ ...PROD, PAYMENT_PROVIDER: 'sandbox', ALLOW_TEST_PROVIDERS: 'false' })?.split(':')[0], 'PAYMENT_PROVIDER');
  t.like(parseConfig({ ...PROD, PAYMENT_PROVIDER: 'sandbox', CALL_PROVIDER: 'simulated', ALLOW_TEST_PROVIDERS: 'true' }), {
    production: true,
    PAYMENT_PROVIDER: 'sandbox',
    CALL_PROVIDER: 'simulated',
    ALLOW_TEST_PROVIDERS: true,
  });
  t.regex(refusal({ ...PROD, ALLOW_TEST_PROVIDERS: 'sure' })!, /^ALLOW_TEST_PROVIDERS: /);
});

test('a running test provider is warned about at start, in any environment; real providers are not', async (t) => {
  const warnings = async (env: Record<string, string>) => {
    let out = '';
    const app = await startApp(env, { log: createLogger('warn', 'web', { write: (l: string) => void (out += l) }) });
    await app.close();
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg.startsWith('test providers are running'));
  };
  const [dev] = await warnings({});
  t.deepEqual(dev.testProviders, ['PAYMENT_PROVIDER=sandbox', 'CALL_PROVIDER=simulated']);
  t.is(dev.level, 40);
  const [staging] = await warnings({ ...PROD, PAYMENT_PROVIDER: 'sandbox', ALLOW_TEST_PROVIDERS: 'true' });
  t.deepEqual(staging.testProviders, ['PAYMENT_PROVIDER=sandbox']);
  t.deepEqual(await warnings(PROD), []);
});

/** The app's variables removed from this process's environment, so the child sees only `env`. */
function appFreeEnv(env: Record<string, string>) {
  const clean: Record<string, string | undefined> = {};
  for (const k of Object.keys(process.env)) clean[k] = process.env[k];
  for (const k of Object.keys(clean)) if (/^(NODE_ENV|AUTH_SECRET|PAYMENT_|CALL_|PINGPP_|CLOOPEN_|ALLOW_TEST_PROVIDERS|PORT|DATA_DIR|RUN_JOBS|LOG_LEVEL|REDIS_URL|MONGODB_URI)/.test(k)) clean[k] = '';
  return { ...clean, DATA_DIR: ':memory:', RUN_JOBS: 'false', PORT: '0', ...env } as Record<string, string>;
}

const START_REFUSED: [string, Record<string, string>, RegExp][] = [
  ['the sandbox left as the default', { ...PROD, PAYMENT_PROVIDER: '' }, /^configuration error: PAYMENT_PROVIDER: required when NODE_ENV=production$/],
  ['the sandbox chosen without ALLOW_TEST_PROVIDERS', { ...PROD, NODE_ENV: 'Production', PAYMENT_PROVIDER: 'sandbox' }, /^configuration error: PAYMENT_PROVIDER: sandbox is a test provider/],
  ['a one-character secret under NODE_ENV=prod', { ...PROD, NODE_ENV: 'prod', AUTH_SECRET: 'a'.repeat(40) }, /^configuration error: AUTH_SECRET: is one character repeated/],
];
/**
 * Runs an entry point and resolves with its exit code, or with 'started' as soon as it logs
 * that it runs (then it is stopped: a refused configuration must never get that far).
 */
async function startOutcome(t: ExecutionContext, entry: string, env: Record<string, string>) {
  const child = spawnEntry(entry, appFreeEnv(env), { group: true });
  t.teardown(() => {
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.signal('SIGKILL');
  });
  const started = child.waitForLog((l) => l.msg === 'listening' || l.msg === 'clock running').then(() => 'started' as const);
  const outcome = await Promise.race([child.exited, started]);
  if (outcome !== 'started') await child.closed;
  return { outcome, lines: child.output().split('\n').filter((l) => l.trim()), output: child.output() };
}

for (const [what, env, line] of START_REFUSED) {
  test(`the web process does not start with ${what}: exit 1, one line naming the variable`, async (t) => {
    const { outcome, lines, output } = await startOutcome(t, 'src/server.ts', env);
    t.is(outcome, 1, output);
    t.is(lines.length, 1, output);
    t.regex(lines[0], line);
  });
}

test('the clock process refuses the same configuration', async (t) => {
  const { outcome, lines, output } = await startOutcome(t, 'src/clock.ts', { ...PROD, CALL_PROVIDER: 'simulated' });
  t.is(outcome, 1, output);
  t.is(lines.length, 1, output);
  t.regex(lines[0], /^configuration error: CALL_PROVIDER: simulated is a test provider/);
});
