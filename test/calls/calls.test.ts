// Calls through the endpoints: the simulated provider with its pushes over real Socket.IO,
// and the Cloopen client against the local fake with its hang-up record webhook.
import test from 'ava';
import type { Socket } from 'socket.io-client';
import { api, makeUser, startApp, type TestApp, type TestUser } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';
import { recordEvents } from '../helpers/money';
import { closeAll, collect, connect } from '../helpers/socket';
import { startCloopenFake, type CloopenFake } from '../fakes/cloopen-fake';

const TOKEN = 'hook-token-0123456789';
let sim: TestApp; // simulated, calls end after 300 ms
let slow: TestApp; // simulated, calls never end during a test
let cloopen: TestApp;
let fake: CloopenFake;
const sockets: Socket[] = [];

test.before(async () => {
  fake = await startCloopenFake({ subAccountSid: 'sub_sid', subAccountToken: 'sub_token' });
  sim = await startApp({ CALL_SIM_MS: '300' });
  slow = await startApp({ CALL_SIM_MS: '600000' });
  cloopen = await startApp({
    CALL_PROVIDER: 'cloopen',
    CLOOPEN_ACCOUNT_SID: 'acc_sid',
    CLOOPEN_AUTH_TOKEN: 'acc_token',
    CLOOPEN_SUBACCOUNT_SID: 'sub_sid',
    CLOOPEN_SUBACCOUNT_TOKEN: 'sub_token',
    CLOOPEN_APP_ID: 'app_1',
    CLOOPEN_API_BASE: fake.url,
    CALL_WEBHOOK_TOKEN: TOKEN,
    PUBLIC_URL: 'https://orders.example.com',
  });
});
test.after.always(async () => {
  closeAll(sockets);
  await Promise.all([sim?.close(), slow?.close(), cloopen?.close()]);
  await fake?.close();
});

async function paidOrder(app: TestApp) {
  const c = api(app.url);
  const o = await buildOrder(c);
  await advance(c, o, 'paid');
  return o;
}

const setPhone = (app: TestApp, u: TestUser, phone: string) => api(app.url).put('/rest/user/profile', { nick: 'n', phone }, u.token);

test('a simulated call: calling then finished, pushed to both parties, posted to the chat', async (t) => {
  const c = api(sim.url);
  const o = await paidOrder(sim);
  const [buyer, seller] = await Promise.all([connect(sim.url, o.buyer.token), connect(sim.url, o.expert.token)]);
  sockets.push(buyer, seller);
  const calls = { buyer: collect(buyer, 'call'), seller: collect(seller, 'call') };
  const messages = collect(buyer, 'message');
  const ev = recordEvents(sim.app);

  const res = await c.post(`/rest/order/${o.o_id}/call`, {}, o.expert.token);
  t.is(res.body.code, 900);
  t.regex(res.body.callSid, /^[0-9a-f]{32}$/);
  const { callSid } = res.body;
  for (const s of Object.values(calls)) {
    t.deepEqual(await s.waitFor((p) => p.status === 'calling'), { o_id: o.o_id, callSid, status: 'calling' });
    t.deepEqual(await s.waitFor((p) => p.status === 'finished'), { o_id: o.o_id, callSid, status: 'finished' });
    t.deepEqual(s.items.map((p) => p.status), ['calling', 'finished'], 'each change once, in order');
  }
  await messages.waitFor((m) => m.content === 'call_finished');
  t.deepEqual(messages.items.filter((m) => m.type === 'system').map((m) => m.content), ['call_started', 'call_finished']);
  t.deepEqual(ev.of(o.o_id, 'call_started').map((e) => e.data), [{ callSid }]);
  t.like(ev.of(o.o_id, 'call_finished')[0].data, { callSid, status: 'finished' });

  const info = (await c.get(`/rest/order/${o.o_id}`, o.buyer.token)).body.info;
  t.true(info.called);
  for (const who of [o.buyer, o.expert, makeUser({ staff: true })]) {
    const got = await c.get(`/rest/call/${callSid}`, who.token);
    t.like(got.body, { code: 900, status: 'finished', callSid, o_id: o.o_id, from: o.expert.userID, to: o.buyer.userID });
    t.true(got.body.duration > 0);
  }
  t.is((await c.get(`/rest/call/${callSid}`, makeUser().token)).body.code, 903);
});

test('a call that ends at once (CALL_SIM_MS=0) still reports calling before finished, each once', async (t) => {
  const fast = await startApp({ CALL_SIM_MS: '0' });
  t.teardown(() => fast.close());
  const o = await paidOrder(fast);
  const seller = await connect(fast.url, o.expert.token);
  sockets.push(seller);
  const seen = collect(seller, 'call');
  const { callSid } = (await api(fast.url).post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token)).body;
  await seen.waitFor((p) => p.status === 'finished');
  t.deepEqual(seen.items, [
    { o_id: o.o_id, callSid, status: 'calling' },
    { o_id: o.o_id, callSid, status: 'finished' },
  ]);
  t.is((await api(fast.url).get(`/rest/call/${callSid}`, o.buyer.token)).body.status, 'finished');
});

