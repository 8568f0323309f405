// The HTTP edge refuses cheaply before costly work: the token before the body, the JSON
// nesting before any parse, prototype keys by name; and its log lines carry no body, token,
// phone number or webhook token.
import test from 'ava';
import http from 'node:http';
import { createStore } from '../../src/db/store';
import { createLogger } from '../../src/log/logger';
import { makeUser, useApp, type TestUser } from '../helpers/app';
import { buildTopic } from '../helpers/factories';
import { within } from '../helpers/spawn';
import { watchStore, type WatchedStore } from '../helpers/store-watch';

const WEBHOOK_TOKEN = 'call-webhook-token-4f9d2a7c1e';
/** every line the app logged, as text */
let logged = '';
let watched: WatchedStore;
const t0 = useApp(test, { CALL_WEBHOOK_TOKEN: WEBHOOK_TOKEN }, async () => {
  watched = watchStore(await createStore({ dataDir: ':memory:' }));
  return { store: watched.store, log: createLogger('info', 'web', { write: (line: string) => void (logged += line) }) };
});
const c = t0.api;
const user: TestUser = makeUser();
const staff: TestUser = makeUser({ staff: true });

const topicBody = { title: 't', category: 'c', price: 100 };
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * Sends the headers of a POST with a body of `length` bytes and only `sent` of its bytes,
 * never the rest, and resolves with the answer the server gives meanwhile.
 */
function postNeverFinished(path: string, headers: Record<string, string>, length: number, sent: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${t0.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers } });
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body: JSON.parse(text) });
      });
    });
    req.once('error', reject);
    req.write(sent);
  });
}

test('no token: 902 before the body is read (the body never finishes arriving)', async (t) => {
  const res = await within(postNeverFinished('/rest/topic', {}, 100_000, '{"title":'), 20_000, 'an answer without the body');
  t.is(res.status, 401);
  t.like(res.body, { code: 902 });
});

test('a bad token: 902 before the body is read', async (t) => {
  const res = await within(postNeverFinished('/rest/topic', { auth: 'not-a-token' }, 100_000, '{"title":'), 20_000, 'an answer without the body');
  t.is(res.status, 401);
  t.like(res.body, { code: 902 });
});

test('no token and a malformed or hostile body: 902, not 901 or 500', async (t) => {
  for (const body of ['{"title": ', '{"__proto__": {"x": 1}}', deepArray(500_000)]) {
    const res = await c.post('/rest/topic', body);
    t.is(res.status, 401, body.slice(0, 20));
    t.is(res.body.code, 902);
  }
});

test('the admin API without a token answers 401 in its envelope, whatever the body', async (t) => {
  const cases: [string, string, string | undefined][] = [
    ['GET', '/v1/admin/systemmessages', undefined],
    ['GET', '/v1/admin/orders', undefined],
    ['POST', '/v1/admin/systemmessages', '{"key": "x", "__proto__": {"admin": true}}'],
    ['POST', '/v1/admin/systemmessages', '{"key": '],
    ['PUT', '/v1/admin/systemmessages/0123456789abcdef01234567', '{"constructor": {"prototype": {}}}'],
    ['POST', '/v1/admin/orders/0123456789abcdef01234567/cancel', deepArray(100)],
  ];
  for (const [method, path, body] of cases) {
    const res = await c.call(method, path, body);
    t.is(res.status, 401, `${method} ${path}`);
    t.deepEqual(res.body, { error: { code: 'unauthorized', message: 'auth: token required' } }, `${method} ${path}`);
  }
});

