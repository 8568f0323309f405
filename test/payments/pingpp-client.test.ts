import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { PingppClient } from '../../src/payments/pingpp-client.js';
import { ProviderError, type CreateChargeInput } from '../../src/payments/provider.js';
import { startPingppFake, type PingppFake } from '../fakes/pingpp-fake.js';

const API_KEY = 'sk_test_ibbTe5jLGCi5rzfH4OqPW9KC';
const APP_ID = 'app_1Gqj58ynP0mHeX1q';
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof merchant.privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const merchantPub = merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const input: CreateChargeInput = {
  orderNo: 'o5f1c2b3a4d5e6f708192a3b4',
  amount: 990,
  channel: 'wx',
  currency: 'cny',
  clientIp: '10.0.0.8',
  subject: '咨询订单',
  body: '一小时语音咨询',
  metadata: { o_id: 'o5f1c2b3a4d5e6f708192a3b4' },
  timeExpire: 1900000000,
};

const fakes: PingppFake[] = [];
async function fake(merchantPublicKeyPem?: string): Promise<PingppFake> {
  const f = await startPingppFake({ apiKey: API_KEY, appId: APP_ID, merchantPublicKeyPem });
  fakes.push(f);
  return f;
}
test.after.always(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

test('createCharge posts the documented JSON with Bearer auth and returns the charge', async (t) => {
  const f = await fake();
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url, apiVersion: '2017-06-14' });
  const charge = await client.createCharge(input);

  t.regex(charge.id, /^ch_[A-Za-z0-9]{24}$/);
  t.like(charge, { object: 'charge', paid: false, app: APP_ID, channel: 'wx', amount: 990, order_no: input.orderNo, time_expire: 1900000000 });
  t.true('wx' in charge.credential);
  t.true(f.charges.has(charge.id));

  const req = f.requests.at(-1)!;
  t.is(req.method, 'POST');
  t.is(req.path, '/v1/charges');
  t.is(req.headers.authorization, `Bearer ${API_KEY}`);
  t.is(req.headers['content-type'], 'application/json;charset=UTF-8');
  t.is(req.headers['pingplusplus-version'], '2017-06-14');
  t.is(req.headers['pingplusplus-signature'], undefined);
  t.deepEqual(JSON.parse(req.body), {
    order_no: input.orderNo,
    app: { id: APP_ID },
    channel: 'wx',
    amount: 990,
    client_ip: '10.0.0.8',
    currency: 'cny',
    subject: '咨询订单',
    body: '一小时语音咨询',
    metadata: { o_id: input.orderNo },
    time_expire: 1900000000,
  });
});

test('retrieveCharge reflects payment; refund refunds', async (t) => {
  const f = await fake();
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url });
  const { id } = await client.createCharge({ ...input, channel: 'alipay' });
  t.false((await client.retrieveCharge(id)).paid);

  f.markPaid(id);
  const paid = await client.retrieveCharge(id);
  t.true(paid.paid);
  t.is(typeof paid.time_paid, 'number');
  t.is(f.requests.at(-1)!.method, 'GET');
  t.is(f.requests.at(-1)!.path, `/v1/charges/${id}`);

  const refund = await client.refund(id, { description: '客服取消订单' });
  t.like(refund, { object: 'refund', charge: id, amount: 990, status: 'succeeded' });
  t.deepEqual(JSON.parse(f.requests.at(-1)!.body), { description: '客服取消订单' });
  t.is(f.requests.at(-1)!.path, `/v1/charges/${id}/refunds`);
  const after = await client.retrieveCharge(id);
  t.true(after.refunded);
  t.is(after.amount_refunded, 990);
});

test('a wrong API key gives ProviderError with status 401', async (t) => {
  const f = await fake();
  const client = new PingppClient({ apiKey: 'sk_test_wrong', appId: APP_ID, baseUrl: f.url });
  const err = await t.throwsAsync(client.createCharge(input), { instanceOf: ProviderError });
  t.is(err?.status, 401);
  t.is(err?.provider, 'pingpp');
  t.is(err?.providerCode, 'invalid_request_error');
  t.is(f.charges.size, 0);
});

test('a field the API refuses gives 400 with the param', async (t) => {
  const f = await fake();
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url });
  const err = await t.throwsAsync(client.createCharge({ ...input, amount: -1 }), { instanceOf: ProviderError });
  t.is(err?.status, 400);
  t.is(err?.param, 'amount');
  const wrongApp = new PingppClient({ apiKey: API_KEY, appId: 'app_other', baseUrl: f.url });
  t.is((await t.throwsAsync(wrongApp.createCharge(input), { instanceOf: ProviderError }))?.param, 'app');
});

test('an unknown charge gives 404; refunding an unpaid charge gives 400', async (t) => {
  const f = await fake();
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url });
  t.is((await t.throwsAsync(client.retrieveCharge('ch_missing'), { instanceOf: ProviderError }))?.status, 404);
  const { id } = await client.createCharge(input);
  t.is((await t.throwsAsync(client.refund(id, { description: 'x' }), { instanceOf: ProviderError }))?.status, 400);
});

test('with a private key every request is signed over body + URI + timestamp, and the fake accepts it', async (t) => {
  const f = await fake(merchantPub);
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url, privateKeyPem: pem(merchant.privateKey), now: () => 1700000123 });
  const { id } = await client.createCharge(input);
  await client.retrieveCharge(id);

  for (const req of f.requests) {
    t.is(req.headers['pingplusplus-request-timestamp'], '1700000123');
    const sig = req.headers['pingplusplus-signature'] as string;
    const signed = createVerify('RSA-SHA256').update(`${req.body}${req.path}1700000123`).verify(merchant.publicKey, sig, 'base64');
    t.true(signed, `${req.method} ${req.path}`);
  }
  t.is(f.requests[1]!.body, ''); // GET signs an empty body
});

test('a signature by another key, or none, is refused with 401', async (t) => {
  const f = await fake(merchantPub);
  const wrongKey = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url, privateKeyPem: pem(stranger.privateKey) });
  t.is((await t.throwsAsync(wrongKey.createCharge(input), { instanceOf: ProviderError }))?.status, 401);
  const unsigned = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url });
  t.is((await t.throwsAsync(unsigned.createCharge(input), { instanceOf: ProviderError }))?.status, 401);
  t.is(f.charges.size, 0);
});

test('a slow provider times out as ProviderError without a status', async (t) => {
  const f = await fake();
  f.setDelay(500);
  const client = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: f.url, timeoutMs: 100 });
  const err = await t.throwsAsync(client.retrieveCharge('ch_x'), { instanceOf: ProviderError });
  t.is(err?.status, undefined);
  t.is(err?.providerCode, 'timeout');
});

test('an unreachable provider and a non-JSON answer are ProviderErrors', async (t) => {
  const srv = createServer((_req, res) => res.end('<html>bad gateway</html>'));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  const html = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: url });
  t.is((await t.throwsAsync(html.retrieveCharge('ch_x'), { instanceOf: ProviderError }))?.providerCode, 'bad_response');
  srv.closeAllConnections();
  await new Promise<void>((r) => srv.close(() => r()));

  // The same port once closed: nothing listens there.
  const down = new PingppClient({ apiKey: API_KEY, appId: APP_ID, baseUrl: url });
  const err = await t.throwsAsync(down.retrieveCharge('ch_x'), { instanceOf: ProviderError });
  t.is(err?.providerCode, 'network');
});
