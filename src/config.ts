// Reads and validates the environment once. A bad value stops start-up with one line
// naming the variable (see loadConfigOrExit), so misconfiguration never half-starts a node.
import cron from 'node-cron';
import { z } from 'zod';
import { LIST_CACHE_MB } from '../config/defaults';

const DEV_SECRET = 'development-secret-do-not-use-in-production';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A whole number from a string, with messages a person reads in one line. */
const int = (what: string) => z.coerce.number({ invalid_type_error: `must be ${what}` }).refine(Number.isInteger, `must be ${what}`);
const seconds = int('a whole number of seconds').pipe(z.number().positive('must be a whole number of seconds above 0'));

const schema = z.object({
  NODE_ENV: z.string().default('development'),
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
  PAYMENT_PROVIDER: z.enum(['sandbox', 'pingpp']).default('sandbox'),
  CALL_PROVIDER: z.enum(['simulated', 'cloopen']).default('simulated'),
  CALL_SIM_MS: int('a whole number of ms').pipe(z.number().min(0, 'must be a whole number of ms, 0 or more')).default(3000),
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
  LIST_CACHE_MB: z.coerce.number({ invalid_type_error: 'must be a number of MB, 0 or more' }).min(0, 'must be a number of MB, 0 or more').default(LIST_CACHE_MB),
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

/** Anything but development or test (any case) is production. */
export const isProduction = (cfg: Pick<Env, 'NODE_ENV'>) => !['development', 'test'].includes(cfg.NODE_ENV.toLowerCase());
export interface Config extends Omit<Env, 'AUTH_SECRET'> {
  AUTH_SECRET: string;
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
  if (!cfg.AUTH_SECRET && cfg.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_SECRET: required when NODE_ENV=production');
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
  return { ...cfg, AUTH_SECRET: cfg.AUTH_SECRET ?? DEV_SECRET, usingDevSecret: !cfg.AUTH_SECRET };
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
