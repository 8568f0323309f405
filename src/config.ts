// Reads and validates the environment once. A bad value stops start-up with one line
// naming the variable (see loadConfigOrExit), so misconfiguration never half-starts a node.
import cron from 'node-cron';
import { z } from 'zod';

const DEV_SECRET = 'development-secret-do-not-use-in-production';
/** The shortest AUTH_SECRET a production process accepts. */
const PRODUCTION_SECRET_CHARS = 32;
/** The providers that take a client's word or pretend: development and staging only. */
const TEST_PROVIDERS = { PAYMENT_PROVIDER: 'sandbox', CALL_PROVIDER: 'simulated' } as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A whole number from a string, with messages a person reads in one line. */
const int = (what: string) => z.coerce.number({ invalid_type_error: `must be ${what}` }).refine(Number.isInteger, `must be ${what}`);
const seconds = int('a whole number of seconds').pipe(z.number().positive('must be a whole number of seconds above 0'));
const ms = int('a whole number of ms').pipe(z.number().positive('must be a whole number of ms above 0'));
const count = int('a whole number above 0').pipe(z.number().positive('must be a whole number above 0'));

const schema = z.object({
  // Any spelling of `development` or `test` is not production; everything else is.
  NODE_ENV: z
    .string()
    .default('development')
    .transform((v) => v.trim().toLowerCase()),
  PORT: int('a port number from 0 to 65535').pipe(z.number().min(0, 'must be a port number from 0 to 65535').max(65535, 'must be a port number from 0 to 65535')).default(3000),
  AUTH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  RUN_JOBS: bool.default('true'),
  CRON_SCHEDULE: z
    .string()
    .default('* * * * *')
    .refine((v) => cron.validate(v), 'is not a valid cron expression'),
  ORDER_CONFIRM_TIMEOUT_S: seconds.default(172800),
  ORDER_PAY_TIMEOUT_S: seconds.default(1800),
  ORDER_SETTLE_TIMEOUT_S: seconds.default(259200),
  // No default here: production must name its providers; development falls back to the test ones.
  PAYMENT_PROVIDER: z.enum(['sandbox', 'pingpp']).optional(),
  CALL_PROVIDER: z.enum(['simulated', 'cloopen']).optional(),
  ALLOW_TEST_PROVIDERS: bool.default('false'),
  TRUST_PROXY: bool.default('false'),
  HTTP_HEADERS_TIMEOUT_MS: ms.default(15_000),
  HTTP_REQUEST_TIMEOUT_MS: ms.default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms.default(65_000),
  HTTP_SOCKET_TIMEOUT_MS: ms.default(120_000),
  CALL_SIM_MS: int('a whole number of ms').pipe(z.number().min(0, 'must be a whole number of ms, 0 or more')).default(3000),
  // Requests per RATE_LIMIT_WINDOW_S for each class of action (src/http/rate-limit.ts).
  RATE_LIMIT_WINDOW_S: seconds.default(60),
  RATE_LIMIT_ORDER_CREATE: count.default(20),
  RATE_LIMIT_PAY: count.default(30),
  RATE_LIMIT_COMMENT: count.default(20),
  RATE_LIMIT_CALL: count.default(10),
  RATE_LIMIT_WRITE: count.default(120),
  RATE_LIMIT_READ: count.default(600),
  RATE_LIMIT_ANON: count.default(600),
  RATE_LIMIT_WEBHOOK: count.default(600),
  RATE_LIMIT_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, or _ : . -').default('rl'),
  SOCKETS_PER_USER_MAX: count.default(20),
  UNREAD_CHAT_ORDERS_MAX: count.default(50),
  CHAT_RATE_PER_S: z.coerce.number({ invalid_type_error: 'must be a number above 0' }).positive('must be a number above 0').default(10),
  PINGPP_PUBLIC_KEY: z.string().optional(),
  PINGPP_API_KEY: z.string().optional(),
  PINGPP_APP_ID: z.string().optional(),
  PINGPP_PRIVATE_KEY: z.string().optional(),
  PINGPP_API_BASE: z.string().url().default('https://api.pingxx.com'),
  CALL_WEBHOOK_TOKEN: z.string().optional(),
  CLOOPEN_ACCOUNT_SID: z.string().optional(),
  CLOOPEN_AUTH_TOKEN: z.string().optional(),
  CLOOPEN_SUBACCOUNT_SID: z.string().optional(),
  CLOOPEN_SUBACCOUNT_TOKEN: z.string().optional(),
  CLOOPEN_APP_ID: z.string().optional(),
  CLOOPEN_API_BASE: z.string().url().default('https://app.cloopen.com:8883'),
  PUBLIC_URL: z.string().url().optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) => (v.trim() === '*' ? ('*' as const) : v.split(',').map((o) => o.trim()).filter(Boolean)))
    .refine((v) => v === '*' || v.every(isOrigin), 'must be * or comma-separated origins such as https://app.example.com')
    .optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

