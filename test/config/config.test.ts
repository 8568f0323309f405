// Configuration (README.md, "Configuration"): defaults, parsing, and a bad value stopping start-up with
// one line naming the variable — checked on parseConfig and on the real `tsx src/server.ts`.
import test from 'ava';
import { spawn } from 'node:child_process';
import { ConfigError, parseConfig } from '../../src/config';

test('defaults: the contract’s values, and the development secret flagged', (t) => {
  const cfg = parseConfig({});
  t.like(cfg, {
    NODE_ENV: 'development',
    PORT: 3000,
    DATA_DIR: './data',
    RUN_JOBS: true,
    CRON_SCHEDULE: '* * * * *',
    ORDER_CONFIRM_TIMEOUT_S: 172800,
    ORDER_PAY_TIMEOUT_S: 1800,
    ORDER_SETTLE_TIMEOUT_S: 259200,
    PAYMENT_PROVIDER: 'sandbox',
    CALL_PROVIDER: 'simulated',
    CALL_SIM_MS: 3000,
    CHAT_RATE_PER_S: 10,
    ALLOW_TEST_PROVIDERS: false,
    TRUST_PROXY: false,
    HTTP_HEADERS_TIMEOUT_MS: 15000,
    HTTP_REQUEST_TIMEOUT_MS: 30000,
    HTTP_KEEP_ALIVE_TIMEOUT_MS: 65000,
    HTTP_SOCKET_TIMEOUT_MS: 120000,
    production: false,
    RATE_LIMIT_WINDOW_S: 60,
    RATE_LIMIT_ORDER_CREATE: 20,
    RATE_LIMIT_PAY: 30,
    RATE_LIMIT_COMMENT: 20,
    RATE_LIMIT_CALL: 10,
    RATE_LIMIT_WRITE: 120,
    RATE_LIMIT_READ: 600,
    RATE_LIMIT_ANON: 600,
    RATE_LIMIT_WEBHOOK: 600,
    RATE_LIMIT_PREFIX: 'rl',
    SOCKETS_PER_USER_MAX: 20,
    UNREAD_CHAT_ORDERS_MAX: 50,
    usingDevSecret: true,
  });
  t.is(cfg.MONGODB_URI, undefined);
  t.is(cfg.REDIS_URL, undefined);
  t.true(cfg.AUTH_SECRET.length >= 16);
});

test('values are parsed from their strings', (t) => {
  const cfg = parseConfig({
    PORT: '8080',
    AUTH_SECRET: 'a-secret-of-enough-length',
    MONGODB_URI: 'mongodb+srv://u:p@cluster.example/db',
    REDIS_URL: 'rediss://h:6380',
    RUN_JOBS: 'false',
    CRON_SCHEDULE: '*/5 * * * * *',
    ORDER_PAY_TIMEOUT_S: '60',
    CALL_SIM_MS: '0',
    CHAT_RATE_PER_S: '2.5',
    DATA_DIR: ':memory:',
  });
  t.like(cfg, { PORT: 8080, RUN_JOBS: false, CRON_SCHEDULE: '*/5 * * * * *', ORDER_PAY_TIMEOUT_S: 60, CALL_SIM_MS: 0, CHAT_RATE_PER_S: 2.5, usingDevSecret: false, DATA_DIR: ':memory:' });
  t.is(cfg.AUTH_SECRET, 'a-secret-of-enough-length');
});

test('an empty value counts as unset', (t) => {
  t.like(parseConfig({ PORT: '', AUTH_SECRET: '', RUN_JOBS: '' }), { PORT: 3000, usingDevSecret: true, RUN_JOBS: true });
});

