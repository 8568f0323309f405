// Redis SIGKILLed and started again in the middle of a chat at about 200 messages a second,
// sent to two web nodes (and a clock beside them), every process a real one over one store:
// no process exits or logs an unhandled rejection; every message sent is acknowledged and
// stored; sockets on each node keep getting the messages sent to their node; /healthz says
// 503 naming Redis while it is away and REST keeps working; the clock takes no sweep lock
// then; once Redis is back, cross-node delivery resumes within 5 s without a restart, and
// `history` `after` gives every socket every message it missed.
import test from 'ava';
import { api } from '../helpers/app';
import { ChatSocket, ChatTraffic, LOAD, storedMessages, type Sent } from '../helpers/chat-traffic';
import { buildOrder } from '../helpers/factories';
import { closeAfter, startFleet, until, type WebNode } from '../helpers/fleet';

const { orders: ORDERS, sendEveryMs: SEND_EVERY_MS, perPhase: PER_PHASE } = LOAD;

const closeLater = closeAfter(test);

interface OrderChat {
  o_id: string;
  /** buyer and seller, each with one socket on each node */
  onA: ChatSocket[];
  onB: ChatSocket[];
  senderA: ChatSocket;
  senderB: ChatSocket;
}

async function openChat(a: WebNode, b: WebNode, i: number): Promise<OrderChat> {
  const o = await buildOrder(api(a.url));
  const party = async (label: string, user: typeof o.buyer, node: WebNode) => {
    const s = new ChatSocket(`${label}${i}@${node.name}`, o.o_id, user);
    closeLater(s);
    await s.connect(node.name, node.url);
    return s;
  };
  const [buyerA, sellerA, buyerB, sellerB] = await Promise.all([party('buyer', o.buyer, a), party('seller', o.expert, a), party('buyer', o.buyer, b), party('seller', o.expert, b)]);
  return { o_id: o.o_id, onA: [buyerA, sellerA], onB: [buyerB, sellerB], senderA: buyerA, senderB: sellerB };
}

const health = async (node: WebNode) => api(node.url).get('/healthz');