/** `scheme://host[:port]`, nothing after: what a browser sends as `Origin`. */
function isOrigin(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v;
  } catch {
    return false;
  }
}

export interface Config extends Omit<Env, 'AUTH_SECRET' | 'PAYMENT_PROVIDER' | 'CALL_PROVIDER'> {
  AUTH_SECRET: string;
  PAYMENT_PROVIDER: NonNullable<Env['PAYMENT_PROVIDER']>;
  CALL_PROVIDER: NonNullable<Env['CALL_PROVIDER']>;
  /** NODE_ENV is neither `development` nor `test` */
  production: boolean;
  /** true when AUTH_SECRET fell back to the development secret */
  usingDevSecret: boolean;
}

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError whose message names the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as `FOO=` in a .env file usually means "not configured".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const cfg = result.data;
  const production = cfg.NODE_ENV !== 'development' && cfg.NODE_ENV !== 'test';
  if (production) refuseDevelopmentSettings(cfg);
  if (cfg.HTTP_HEADERS_TIMEOUT_MS > cfg.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS: must not be above HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  // Provider settings are only required once the provider is chosen.
  const need = (names: (keyof Env)[], why: string) => {
    for (const n of names) if (!cfg[n]) throw new ConfigError(`${n}: required when ${why}`);
  };
  if (cfg.PAYMENT_PROVIDER === 'pingpp') need(['PINGPP_API_KEY', 'PINGPP_APP_ID'], 'PAYMENT_PROVIDER=pingpp');
  if (cfg.CALL_PROVIDER === 'cloopen') {
    need(
      ['CLOOPEN_ACCOUNT_SID', 'CLOOPEN_AUTH_TOKEN', 'CLOOPEN_SUBACCOUNT_SID', 'CLOOPEN_SUBACCOUNT_TOKEN', 'CLOOPEN_APP_ID'],
      'CALL_PROVIDER=cloopen',
    );
  }
  return {
    ...cfg,
    AUTH_SECRET: cfg.AUTH_SECRET ?? DEV_SECRET,
    PAYMENT_PROVIDER: cfg.PAYMENT_PROVIDER ?? TEST_PROVIDERS.PAYMENT_PROVIDER,
    CALL_PROVIDER: cfg.CALL_PROVIDER ?? TEST_PROVIDERS.CALL_PROVIDER,
    production,
    usingDevSecret: !cfg.AUTH_SECRET,
  };
}

/**
 * Production takes nothing meant for development: a real secret, and providers chosen on
 * purpose; a test provider (which believes the client, or pretends) only by ALLOW_TEST_PROVIDERS.
 */
function refuseDevelopmentSettings(cfg: Env) {
  const where = `when NODE_ENV=${cfg.NODE_ENV}`;
  const secret = cfg.AUTH_SECRET;
  if (!secret) throw new ConfigError(`AUTH_SECRET: required ${where}`);
  if (secret === DEV_SECRET) throw new ConfigError(`AUTH_SECRET: is the development secret; set a random one ${where}`);
  if ([...secret].length < PRODUCTION_SECRET_CHARS) throw new ConfigError(`AUTH_SECRET: must be at least ${PRODUCTION_SECRET_CHARS} characters ${where}`);
  if (new Set(secret).size === 1) throw new ConfigError(`AUTH_SECRET: is one character repeated; set a random one ${where}`);
  for (const name of ['PAYMENT_PROVIDER', 'CALL_PROVIDER'] as const) {
    const chosen = cfg[name];
    if (!chosen) throw new ConfigError(`${name}: required ${where}`);
    if (chosen === TEST_PROVIDERS[name] && !cfg.ALLOW_TEST_PROVIDERS) {
      throw new ConfigError(`${name}: ${chosen} is a test provider; refused ${where} unless ALLOW_TEST_PROVIDERS=true`);
    }
  }
}

/** The test providers this configuration runs, for the warning every process logs at start. */
export function testProvidersInUse(config: Pick<Config, 'PAYMENT_PROVIDER' | 'CALL_PROVIDER'>): string[] {
  return (['PAYMENT_PROVIDER', 'CALL_PROVIDER'] as const).filter((n) => config[n] === TEST_PROVIDERS[n]).map((n) => `${n}=${config[n]}`);
}

/** For process entry points: one clear line on stderr and exit 1 on bad configuration. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
