// GET /healthz (README.md, "Health"): 200 when the store answers, 503 naming what did not.
import test from 'ava';
import { api, createTestStore, startApp, TEST_ENGINE } from '../helpers/app';

test('200 with the engine and each check', async (t) => {
  const t0 = await startApp();
  try {
    const res = await api(t0.url).get('/healthz');
    t.is(res.status, 200);
    t.deepEqual(res.body, { status: 'ok', engine: TEST_ENGINE, checks: { store: 'ok' } });
  } finally {
    await t0.close();
  }
});

test('503 naming the store when it does not answer', async (t) => {
  const store = await createTestStore();
  const broken = Object.assign(Object.create(Object.getPrototypeOf(store)), store, {
    ping: async () => {
      throw new Error('store is down');
    },
  });
  const t0 = await startApp({}, { store: broken });
  try {
    const res = await api(t0.url).get('/healthz');
    t.is(res.status, 503);
    t.is(res.body.status, 'unavailable');
    t.is(res.body.checks.store, 'store is down');
  } finally {
    await t0.close();
  }
});