test('Redis restarted mid-chat: nothing exits, every ack is stored, delivery resumes, history catches up', async (t) => {
  t.timeout(180_000);
  const fleet = closeLater(await startFleet({ CRON_SCHEDULE: '* * * * * *' }));
  const [a, b] = await Promise.all([fleet.startWeb('a'), fleet.startWeb('b')]);
  const clock = await fleet.startClock('clock');
  await fleet.adaptersSubscribed(2);
  t.log(`store: ${fleet.storeLabel}`);

  const chats = await Promise.all(Array.from({ length: ORDERS }, (_, i) => openChat(a, b, i)));
  const traffic = new ChatTraffic();
  const ackedIn = (phase: string, chat: OrderChat) => traffic.acked((s) => s.phase === phase && s.o_id === chat.o_id).length;
  const everyChatHas = (phase: string) => () => chats.every((c) => ackedIn(phase, c) >= PER_PHASE);
  /** A message sent to one node in `phase` has reached the sockets of each order on the other node. */
  const crossedIn = (phase: string) => () =>
    chats.every((c) => {
      const fromA = traffic.acked((s) => s.phase === phase && s.o_id === c.o_id && s.node === 'a');
      const fromB = traffic.acked((s) => s.phase === phase && s.o_id === c.o_id && s.node === 'b');
      return c.onB.every((r) => fromA.some((s) => r.received.has(s.ack!.msgid))) && c.onA.every((r) => fromB.some((s) => r.received.has(s.ack!.msgid)));
    });

  traffic.phase = 'redis up';
  traffic.start(
    chats.flatMap((c) => [c.senderA, c.senderB]),
    SEND_EVERY_MS,
  );
  await until(everyChatHas('redis up'), 60_000, 'messages acknowledged before the outage');
  await until(crossedIn('redis up'), 10_000, 'cross-node delivery before the outage');

  // Redis dies as a crashed server does: no goodbye to its clients.
  traffic.phase = 'redis down';
  await fleet.redis.stop('SIGKILL');
  await until(everyChatHas('redis down'), 60_000, 'messages acknowledged while Redis is down');
  // /healthz names Redis; REST answers from the store meanwhile.
  await until(async () => (await health(a)).status === 503 && (await health(b)).status === 503, 20_000, '/healthz 503 on both nodes');
  const down = await health(b);
  t.is(down.body.status, 'unavailable');
  t.regex(down.body.checks.redis, /^not connected \((reconnecting|close|end)\)$|max retries|no answer in/i);
  t.is(down.body.checks.store, 'ok');
  const rest = await api(b.url).get(`/rest/order/${chats[0].o_id}`, chats[0].senderA.user.token);
  t.is(rest.status, 200);
  t.is(rest.body.code, 900);
  // The clock's sweeps find no lock while Redis is away, and it does not sweep without one.
  await clock.waitForLog((l) => l.msg?.startsWith('sweep skipped: the lock cannot be taken'), 20_000);

  traffic.phase = 'redis back';
  await fleet.redis.start();
  // The requirement: cross-node fan-out within 5 s of Redis coming back, without a restart.
  await until(crossedIn('redis back'), 5_000, 'cross-node delivery after Redis returned');
  traffic.phase = 'resumed';
  await until(everyChatHas('resumed'), 60_000, 'messages acknowledged after the fan-out resumed');
  traffic.stop();
  await until(() => traffic.outstanding().length === 0, 30_000, 'every send answered');
  await until(async () => (await health(a)).status === 200 && (await health(b)).status === 200, 20_000, '/healthz 200 again');

  // Nothing crashed, nothing threw unhandled, anywhere.
  t.deepEqual(fleet.faults(), []);

  // Every message sent was acknowledged, outage or not.
  const failed = traffic.sent.filter((s) => s.error);
  t.deepEqual(failed, [], 'every send acknowledged with code 900');
  const acked = traffic.acked();
  t.is(acked.length, traffic.sent.length);

  let stored = 0;
  const delivered: Record<string, number> = {};
  const count = (phase: string) => (delivered[phase] = (delivered[phase] ?? 0) + 1);
  for (const c of chats) {
    const sentHere = acked.filter((s) => s.o_id === c.o_id);
    // Every acknowledged message is stored, once, at the seq its ack gave, and seqs have no gaps.
    const messages = await storedMessages(c.senderA);
    t.deepEqual(
      messages.map((m) => m.seq),
      messages.map((_, i) => i + 1),
    );
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    for (const s of sentHere) t.like(bySeq.get(s.ack!.seq), { msgid: s.ack!.msgid, content: `m ${s.client_id}` }, s.client_id);
    const texts = messages.filter((m) => m.type === 'text');
    t.is(texts.length, sentHere.length);
    stored += texts.length;

    const sockets = [...c.onA, ...c.onB];
    const sameNode = (s: Sent) => (s.node === 'a' ? c.onA : c.onB);
    for (const s of sentHere) {
      // Sockets on the sender's node get every message, Redis or not.
      for (const r of sameNode(s)) t.true(r.received.has(s.ack!.msgid), `${s.client_id} (${s.phase}) reached ${r.label}`);
      // Before the outage and once fan-out resumed, every socket on every node gets it.
      if (s.ackPhase === 'redis up' || s.phase === 'resumed') {
        for (const r of sockets) if (!r.received.has(s.ack!.msgid)) await until(() => r.received.has(s.ack!.msgid), 10_000, `${s.client_id} (${s.phase}) reaching ${r.label}`);
      }
      for (const r of sockets) if (r.received.has(s.ack!.msgid)) count(s.phase);
    }
    // What a socket missed while Redis was away it gets by `history` `after` its last contiguous seq.
    for (const r of sockets) {
      await r.catchUp();
      const expected = messages.filter((m) => m.seq > r.startSeq).map((m) => m.msgid);
      t.deepEqual([...r.received.keys()].sort(), expected.sort(), `${r.label} caught up`);
    }
  }
  t.is(stored, acked.length);
  const phases = ['redis up', 'closing', 'redis down', 'redis back', 'resumed'];
  t.log(`sent ${traffic.sent.length}, acknowledged ${acked.length}, stored ${stored}`);
  for (const p of phases) t.log(`${p}: sent ${traffic.sent.filter((s) => s.phase === p).length}, pushes received ${delivered[p] ?? 0} (of ${acked.filter((s) => s.phase === p).length * 4} possible)`);
  // The store the fleet leaves behind is whole: money, payments, refunds, seqs, unread counts.
  t.deepEqual(await fleet.invariantViolations(), [], 'npm run check-invariants on the shared store');
});
