// Sending: idempotent resends, who may write in which status, content limits, and history
// paging by seq (catching up after a disconnect).
import test from 'ava';
import { useChatApp } from '../helpers/chat';
import { buildOrder } from '../helpers/factories';
import { orderIn } from '../helpers/orders';
import { collect, emitAck } from '../helpers/socket';

const { app: t0, open, chatOrder } = useChatApp(test);

test('a resend with the same client_id stores nothing new and acks the original', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  const pushed = collect(seller, 'message');
  const first = await emitAck(buyer, 'message', { o_id: o.o_id, content: '第一条', client_id: 'c-1' });
  const again = await emitAck(buyer, 'message', { o_id: o.o_id, content: '第一条', client_id: 'c-1' });
  t.is(again.code, 900);
  t.deepEqual(again.message.msgid, first.message.msgid);
  t.is(again.message.seq, first.message.seq);
  // The same client_id from the other party is another message.
  const other = await emitAck(seller, 'message', { o_id: o.o_id, content: '回复', client_id: 'c-1' });
  t.not(other.message.msgid, first.message.msgid);
  const marker = await emitAck(buyer, 'message', { o_id: o.o_id, content: '第二条', client_id: 'c-2' });
  await pushed.waitFor((m) => m.msgid === marker.message.msgid);
  t.is(pushed.items.filter((m) => m.msgid === first.message.msgid).length, 1, 'the resend was not pushed');
  const h = await emitAck(buyer, 'history', { o_id: o.o_id });
  t.deepEqual(
    h.list.map((m: any) => m.content),
    ['created', '第一条', '回复', '第二条'],
  );
});

test('messages one socket sends at once are stored with increasing seqs in the order sent, and pushed in seq order', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  const pushed = collect(seller, 'message');
  // Within the socket's burst (twice CHAT_RATE_PER_S), all emitted before any ack returns.
  const contents = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
  const acks = await Promise.all(contents.map((content) => emitAck(buyer, 'message', { o_id: o.o_id, content })));
  t.true(acks.every((a) => a.code === 900), JSON.stringify(acks.filter((a) => a.code !== 900)));
  const seqs = acks.map((a) => a.message.seq as number);
  t.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `seqs in the order sent: ${contents.map((c, i) => `${c}→${seqs[i]}`).join(' ')}`);
  t.is(new Set(seqs).size, seqs.length);
  const stored = (await emitAck(buyer, 'history', { o_id: o.o_id, limit: 50 })).list.filter((m: any) => m.type === 'text');
  t.deepEqual(stored.map((m: any) => m.content), contents, 'stored by seq, they read in the order sent');
  await pushed.waitFor((m) => m.msgid === acks.at(-1).message.msgid);
  const pushes = pushed.items.filter((m) => m.type === 'text');
  t.deepEqual(pushes.map((m) => m.seq), seqs, 'pushed in seq order');
  t.deepEqual(pushes.map((m) => m.content), contents);
});

test('parties write while the order is open; staff write always, to both parties', async (t) => {
  const { o: closed, buyer, seller, staff, staffUser } = await chatOrder({ order: await orderIn(t0, 'rejected'), open: ['buyer', 'seller', 'staff'] });
  t.like(await emitAck(buyer, 'message', { o_id: closed.o_id, content: '还在吗' }), { code: 905 });
  t.like(await emitAck(seller, 'message', { o_id: closed.o_id, content: '在' }), { code: 905 });
  const buyerGets = collect(buyer, 'message');
  const sellerGets = collect(seller, 'message');
  const ack = await emitAck(staff, 'message', { o_id: closed.o_id, content: '客服：订单已关闭' });
  t.like(ack, { code: 900, message: { from: staffUser.userID, to: '0', type: 'text', text: '客服：订单已关闭' } });
  await buyerGets.waitFor((m) => m.msgid === ack.message.msgid);
  await sellerGets.waitFor((m) => m.msgid === ack.message.msgid);
  const unread = await t0.api.get('/rest/order/unreadnum', closed.buyer.token);
  t.deepEqual(unread.body.info.list, [{ o_id: closed.o_id, count: 3 }], 'created, rejected and the staff message');

  for (const status of ['confirmed', 'paid', 'toBeFinished'] as const) {
    const o = await orderIn(t0, status);
    const s = await open(o.expert.token);
    t.is((await emitAck(s, 'message', { o_id: o.o_id, content: 'ok' })).code, 900, status);
  }
  for (const status of ['finished', 'canceled'] as const) {
    const o = await orderIn(t0, status);
    const b = await open(o.buyer.token);
    t.is((await emitAck(b, 'message', { o_id: o.o_id, content: 'ok' })).code, 905, status);
  }
});