test('ten 500,000-deep arrays are each refused with 901 naming the nesting while /healthz answers', async (t) => {
  const deep = deepArray(500_000);
  const pending = new Set<Promise<unknown>>();
  const answers: { status: number; body: any }[] = [];
  for (let i = 0; i < 10; i++) {
    const p = c.post('/rest/topic', deep, user.token).then((r) => answers.push(r));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
  const health: number[] = [];
  do health.push((await fetch(`${t0.url}/healthz`)).status);
  while (pending.size);
  t.is(answers.length, 10);
  for (const a of answers) {
    t.is(a.status, 400);
    t.deepEqual(a.body, { code: 901, msg: 'body: nested deeper than 32 levels' });
  }
  t.true(health.length >= 1);
  t.deepEqual(health, health.map(() => 200));
});

test('nesting up to 32 levels is read; 33 is refused; brackets inside strings do not count', async (t) => {
  const nested = (depth: number) => `{"title":"t","category":"c","price":100,"extra":${deepArray(depth - 1)}}`;
  const ok = await c.post('/rest/topic', nested(32), user.token);
  t.is(ok.body.code, 900, JSON.stringify(ok.body));
  const deep = await c.post('/rest/topic', nested(33), user.token);
  t.is(deep.status, 400);
  t.deepEqual(deep.body, { code: 901, msg: 'body: nested deeper than 32 levels' });
  const inString = await c.post('/rest/topic', JSON.stringify({ ...topicBody, title: `"\\${'[{'.repeat(40)}` }), user.token);
  t.is(inString.body.code, 900, JSON.stringify(inString.body));
});

const PROTO_CASES: [string, string, string][] = [
  ['/rest/topic', '{"title":"t","category":"c","price":100,"__proto__":{"isAdmin":true}}', '__proto__'],
  ['/rest/topic', '{"title":"t","category":"c","price":100,"\\u005f_proto__":{}}', '__proto__'],
  ['/rest/topic', '{"title":"t","category":"c","price":100,"meta":{"constructor":{"prototype":{"x":1}}}}', 'meta.constructor'],
  ['/rest/topic', '{"title":"t","category":"c","price":100,"list":[{"a":1},{"prototype":1}]}', 'list.1.prototype'],
];
for (const [path, body, field] of PROTO_CASES) {
  // serial: the store's calls are watched while it runs alone
  test.serial(`a body with ${body.slice(body.lastIndexOf(',"') + 1)} is 901 naming ${field}, and the store sees no call`, async (t) => {
    watched.reset();
    const res = await c.post(path, body, user.token);
    t.is(res.status, 400);
    t.is(res.body.code, 901);
    t.true(res.body.msg.startsWith(`${field}: `), res.body.msg);
    t.deepEqual(watched.calls, []);
  });
}

test('the admin API refuses prototype keys too (400 invalid_input naming the key)', async (t) => {
  const res = await c.call('POST', '/v1/admin/systemmessages', '{"key":"k_x","buyer":"b","seller":"s","admin":"a","constructor":{}}', staff.token);
  t.is(res.status, 400);
  t.is(res.body.error.code, 'invalid_input');
  t.regex(res.body.error.message, /^constructor: /);
});

test('no log line carries a body, a token, a phone number or the call webhook token', async (t) => {
  const phone = '13812345678';
  const before = logged.length;
  // a refused body holding a phone number, a malformed one, and an accepted one
  await c.put('/rest/user/profile', `{"nick":"n","phone":"${phone}","__proto__":{}}`, user.token);
  await c.call('PUT', '/rest/user/profile', `{"nick":"n","phone":"${phone}",`, user.token);
  await c.put('/rest/user/profile', { nick: 'n', phone }, user.token);
  // a token in the header and in the query, and the webhook's token in its URL
  await c.get(`/rest/orders?token=${user.token}&auth=${user.token}`, user.token);
  const hook = await c.post(`/rest/webhooks/call?token=${WEBHOOK_TOKEN}`, { calledCdr: { callSid: 'x', duration: '1' } });
  t.not(hook.status, 401, 'the webhook token is right');
  await buildTopic(c, user);
  const lines = logged.slice(before);
  // the access log saw each request, the webhook's without its token
  t.regex(lines, /"url":"\/rest\/webhooks\/call\?token=\[Redacted\]"/);
  t.regex(lines, /"url":"\/rest\/user\/profile"/);
  for (const secret of [phone, user.token, WEBHOOK_TOKEN, '"nick"', 'isAdmin', '留学']) t.false(lines.includes(secret), secret);
});

test('the logger redacts bodies, tokens and phones attached to what is logged', (t) => {
  let out = '';
  const log = createLogger('info', 'web', { write: (line: string) => void (out += line) });
  log.error({ err: Object.assign(new Error('parse failed'), { body: '{"phone":"13900001111"}' }) }, 'unexpected error');
  log.info({ url: '/rest/webhooks/call?a=1&token=s3cr3t-value&b=2', headers: { auth: 'eyJtoken', authorization: 'Bearer eyJother' }, user: { phone: '13900002222', token: 'tok-123' } }, 'x');
  t.regex(out, /unexpected error/);
  t.regex(out, /\/rest\/webhooks\/call\?a=1&token=\[Redacted\]&b=2/);
  for (const secret of ['13900001111', '13900002222', 's3cr3t-value', 'eyJtoken', 'eyJother', 'tok-123']) t.false(out.includes(secret), secret);
});
