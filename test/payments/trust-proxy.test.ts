// TRUST_PROXY: the client IP given to the payment provider is the peer's address unless the
// operator says a proxy in front sets X-Forwarded-For.
import test from 'ava';
import { api, startApp, type TestApp } from '../helpers/app';
import { advance, buildOrder } from '../helpers/factories';

let direct: TestApp; // TRUST_PROXY unset
let proxied: TestApp; // TRUST_PROXY=true
test.before(async () => {
  [direct, proxied] = await Promise.all([startApp(), startApp({ TRUST_PROXY: 'true' })]);
});
test.after.always(() => Promise.all([direct?.close(), proxied?.close()]));

async function chargeIp(app: TestApp, headers: Record<string, string>) {
  const c = api(app.url);
  const o = await buildOrder(c);
  await advance(c, o, 'confirmed');
  const res = await c.post(`/rest/order/${o.o_id}/pay`, { channel: 'alipay' }, o.buyer.token, headers);
  if (res.body.code !== 900) throw new Error(`pay failed: ${JSON.stringify(res.body)}`);
  return res.body.charge.client_ip as string;
}

const FORWARDED = { 'x-forwarded-for': '203.0.113.7, 10.0.0.2', 'x-forwarded-proto': 'https' };

test('without TRUST_PROXY, X-Forwarded-For is ignored: the provider gets the peer address', async (t) => {
  t.is(await chargeIp(direct, FORWARDED), '127.0.0.1');
});

test('with TRUST_PROXY=true, the provider gets the client address X-Forwarded-For names', async (t) => {
  t.is(await chargeIp(proxied, FORWARDED), '203.0.113.7');
  t.is(await chargeIp(proxied, {}), '127.0.0.1');
});
