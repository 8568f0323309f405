// The two envelopes (docs/errors.md): unknown paths, and unexpected errors answered as 999
// without their details.
import test from 'ava';
import { createStore } from '../../src/db/store';
import { makeUser, useApp } from '../helpers/app';

const t0 = useApp(test, {}, async () => {
  const store = await createStore({ dataDir: ':memory:' });
  // A store that fails in an unexpected way on its reads of the order lists.
  const fail = async () => {
    throw new Error('disk on fire at /var/secret/path');
  };
  store.orders.list = fail;
  store.orders.adminList = fail;
  return { store };
});
const c = t0.api;

test('an unexpected error is 500/999 and the body hides the details', async (t) => {
  const res = await c.get('/rest/orders', makeUser().token);
  t.is(res.status, 500);
  t.deepEqual(res.body, { code: 999, msg: 'internal error' });
});

test('the admin API hides them too', async (t) => {
  const res = await c.get('/v1/admin/orders', makeUser({ staff: true }).token);
  t.is(res.status, 500);
  t.is(res.body.error.code, 'internal_error');
  t.notRegex(JSON.stringify(res.body), /secret|fire/);
});

test('an unknown /rest path is 404/904 in the REST envelope, whoever asks', async (t) => {
  for (const token of [undefined, makeUser().token]) {
    const res = await c.get('/rest/no/such/thing', token);
    t.is(res.status, 404);
    t.is(res.body.code, 904);
    t.regex(res.body.msg, /^path/);
  }
  const wrongMethod = await c.call('DELETE', '/rest/orders', undefined, makeUser().token);
  t.is(wrongMethod.status, 404);
  t.is(wrongMethod.body.code, 904);
});

test('each router answers only the paths under its prefix: /restx and /v1/adminx are no endpoints; /healthz is neither router’s', async (t) => {
  for (const path of ['/restx/orders', '/rest', '/v1/adminx/orders', '/nothing']) {
    const res = await c.get(path, makeUser({ staff: true }).token);
    t.is(res.status, 404, path);
  }
  const admin = await c.get('/v1/admin/systemmessages', makeUser({ staff: true }).token);
  t.is(admin.status, 200);
  t.true(Array.isArray(admin.body.data.list));
  const health = await c.get('/healthz');
  t.is(health.status, 200);
  t.is(health.body.status, 'ok');
  const rest = await c.get('/rest/order/unreadnum', makeUser().token);
  t.is(rest.status, 200);
  t.is(rest.body.code, 900);
});
