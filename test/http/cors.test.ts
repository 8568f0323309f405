// Browser apps (README "Browser apps"): CORS on REST and the admin API from @koa/cors, and the
// same origins for Socket.IO's handshake, which a WebSocket makes without any CORS check.
import test from 'ava';
import { parseConfig } from '../../src/config';
import { originCheck } from '../../src/http/cors';
import { makeUser, startApp, type TestApp } from '../helpers/app';
import { connect } from '../helpers/socket';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let dev: TestApp;
let listed: TestApp;
test.before(async () => {
  dev = await startApp();
  listed = await startApp({ CORS_ORIGINS: `${APP}, http://localhost:5173` });
});
test.after.always(async () => {
  await dev?.close();
  await listed?.close();
});

const preflight = (base: string, path: string, origin: string) =>
  fetch(base + path, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'auth,content-type,client,platform,channel,authorization' },
  });

test('development: any origin may call REST and the admin API; the preflight allows the API headers', async (t) => {
  for (const path of ['/rest/orders', '/v1/admin/orders']) {
    const res = await preflight(dev.url, path, OTHER);
    t.is(res.status, 204, path);
    t.is(res.headers.get('access-control-allow-origin'), OTHER);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
    for (const h of ['auth', 'authorization', 'content-type', 'client', 'platform', 'channel']) t.true(allowed.includes(h), h);
    t.is(res.headers.get('access-control-allow-credentials'), null);
  }
  const user = makeUser();
  const res = await fetch(`${dev.url}/rest/orders`, { headers: { Origin: OTHER, auth: user.token } });
  t.is(res.status, 200);
  t.is(res.headers.get('access-control-allow-origin'), OTHER);
  t.is(res.headers.get('access-control-expose-headers'), 'x-request-id');
});

test('CORS_ORIGINS: listed origins are allowed, others get no CORS headers', async (t) => {
  const ok = await preflight(listed.url, '/rest/orders', APP);
  t.is(ok.headers.get('access-control-allow-origin'), APP);
  const refused = await preflight(listed.url, '/v1/admin/orders', OTHER);
  t.is(refused.headers.get('access-control-allow-origin'), null);
  const staff = makeUser({ staff: true });
  const get = await fetch(`${listed.url}/v1/admin/orders`, { headers: { Origin: OTHER, auth: staff.token } });
  t.is(get.headers.get('access-control-allow-origin'), null);
  const local = await fetch(`${listed.url}/healthz`, { headers: { Origin: 'http://localhost:5173' } });
  t.is(local.headers.get('access-control-allow-origin'), 'http://localhost:5173');
});

test('Socket.IO lets in the listed origins, the page’s own and apps without an Origin; refuses others', async (t) => {
  const user = makeUser();
  const host = new URL(listed.url).host;
  for (const headers of [{ origin: APP }, { origin: `https://${host}` }, {}] as Record<string, string>[]) {
    const s = await connect(listed.url, user.token, { extraHeaders: headers });
    t.true(s.connected, JSON.stringify(headers));
    s.close();
  }
  for (const transports of [['websocket'], ['polling']] as const) {
    const err = await t.throwsAsync(connect(listed.url, user.token, { extraHeaders: { origin: OTHER }, transports: [...transports] }));
    t.truthy(err, transports[0]);
  }
  // Development lets any origin in.
  const s = await connect(dev.url, user.token, { extraHeaders: { origin: OTHER } });
  t.true(s.connected);
  s.close();
});

test('the default origins: any in development, none but the page’s own in production', (t) => {
  t.true(originCheck({ production: false, CORS_ORIGINS: undefined })(OTHER));
  t.false(originCheck({ production: true, CORS_ORIGINS: undefined })(OTHER));
  t.false(originCheck({ production: true, CORS_ORIGINS: undefined })(APP));
  t.true(originCheck({ production: true, CORS_ORIGINS: '*' })(OTHER));
  t.true(originCheck({ production: true, CORS_ORIGINS: [APP] })(APP));
});

test('CORS_ORIGINS is parsed as * or a list of origins; anything else stops start-up naming it', (t) => {
  t.is(parseConfig({ CORS_ORIGINS: ' * ' }).CORS_ORIGINS, '*');
  t.deepEqual(parseConfig({ CORS_ORIGINS: `${APP},http://localhost:5173,` }).CORS_ORIGINS, [APP, 'http://localhost:5173']);
  for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'ftp://x.example']) {
    t.throws(() => parseConfig({ CORS_ORIGINS: bad }), { message: /^CORS_ORIGINS: / }, bad);
  }
});
