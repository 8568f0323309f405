import test from 'ava';
import { SandboxPaymentProvider } from '../../src/payments/sandbox-provider.js';
import { ProviderError, type CreateChargeInput } from '../../src/payments/provider.js';

const input = (over: Partial<CreateChargeInput> = {}): CreateChargeInput => ({
  orderNo: 'o123',
  amount: 1500,
  channel: 'alipay',
  currency: 'cny',
  clientIp: '127.0.0.1',
  subject: '咨询订单',
  body: '专家咨询 30 分钟',
  metadata: { o_id: 'o123' },
  ...over,
});

test('createCharge returns an unpaid test-mode charge with the real shape', async (t) => {
  const p = new SandboxPaymentProvider({ appId: 'app_test', now: () => 1700000000 });
  const c = await p.createCharge(input());
  t.regex(c.id, /^ch_[A-Za-z0-9]{24}$/);
  t.like(c, {
    object: 'charge',
    livemode: false,
    paid: false,
    refunded: false,
    app: 'app_test',
    channel: 'alipay',
    order_no: 'o123',
    amount: 1500,
    currency: 'cny',
    time_paid: null,
    transaction_no: null,
    amount_refunded: 0,
    created: 1700000000,
    metadata: { o_id: 'o123' },
    refunds: { object: 'list', has_more: false, data: [] },
  });
  t.true('alipay' in c.credential && typeof c.credential.alipay.orderInfo === 'string');
  t.true('alipay' in c.credential && c.credential.alipay.orderInfo.includes('out_trade_no="o123"'));
});

test('wx charges carry a wx credential', async (t) => {
  const c = await new SandboxPaymentProvider().createCharge(input({ channel: 'wx' }));
  t.true('wx' in c.credential);
  if ('wx' in c.credential) {
    t.is(c.credential.wx.packageValue, 'Sign=WXPay');
    for (const k of ['appId', 'partnerId', 'prepayId', 'nonceStr', 'sign'] as const) t.truthy(c.credential.wx[k]);
  }
});

test('ids are distinct', async (t) => {
  const p = new SandboxPaymentProvider();
  const ids = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await p.createCharge(input())).id)));
  t.is(ids.size, 20);
});

test('input the real API refuses is refused with 400 and the param', async (t) => {
  const p = new SandboxPaymentProvider();
  for (const [over, param] of [
    [{ amount: 0 }, 'amount'],
    [{ amount: 1.5 }, 'amount'],
    [{ subject: 'x'.repeat(33) }, 'subject'],
    [{ channel: 'paypal' as never }, 'channel'],
    [{ orderNo: '' }, 'order_no'],
  ] as const) {
    const err = await t.throwsAsync(p.createCharge(input(over)), { instanceOf: ProviderError });
    t.is(err?.status, 400);
    t.is(err?.param, param);
  }
});

test('retrieveCharge of an unknown id throws ProviderError 404', async (t) => {
  const err = await t.throwsAsync(new SandboxPaymentProvider().retrieveCharge('ch_nope'), { instanceOf: ProviderError });
  t.is(err?.status, 404);
  t.is(err?.provider, 'sandbox');
});

test('confirmFromClient marks the charge paid, once', async (t) => {
  let now = 1700000000;
  const p = new SandboxPaymentProvider({ now: () => now });
  const c = await p.createCharge(input());
  now += 60;
  const paid = await p.confirmFromClient(c.id);
  t.true(paid.paid);
  t.is(paid.time_paid, 1700000060);
  t.truthy(paid.transaction_no);
  now += 60;
  const again = await p.confirmFromClient(c.id);
  t.is(again.time_paid, 1700000060);
  t.is(again.transaction_no, paid.transaction_no);
  t.true((await p.retrieveCharge(c.id)).paid);
});

test('returned charges are copies', async (t) => {
  const p = new SandboxPaymentProvider();
  const c = await p.createCharge(input());
  c.paid = true;
  t.false((await p.retrieveCharge(c.id)).paid);
});

test('refund needs a paid charge, then succeeds and marks the charge', async (t) => {
  const p = new SandboxPaymentProvider();
  const c = await p.createCharge(input());
  const unpaid = await t.throwsAsync(p.refund(c.id, { description: 'cancel' }), { instanceOf: ProviderError });
  t.is(unpaid?.status, 400);
  await p.confirmFromClient(c.id);

  const partial = await p.refund(c.id, { description: 'partial', amount: 500 });
  t.like(partial, { object: 'refund', amount: 500, status: 'succeeded', succeed: true, charge: c.id });
  t.regex(partial.id, /^re_/);
  let after = await p.retrieveCharge(c.id);
  t.is(after.amount_refunded, 500);
  t.true(after.refunded);

  const over = await t.throwsAsync(p.refund(c.id, { description: 'too much', amount: 1001 }), { instanceOf: ProviderError });
  t.is(over?.param, 'amount');
  const rest = await p.refund(c.id, { description: 'rest' });
  t.is(rest.amount, 1000);
  after = await p.retrieveCharge(c.id);
  t.is(after.amount_refunded, 1500);
  t.is(after.refunds.data.length, 2);
  await t.throwsAsync(p.refund(c.id, { description: 'again' }), { instanceOf: ProviderError });
});

test('refund without a description is refused', async (t) => {
  const p = new SandboxPaymentProvider();
  const c = await p.createCharge(input());
  await p.confirmFromClient(c.id);
  const err = await t.throwsAsync(p.refund(c.id, { description: '' }), { instanceOf: ProviderError });
  t.is(err?.param, 'description');
});