const BAD: [Record<string, string>, string][] = [
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ PORT: '-1' }, 'PORT'],
  [{ PORT: '80.5' }, 'PORT'],
  [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
  [{ NODE_ENV: 'production' }, 'AUTH_SECRET'],
  [{ MONGODB_URI: 'http://db' }, 'MONGODB_URI'],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
  [{ RUN_JOBS: 'maybe' }, 'RUN_JOBS'],
  [{ CRON_SCHEDULE: 'nonsense' }, 'CRON_SCHEDULE'],
  [{ CRON_SCHEDULE: '61 * * * *' }, 'CRON_SCHEDULE'],
  [{ ORDER_CONFIRM_TIMEOUT_S: '0' }, 'ORDER_CONFIRM_TIMEOUT_S'],
  [{ ORDER_PAY_TIMEOUT_S: 'soon' }, 'ORDER_PAY_TIMEOUT_S'],
  [{ ORDER_SETTLE_TIMEOUT_S: '1.5' }, 'ORDER_SETTLE_TIMEOUT_S'],
  [{ PAYMENT_PROVIDER: 'paypal' }, 'PAYMENT_PROVIDER'],
  [{ PAYMENT_PROVIDER: 'pingpp' }, 'PINGPP_API_KEY'],
  [{ CALL_PROVIDER: 'twilio' }, 'CALL_PROVIDER'],
  [{ CALL_PROVIDER: 'cloopen' }, 'CLOOPEN_ACCOUNT_SID'],
  [{ CALL_SIM_MS: '-1' }, 'CALL_SIM_MS'],
  [{ CHAT_RATE_PER_S: '0' }, 'CHAT_RATE_PER_S'],
  [{ RATE_LIMIT_WINDOW_S: '0' }, 'RATE_LIMIT_WINDOW_S'],
  [{ RATE_LIMIT_ORDER_CREATE: '0' }, 'RATE_LIMIT_ORDER_CREATE'],
  [{ RATE_LIMIT_READ: '2.5' }, 'RATE_LIMIT_READ'],
  [{ RATE_LIMIT_WEBHOOK: 'many' }, 'RATE_LIMIT_WEBHOOK'],
  [{ RATE_LIMIT_PREFIX: 'has space' }, 'RATE_LIMIT_PREFIX'],
  [{ SOCKETS_PER_USER_MAX: '0' }, 'SOCKETS_PER_USER_MAX'],
  [{ UNREAD_CHAT_ORDERS_MAX: '-3' }, 'UNREAD_CHAT_ORDERS_MAX'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ PINGPP_API_BASE: 'not a url' }, 'PINGPP_API_BASE'],
  [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
  [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'HTTP_HEADERS_TIMEOUT_MS'],
  [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
  [{ HTTP_REQUEST_TIMEOUT_MS: '1.5' }, 'HTTP_REQUEST_TIMEOUT_MS'],
  [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'long' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
  [{ HTTP_SOCKET_TIMEOUT_MS: '-5' }, 'HTTP_SOCKET_TIMEOUT_MS'],
];
for (const [env, name] of BAD) {
  test(`${JSON.stringify(env)} is refused, naming ${name}`, (t) => {
    const err = t.throws(() => parseConfig(env), { instanceOf: ConfigError });
    t.true(err!.message.startsWith(`${name}: `), err!.message);
    t.false(err!.message.includes('\n'));
  });
}

/** The environment of a child process: this one's, without any of the app's variables. */
function childEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  const appVars = /^(NODE_ENV|PORT|AUTH_SECRET|MONGODB_URI|DATA_DIR|REDIS_URL|RUN_JOBS|CRON_SCHEDULE|ORDER_|PAYMENT_|CALL_|CHAT_|RATE_LIMIT_|SOCKETS_|UNREAD_|PINGPP_|CLOOPEN_|PUBLIC_URL|LOG_LEVEL|ALLOW_TEST_PROVIDERS|TRUST_PROXY|HTTP_)/;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !appVars.test(k)) env[k] = v;
  return { ...env, DATA_DIR: ':memory:', RUN_JOBS: 'false', ...extra };
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const START_FAILS: [Record<string, string>, string][] = [
  [{ PORT: 'abc' }, 'PORT'],
  [{ CRON_SCHEDULE: 'nonsense' }, 'CRON_SCHEDULE'],
  [{ NODE_ENV: 'production' }, 'AUTH_SECRET'],
  [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
];
for (const [env, name] of START_FAILS) {
  test(`npx tsx src/server.ts with ${JSON.stringify(env)} exits 1 with one stderr line naming ${name}`, async (t) => {
    const res = await run('npx', ['tsx', 'src/server.ts'], childEnv(env));
    t.is(res.code, 1, res.stderr);
    // npm may print its own warnings about the machine's npm config; they are not the app's.
    const lines = res.stderr.split('\n').filter((l) => l.trim() && !/^npm (warn|notice)/i.test(l));
    t.is(lines.length, 1, res.stderr);
    t.regex(lines[0], new RegExp(`\\b${name}\\b`));
    t.notRegex(res.stdout, /listening/);
  });
}

test('with a good configuration the server listens, answers /healthz and stops on SIGTERM with exit 0', async (t) => {
  // `node --import tsx` is what `tsx` runs, as one process, so SIGTERM reaches the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: process.cwd(),
    env: childEnv({ PORT: '0', AUTH_SECRET: 'a-secret-of-enough-length', LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(stdout);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stdout}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const res = await fetch(`${url}/healthz`);
    t.is(res.status, 200);
    t.like(await res.json(), { status: 'ok', engine: 'sqlite' });
  } finally {
    child.kill('SIGTERM');
  }
  t.is(await exited, 0);
  t.regex(stdout, /"msg":"stopped"/);
});
