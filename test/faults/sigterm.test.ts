// SIGTERM to a web node with requests in flight (two real web nodes on one Redis and one
// store, the payment provider slow): every request in flight completes with its answer, the
// chat messages it acknowledged are stored, the node exits 0, and the other node serves on.
import test from 'ava';
import { api } from '../helpers/app';
import { ChatSocket, ChatTraffic, storedMessages } from '../helpers/chat-traffic';
import { advance, buildOrder } from '../helpers/factories';
import { closeAfter, startFleet, until } from '../helpers/fleet';
import { within } from '../helpers/spawn';
import { startPingppFake } from '../fakes/pingpp-fake';

const IN_FLIGHT = 10;
const PRICE = 1900;

const closeLater = closeAfter(test);

test('SIGTERM with requests in flight: each completes, acknowledged messages are stored, exit 0', async (t) => {
  t.timeout(180_000);
  const fake = closeLater(await startPingppFake({ apiKey: 'sk_test_x', appId: 'app_x' }));
  const fleet = closeLater(await startFleet({ PAYMENT_PROVIDER: 'pingpp', PINGPP_API_KEY: 'sk_test_x', PINGPP_APP_ID: 'app_x', PINGPP_API_BASE: fake.url }));
  const [a, b] = await Promise.all([fleet.startWeb('a'), fleet.startWeb('b')]);
  await fleet.adaptersSubscribed(2);
  t.log(`store: ${fleet.storeLabel}`);
  const orders = await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      const o = await buildOrder(api(b.url), { price: PRICE });
      await advance(api(b.url), o, 'confirmed');
      return o;
    }),
  );

  // Chat through node a while it stops: its senders keep sending until their socket drops.
  const chats = await Promise.all(
    orders.slice(0, 4).map(async (o, i) => {
      const buyer = new ChatSocket(`buyer${i}@a`, o.o_id, o.buyer);
      const seller = new ChatSocket(`seller${i}@b`, o.o_id, o.expert);
      closeLater(buyer);
      closeLater(seller);
      await Promise.all([buyer.connect('a', a.url), seller.connect('b', b.url)]);
      return { o_id: o.o_id, buyer, seller };
    }),
  );
  const traffic = new ChatTraffic();
  traffic.start(
    chats.map((c) => c.buyer),
    40,
  );
  await until(() => traffic.acked().length >= 40, 60_000, 'chat under way');

  // A slow provider keeps every pay request in flight when the signal arrives.
  fake.setDelay(1500);
  let reached = 0;
  const allReached = new Promise<void>((resolve) => fake.onRequest((r) => r.path === '/v1/charges' && ++reached === IN_FLIGHT && resolve()));
  const pays = orders.map((o) => api(a.url).post(`/rest/order/${o.o_id}/pay`, { channel: 'alipay' }, o.buyer.token));
  await within(allReached, 30_000, 'every charge request reaching Ping++');
  fleet.expectExit(a.child);
  a.child.signal('SIGTERM');

  const answers = await within(Promise.all(pays), 20_000, 'the requests in flight');
  fake.setDelay(0);
  t.deepEqual(
    answers.map((r) => [r.status, r.body.code, r.body.charge?.amount]),
    orders.map(() => [200, 900, PRICE]),
  );
  t.is(await within(a.child.exited, 20_000, 'node a exiting'), 0, a.child.output().slice(-3000));
  await t.throwsAsync(fetch(a.url + '/healthz'), undefined, 'node a no longer accepts');

  traffic.stop();
  await until(() => traffic.outstanding().length === 0, 30_000, 'every send answered or failed');
  t.deepEqual(fleet.faults(), []);
  t.is((await api(b.url).get('/healthz')).status, 200);

  // Each payment the node answered is stored: once its charge is paid, node b finds it by pay_id and the order is paid.
  for (const [i, o] of orders.entries()) {
    fake.markPaid(answers[i].body.charge.id);
    const result = await api(b.url).post(`/rest/pay/${answers[i].body.pay_id}/result`, { status: 'success' }, o.buyer.token);
    t.like(result.body, { code: 900, paid: true }, o.o_id);
  }
  t.is(fake.charges.size, IN_FLIGHT, 'one charge per request');

  // Every chat message node a acknowledged is stored.
  const acked = traffic.acked();
  let stored = 0;
  for (const c of chats) {
    const texts = new Map((await storedMessages(c.seller)).filter((m) => m.type === 'text').map((m) => [m.msgid, m]));
    stored += texts.size;
    for (const s of acked.filter((s) => s.o_id === c.o_id)) t.like(texts.get(s.ack!.msgid), { seq: s.ack!.seq, content: `m ${s.client_id}` }, s.client_id);
  }
  // A message stored as its socket was dropped has no ack; its client resends it (same client_id).
  t.true(stored >= acked.length);
  t.log(`pay requests in flight ${IN_FLIGHT}, answered 900 ${answers.filter((r) => r.body.code === 900).length}; chat sent ${traffic.sent.length}, acknowledged ${acked.length}, stored ${stored} (${stored - acked.length} stored as their socket closed, unacknowledged)`);
  // The store the fleet leaves behind is whole: money, payments, refunds, seqs, unread counts.
  t.deepEqual(await fleet.invariantViolations(), [], 'npm run check-invariants on the shared store');
});
