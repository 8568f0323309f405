// A web node SIGKILLed in the middle of a chat (two real web nodes on one Redis and one
// store): no acknowledged message is lost; the clients it served reconnect to the other node,
// resend what was never acknowledged (the same client_id, so nothing is stored twice) and
// catch up by `history` `after`; the surviving node keeps serving throughout.
import test from 'ava';
import { api } from '../helpers/app';
import { ChatSocket, ChatTraffic, LOAD, storedMessages, type Sent } from '../helpers/chat-traffic';
import { buildOrder } from '../helpers/factories';
import { closeAfter, startFleet, until, type WebNode } from '../helpers/fleet';

const { orders: ORDERS, sendEveryMs: SEND_EVERY_MS, perPhase: PER_PHASE } = LOAD;

const closeLater = closeAfter(test);

test('a web node SIGKILLed mid-chat: no acknowledged message lost, its clients move to the other node and catch up', async (t) => {
  t.timeout(180_000);
  const fleet = closeLater(await startFleet());
  const [a, b] = await Promise.all([fleet.startWeb('a'), fleet.startWeb('b')]);
  await fleet.adaptersSubscribed(2);
  t.log(`store: ${fleet.storeLabel}`);

  const open = async (label: string, o_id: string, user: { userID: string; token: string }, node: WebNode) => {
    const s = new ChatSocket(label, o_id, user);
    closeLater(s);
    await s.connect(node.name, node.url);
    return s;
  };
  const chats = await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const o = await buildOrder(api(b.url));
      // The buyer talks through node a (which dies), the seller through node b.
      const [buyer, seller] = await Promise.all([open(`buyer${i}`, o.o_id, o.buyer, a), open(`seller${i}`, o.o_id, o.expert, b)]);
      return { o_id: o.o_id, buyer, seller };
    }),
  );
  const traffic = new ChatTraffic();
  const everyChatHas = (phase: string) => () => chats.every((c) => traffic.acked((s) => s.phase === phase && s.o_id === c.o_id).length >= PER_PHASE);

  traffic.phase = 'both nodes';
  traffic.start(
    chats.flatMap((c) => [c.buyer, c.seller]),
    SEND_EVERY_MS,
  );
  await until(everyChatHas('both nodes'), 60_000, 'messages acknowledged before the kill');

  traffic.phase = 'a killed';
  await fleet.kill(a.child);
  await until(() => chats.every((c) => !c.buyer.connected), 20_000, "node a's sockets dropped");
  // What a client does when its node is gone: connect again (the router sends it to a live
  // node), resend every message it has no ack for, with the same client_id, and catch up.
  traffic.phase = 'moved';
  for (const c of chats) {
    await c.buyer.connect(b.name, b.url);
    const unacked = traffic.sent.filter((s) => s.o_id === c.o_id && s.node === 'a' && !s.ack && !traffic.acked((r) => r.client_id === s.client_id).length);
    await until(() => unacked.every((s) => s.error), 30_000, 'every send to node a answered or failed');
    for (const s of new Set(unacked.map((s) => s.client_id))) traffic.send(c.buyer, s);
  }
  await until(everyChatHas('moved'), 60_000, 'messages acknowledged after the move');
  traffic.stop();
  await until(() => traffic.outstanding().length === 0, 30_000, 'every send answered');

  // Only the node the test killed is gone: b never stopped serving.
  t.deepEqual(fleet.faults(), []);
  t.is((await api(b.url).get('/healthz')).status, 200);

  const acked = traffic.acked();
  const ackedIds = new Set(acked.map((s) => s.client_id));
  const lostInFlight = traffic.sent.filter((s) => s.error && !ackedIds.has(s.client_id));
  t.deepEqual(lostInFlight, [], 'every message was eventually acknowledged (resent after the move)');
  let stored = 0;
  let caughtUp = 0;
  for (const c of chats) {
    const messages = await storedMessages(c.seller);
    t.deepEqual(
      messages.map((m) => m.seq),
      messages.map((_, i) => i + 1),
    );
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    // Every acknowledged message is stored where its ack said, the killed node's included.
    const mine = acked.filter((s: Sent) => s.o_id === c.o_id);
    for (const s of mine) t.like(bySeq.get(s.ack!.seq), { msgid: s.ack!.msgid, content: `m ${s.client_id}` }, `${s.client_id} (${s.phase}, via ${s.node})`);
    // A resend of a stored message stores nothing: each client_id is stored once.
    const texts = messages.filter((m) => m.type === 'text').map((m) => m.content);
    t.is(new Set(texts).size, texts.length, 'no message stored twice');
    t.deepEqual(texts.sort(), [...new Set(mine.map((s) => `m ${s.client_id}`))].sort());
    stored += texts.length;
    // The moved client gets what it missed by `history` `after`; so does one that saw a hole in
    // the seqs (a message stored on node a, which died before pushing it; its resend pushes nothing).
    caughtUp += await c.buyer.catchUp();
    if (c.seller.hasGap()) caughtUp += await c.seller.catchUp();
    for (const r of [c.buyer, c.seller]) {
      const expected = messages.filter((m) => m.seq > r.startSeq).map((m) => m.msgid);
      t.deepEqual([...r.received.keys()].sort(), expected.sort(), `${r.label} has every message`);
    }
  }
  t.is(stored, ackedIds.size);
  const sentToA = traffic.sent.filter((s) => s.node === 'a');
  t.log(`sent ${traffic.sent.length} (${sentToA.length} to node a), acknowledged ${acked.length}, failed in the kill and resent ${traffic.sent.filter((s) => s.error).length}, stored ${stored}, caught up by history ${caughtUp}`);
  // The store the fleet leaves behind is whole: money, payments, refunds, seqs, unread counts.
  t.deepEqual(await fleet.invariantViolations(), [], 'npm run check-invariants on the shared store');
});
