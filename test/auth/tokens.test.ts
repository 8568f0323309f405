// Identity (README.md, "Tokens"; docs/errors.md): HS256 JWTs with `sub` = 24-hex userID and optional
// `role: "staff"`. Missing, forged, expired, `alg: none` and malformed tokens are 902 on
// required and optional routes alike, before the store is touched.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { signToken, tokenFromHeaders, verifyToken } from '../../src/auth/token';
import { createTestStore, makeUser, TEST_SECRET, useApp } from '../helpers/app';
import { watchStore, type WatchedStore } from '../helpers/store-watch';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** A JWT made by hand, so the tests do not depend on what jsonwebtoken agrees to sign. */
function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | null = TEST_SECRET) {
  const head = `${b64(header)}.${b64(payload)}`;
  if (secret === null) return `${head}.`;
  const alg = header.alg === 'HS512' ? 'sha512' : 'sha256';
  return `${head}.${createHmac(alg, secret).update(head).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const ID = '0123456789abcdef01234567';
const HS256 = { alg: 'HS256', typ: 'JWT' };

const FORGED: Record<string, string> = {
  'signed with another secret': jwt(HS256, { sub: ID }, 'another-secret-0123456789'),
  expired: jwt(HS256, { sub: ID, exp: now() - 60 }),
  'not valid yet': jwt(HS256, { sub: ID, nbf: now() + 3600 }),
  'alg none, no signature': jwt({ alg: 'none', typ: 'JWT' }, { sub: ID, role: 'staff' }, null),
  'alg none with the signature of HS256': jwt(HS256, { sub: ID }).replace(/^[^.]+/, b64({ alg: 'none', typ: 'JWT' })),
  'HS512 instead of HS256': jwt({ alg: 'HS512', typ: 'JWT' }, { sub: ID }),
  'a sub that is not hex': jwt(HS256, { sub: 'alice' }),
  'a sub of 23 hex digits': jwt(HS256, { sub: ID.slice(1) }),
  'a sub of 25 hex digits': jwt(HS256, { sub: ID + 'a' }),
  'a sub that is an operator object': jwt(HS256, { sub: { $gt: '' } }),
  'a numeric sub': jwt(HS256, { sub: 123456789012345678901234 }),
  'no sub': jwt(HS256, { role: 'staff' }),
  'a tampered payload': jwt(HS256, { sub: ID }).replace(/\.[^.]+\./, `.${b64({ sub: ID, role: 'staff' })}.`),
  'garbage': 'not-a-token',
  'three empty parts': '..',
};

test('signToken and verifyToken round-trip, with and without staff', (t) => {
  t.deepEqual(verifyToken(TEST_SECRET, signToken(TEST_SECRET, ID)), { userID: ID, staff: false });
  t.deepEqual(verifyToken(TEST_SECRET, signToken(TEST_SECRET, ID, { staff: true })), { userID: ID, staff: true });
  t.deepEqual(verifyToken(TEST_SECRET, jwt(HS256, { sub: ID.toUpperCase(), exp: now() + 60 })), { userID: ID, staff: false });
  t.deepEqual(verifyToken(TEST_SECRET, jwt(HS256, { sub: ID, role: 'admin' })), { userID: ID, staff: false });
});

for (const [name, token] of Object.entries(FORGED)) {
  test(`verifyToken refuses a token ${name}`, (t) => {
    t.is(verifyToken(TEST_SECRET, token), null);
  });
}

test('an expiring token is honoured until it expires', (t) => {
  t.truthy(verifyToken(TEST_SECRET, signToken(TEST_SECRET, ID, { expiresIn: 60 })));
  t.is(verifyToken(TEST_SECRET, signToken(TEST_SECRET, ID, { expiresIn: -1 })), null);
});

test('a token verified before is refused once it expires or when the clock is before its nbf', (t) => {
  // verifyToken remembers tokens it has verified; expiry must still be checked on every call.
  const realNow = Date.now;
  const token = jwt(HS256, { sub: ID, nbf: now() - 10, exp: now() + 60 });
  try {
    t.deepEqual(verifyToken(TEST_SECRET, token), { userID: ID, staff: false });
    t.deepEqual(verifyToken(TEST_SECRET, token), { userID: ID, staff: false });
    Date.now = () => realNow() + 120_000;
    t.is(verifyToken(TEST_SECRET, token), null);
    Date.now = () => realNow() - 120_000;
    t.is(verifyToken(TEST_SECRET, token), null);
  } finally {
    Date.now = realNow;
  }
  // Remembered under its own secret only.
  t.is(verifyToken('another-secret-0123456789', token), null);
});

test('tokenFromHeaders reads `auth`, `auth: Bearer` and `Authorization: Bearer`', (t) => {
  t.is(tokenFromHeaders({ auth: 'abc' }), 'abc');
  t.is(tokenFromHeaders({ auth: 'Bearer abc' }), 'abc');
  t.is(tokenFromHeaders({ authorization: 'Bearer abc' }), 'abc');
  t.is(tokenFromHeaders({ authorization: 'bearer  abc ' }), 'abc');
  t.is(tokenFromHeaders({ authorization: 'Basic abc' }), undefined);
  t.is(tokenFromHeaders({ auth: '' }), undefined);
  t.is(tokenFromHeaders({}), undefined);
});

// Over HTTP, with a store that records every call.
let watched: WatchedStore;
const t0 = useApp(test, {}, async () => {
  watched = watchStore(await createTestStore());
  return { store: watched.store };
});
const c = t0.api;
let topic_id: string;
test.before(async () => {
  topic_id = (await c.post('/rest/topic', { title: 't', category: 'c', price: 1 }, makeUser().token)).body.topic_id;
});

const ROUTES: [string, () => string, 'rest' | 'admin'][] = [
  ['a required-auth route', () => '/rest/orders', 'rest'],
  ['an optional-auth route', () => `/rest/topic/${topic_id}`, 'rest'],
  ['an admin route', () => '/v1/admin/orders', 'admin'],
];

for (const [name, token] of Object.entries({ ...FORGED, 'a staff token made by hand with the right secret but expired': jwt(HS256, { sub: ID, role: 'staff', exp: now() - 1 }) })) {
  for (const [where, path, envelope] of ROUTES) {
    test.serial(`${where} refuses a token ${name} with 401/902 before touching the store`, async (t) => {
      for (const headers of [{ auth: token }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
        watched.reset();
        const res = await c.get(path(), undefined, headers);
        t.is(res.status, 401);
        if (envelope === 'rest') t.is(res.body.code, 902);
        else t.is(res.body.error.code, 'unauthorized');
        t.deepEqual(watched.calls, []);
      }
    });
  }
}

test.serial('no token: 902 on required routes, fine on optional ones', async (t) => {
  const required = await c.get('/rest/orders');
  t.is(required.status, 401);
  t.is(required.body.code, 902);
  t.regex(required.body.msg, /^auth/);
  t.is((await c.get(`/rest/topic/${topic_id}`)).body.code, 900);
  t.is((await c.get('/v1/admin/orders')).status, 401);
});

test.serial('a good token works in either header', async (t) => {
  const u = makeUser();
  t.is((await c.get('/rest/orders', undefined, { auth: u.token })).body.code, 900);
  t.is((await c.get('/rest/orders', undefined, { auth: `Bearer ${u.token}` })).body.code, 900);
  t.is((await c.get('/rest/orders', undefined, { authorization: `Bearer ${u.token}` })).body.code, 900);
  // Without the Bearer scheme, Authorization is not read.
  t.is((await c.get('/rest/orders', undefined, { authorization: u.token })).body.code, 902);
});

test.serial('role staff opens the admin API; any other role does not', async (t) => {
  t.is((await c.get('/v1/admin/orders', makeUser({ staff: true }).token)).status, 200);
  const res = await c.get('/v1/admin/orders', jwt(HS256, { sub: ID, role: 'admin' }));
  t.is(res.status, 403);
  t.is(res.body.error.code, 'forbidden');
});

test('`npm run token -- <id> --staff` prints a token that verifies with role staff', (t) => {
  const secret = 'cli-secret-0123456789abcdef';
  const env = { ...process.env, AUTH_SECRET: secret, NODE_ENV: 'development' };
  const run = (args: string[]) => spawnSync('npm', ['run', 'token', '--', ...args], { cwd: process.cwd(), env, encoding: 'utf8' });
  // npm echoes the script it runs above the output; the token is the last line.
  const lastLine = (out: string) => out.trim().split('\n').at(-1) ?? '';
  const staff = run([ID, '--staff']);
  t.is(staff.status, 0, staff.stderr);
  const token = lastLine(staff.stdout);
  t.regex(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  t.deepEqual(verifyToken(secret, token), { userID: ID, staff: true });
  t.is(verifyToken(TEST_SECRET, token), null);

  const plain = run([ID]);
  t.deepEqual(verifyToken(secret, lastLine(plain.stdout)), { userID: ID, staff: false });

  const bad = run(['not-an-id', '--staff']);
  t.not(bad.status, 0);
  t.notRegex(bad.stdout, /\w+\.\w+\.\w+$/);
  t.regex(bad.stderr, /usage/);
});