test('a chat closes the moment its order does, for a process that has already seen the order', async (t) => {
  const { o, buyer, seller } = await chatOrder({ open: ['buyer', 'seller'] });
  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: '在吗' })).code, 900);
  t.is((await emitAck(seller, 'message', { o_id: o.o_id, content: '在' })).code, 900);
  t.is((await t0.api.post(`/rest/order/${o.o_id}/cancel`, { reason: '不需要了' }, o.buyer.token)).body.code, 900);
  const late = await emitAck(seller, 'message', { o_id: o.o_id, content: '还有问题吗', client_id: 'late-1' });
  t.like(late, { code: 905 });
  t.regex(late.msg, /canceled/);
  const h = await emitAck(buyer, 'history', { o_id: o.o_id });
  t.deepEqual(
    h.list.map((m: any) => m.content),
    ['created', '在吗', '在', 'buyer_canceled'],
  );
});

test('content is 1 to 2000 characters', async (t) => {
  const { o, buyer } = await chatOrder({ open: ['buyer'] });
  const send = (content: unknown) => emitAck(buyer, 'message', { o_id: o.o_id, content });
  t.is((await send('咨'.repeat(2000))).code, 900);
  t.is((await send('😀'.repeat(2000))).code, 900, 'an emoji counts as one character');
  const tooLong = await send('咨'.repeat(2001));
  t.is(tooLong.code, 901);
  t.regex(tooLong.msg, /content/);
  t.is((await send('')).code, 901);
  t.is((await send('   ')).code, 901);
  t.is((await send(12)).code, 901);
  t.like(await send('😀'.repeat(2001)), { code: 901, msg: 'payload.content: must be at most 2000 characters' });
});

test('client_id is 1 to 64 characters, counted as the REST fields count them', async (t) => {
  const { o, buyer } = await chatOrder({ open: ['buyer'] });
  const send = (client_id: string) => emitAck(buyer, 'message', { o_id: o.o_id, content: 'c', client_id });
  t.is((await send('😀'.repeat(64))).code, 900, 'an emoji counts as one character');
  t.like(await send('😀'.repeat(65)), { code: 901, msg: 'payload.client_id: must be at most 64 characters' });
});

test('history pages by seq and catches up after a disconnect', async (t) => {
  const o = await buildOrder(t0.api);
  const seller = await open(o.expert.token);
  let buyer = await open(o.buyer.token);
  await emitAck(buyer, 'message', { o_id: o.o_id, content: 'm2' });
  const seen = await emitAck(buyer, 'history', { o_id: o.o_id });
  const lastSeen = seen.list[seen.list.length - 1].seq;
  t.is(lastSeen, 2);
  buyer.close();

  for (const n of [3, 4, 5]) t.is((await emitAck(seller, 'message', { o_id: o.o_id, content: `m${n}` })).code, 900);
  buyer = await open(o.buyer.token);
  const missed = await emitAck(buyer, 'history', { o_id: o.o_id, after: lastSeen });
  t.deepEqual(
    missed.list.map((m: any) => [m.seq, m.content, m.from]),
    [
      [3, 'm3', o.expert.userID],
      [4, 'm4', o.expert.userID],
      [5, 'm5', o.expert.userID],
    ],
  );
  t.deepEqual(
    (await emitAck(buyer, 'history', { o_id: o.o_id, after: 1, limit: 2 })).list.map((m: any) => m.seq),
    [2, 3],
  );
  t.deepEqual(
    (await emitAck(buyer, 'history', { o_id: o.o_id, limit: 2 })).list.map((m: any) => m.seq),
    [4, 5],
    'without after: the latest, oldest first',
  );
  t.deepEqual(
    (await emitAck(buyer, 'history', { o_id: o.o_id, before: 4, limit: 2 })).list.map((m: any) => m.seq),
    [2, 3],
  );
  t.deepEqual((await emitAck(buyer, 'history', { o_id: o.o_id, after: 5 })).list, []);
});

test('long-polling clients chat too', async (t) => {
  const o = await buildOrder(t0.api);
  const buyer = await open(o.buyer.token, t0, { transports: ['polling'] });
  const seller = await open(o.expert.token);
  const got = collect(buyer, 'message');
  const ack = await emitAck(seller, 'message', { o_id: o.o_id, content: 'over polling' });
  t.like(await got.waitFor((m) => m.msgid === ack.message.msgid), { content: 'over polling', to: o.buyer.userID });
  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: 'reply' })).code, 900);
});