test('calls need a paid order and a party', async (t) => {
  const c = api(slow.url);
  const o = await buildOrder(c);
  await advance(c, o, 'confirmed');
  t.is((await c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token)).body.code, 905);
  await c.post(`/rest/order/${o.o_id}/pay`, {}, o.buyer.token).then((r) => c.post(`/rest/pay/${r.body.pay_id}/result`, { status: 'success' }, o.buyer.token));
  for (const who of [makeUser(), makeUser({ staff: true })]) {
    const res = await c.post(`/rest/order/${o.o_id}/call`, {}, who.token);
    t.is(res.status, 403);
    t.is(res.body.code, 903);
  }
  t.is((await c.get('/rest/call/ffffffffffffffffffffffffffffffff', o.buyer.token)).body.code, 904);
  t.is((await c.get('/rest/call/bad!sid', o.buyer.token)).body.code, 901);
  t.false((await slow.app.store.orders.get(o.o_id))!.called);
});

test('one call at a time per order', async (t) => {
  const c = api(slow.url);
  const o = await paidOrder(slow);
  const res = await Promise.all([c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token), c.post(`/rest/order/${o.o_id}/call`, {}, o.expert.token)]);
  t.deepEqual(res.map((r) => r.body.code).sort(), [900, 906]);
  const callSid = res.find((r) => r.body.code === 900)!.body.callSid;
  t.is((await c.get(`/rest/call/${callSid}`, o.buyer.token)).body.status, 'calling');
});

test('cloopen: a party without a phone is 901 naming the field', async (t) => {
  const c = api(cloopen.url);
  const o = await paidOrder(cloopen);
  await setPhone(cloopen, o.buyer, '13800000001');
  const res = await c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token);
  t.is(res.status, 400);
  t.is(res.body.code, 901);
  t.regex(res.body.msg, /^phone: the seller has no phone/);
  t.false((await cloopen.app.store.orders.get(o.o_id))!.called);
});

test('cloopen: a callback call, then the hang-up record finishes it once', async (t) => {
  const c = api(cloopen.url);
  const o = await paidOrder(cloopen);
  await setPhone(cloopen, o.buyer, '13800000001');
  await setPhone(cloopen, o.expert, '13900000002');
  const ev = recordEvents(cloopen.app);
  const res = await c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token);
  t.is(res.body.code, 900);
  const { callSid } = res.body;
  const sent = fake.calls.get(callSid)!;
  t.like(sent.body, { from: '13800000001', to: '13900000002' });
  const hook = new URL(String(sent.body.hangupCdrUrl));
  t.is(hook.origin + hook.pathname, 'https://orders.example.com/rest/webhooks/call');
  t.is(hook.searchParams.get('token'), TOKEN);
  t.is((await c.get(`/rest/call/${callSid}`, o.expert.token)).body.status, 'calling');
  t.true((await cloopen.app.store.orders.get(o.o_id))!.called);

  const cdr = fake.cdrFor(callSid, 42);
  const post = (query: string, headers: Record<string, string> = {}) => api(cloopen.url).post(`/rest/webhooks/call${query}`, cdr, undefined, headers);
  for (const [why, r] of [
    ['no token', await post('')],
    ['wrong token', await post('?token=nope')],
    ['wrong header', await post('', { 'x-webhook-token': 'nope' })],
  ] as const) {
    t.is(r.status, 401, why);
    t.is(r.body.code, 902, why);
  }
  t.is((await c.get(`/rest/call/${callSid}`, o.expert.token)).body.status, 'calling');

  t.deepEqual((await post(`?token=${TOKEN}`)).body, { code: 900, changed: true });
  t.deepEqual((await post('', { 'x-webhook-token': TOKEN })).body, { code: 900, changed: false }, 'a repeated record changes nothing');
  t.like((await c.get(`/rest/call/${callSid}`, o.buyer.token)).body, { code: 900, status: 'finished', duration: 42 });
  t.is(ev.of(o.o_id, 'call_finished').length, 1);

  const bad = await api(cloopen.url).post(`/rest/webhooks/call?token=${TOKEN}`, { hello: 1 });
  t.is(bad.status, 400);
  t.is(bad.body.code, 901);
});

test('cloopen: a record with no talk time ends the call as no_answer', async (t) => {
  const c = api(cloopen.url);
  const o = await paidOrder(cloopen);
  await setPhone(cloopen, o.buyer, '13800000003');
  await setPhone(cloopen, o.expert, '13900000004');
  const { callSid } = (await c.post(`/rest/order/${o.o_id}/call`, {}, o.expert.token)).body;
  await api(cloopen.url).post(`/rest/webhooks/call?token=${TOKEN}`, fake.cdrFor(callSid, 0));
  t.like((await c.get(`/rest/call/${callSid}`, o.buyer.token)).body, { status: 'no_answer', duration: 0 });
  // The order may be called again.
  t.is((await c.post(`/rest/order/${o.o_id}/call`, {}, o.expert.token)).body.code, 900);
});

test.serial('cloopen: a busy or failing provider is 908 and frees the order for another try', async (t) => {
  const c = api(cloopen.url);
  const o = await paidOrder(cloopen);
  await setPhone(cloopen, o.buyer, '13800000005');
  await setPhone(cloopen, o.expert, '13900000006');
  fake.setBusy(true);
  try {
    const res = await c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token);
    t.is(res.status, 502);
    t.is(res.body.code, 908);
    t.regex(res.body.msg, /busy/);
  } finally {
    fake.setBusy(false);
  }
  t.is((await c.post(`/rest/order/${o.o_id}/call`, {}, o.buyer.token)).body.code, 900);
});

test('without CALL_WEBHOOK_TOKEN every call callback is refused', async (t) => {
  const res = await api(sim.url).post('/rest/webhooks/call?token=anything', { calledCdr: { callSid: 'x', duration: '1' } }, undefined, { 'x-webhook-token': 'anything' });
  t.is(res.status, 401);
  t.is(res.body.code, 902);
});
