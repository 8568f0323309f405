// Fan-out: a message reaches both parties and joined staff, each socket once, each side
// with its own text; every change of status posts its system message and pushes `order`.
import test from 'ava';
import { SYSTEM_MESSAGES } from '../../config/system-messages';
import { useChatApp } from '../helpers/chat';
import { advance, buildOrder } from '../helpers/factories';
import { payDirect } from '../helpers/orders';
import { collect, emitAck, nextEvent } from '../helpers/socket';

const { app: t0, open, chatOrder } = useChatApp(test);

test('a message reaches both parties and joined staff, each socket once', async (t) => {
  // The buyer also joins: it then sits in the order's rooms and its user room, and must still get each message once.
  const { o, buyer, seller, staff, joined } = await chatOrder({ open: ['buyer', 'seller', 'staff'], join: ['buyer', 'staff'] });
  t.like(joined.buyer, { code: 900, order: { o_id: o.o_id, status: 'pending' } });
  t.like(joined.staff, { code: 900, unread: 0 });
  const seen = { buyer: collect(buyer, 'message'), seller: collect(seller, 'message'), staff: collect(staff, 'message') };

  const first = await emitAck(buyer, 'message', { o_id: o.o_id, content: '专家您好' });
  t.is(first.code, 900);
  t.like(first.message, { o_id: o.o_id, seq: 2, from: o.buyer.userID, to: o.expert.userID, type: 'text', content: '专家您好', text: '专家您好', is_read: false });
  t.regex(first.message.msgid, /^[0-9a-f]{24}$/);

  // Socket.IO keeps order per connection: a duplicate of the first would arrive before the second.
  const second = await emitAck(seller, 'message', { o_id: o.o_id, content: '您好，请讲' });
  t.is(second.code, 900);
  t.is(second.message.to, o.buyer.userID);
  for (const [who, c] of Object.entries(seen)) {
    await c.waitFor((m) => m.msgid === second.message.msgid);
    t.is(c.items.filter((m) => m.msgid === first.message.msgid).length, 1, `${who} got the first message once`);
  }
  t.deepEqual(seen.seller.items.find((m) => m.msgid === first.message.msgid), { ...first.message });
});

test('an acknowledged message is already stored', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  const ack = await emitAck(buyer, 'message', { o_id: o.o_id, content: 'hello' });
  const h = await emitAck(seller, 'history', { o_id: o.o_id });
  t.is(h.code, 900);
  t.deepEqual(
    h.list.map((m: any) => [m.seq, m.type, m.content]),
    [
      [1, 'system', 'created'],
      [2, 'text', 'hello'],
    ],
  );
  t.is(h.list[1].msgid, ack.message.msgid);
});

test('a change of status posts its system message with each side’s text and pushes order', async (t) => {
  const c = t0.api;
  const { o, buyer, seller, staff } = await chatOrder({ open: ['buyer', 'seller', 'staff'], join: ['staff'] });
  const isConfirmed = (m: any) => m.type === 'system' && m.content === 'confirmed';
  const got = Promise.all([
    nextEvent(buyer, 'message', isConfirmed),
    nextEvent(seller, 'message', isConfirmed),
    nextEvent(staff, 'message', isConfirmed),
    nextEvent(buyer, 'order', (p) => p.status === 'confirmed'),
    nextEvent(seller, 'order', (p) => p.status === 'confirmed'),
    nextEvent(staff, 'order', (p) => p.status === 'confirmed'),
  ]);
  t.is((await c.post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token)).body.code, 900);
  const [b, s, a, order, sellerOrder] = await got;
  t.is(b.text, SYSTEM_MESSAGES.confirmed.buyer);
  t.is(s.text, SYSTEM_MESSAGES.confirmed.seller);
  t.is(a.text, SYSTEM_MESSAGES.confirmed.admin);
  for (const m of [b, s, a]) t.like(m, { from: '0', to: '0', content: 'confirmed', seq: 2, msgid: b.msgid });
  t.like(order, { o_id: o.o_id, status: 'confirmed', payAt: '' });
  t.not(order.confirmAt, '');
  t.deepEqual(sellerOrder, order);
});

test('history renders each side’s text of the stored key', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  const [hb, hs] = await Promise.all([emitAck(buyer, 'history', { o_id: o.o_id }), emitAck(seller, 'history', { o_id: o.o_id })]);
  t.is(hb.list[0].content, 'created');
  t.is(hb.list[0].text, '您已成功提交咨询，请等待专家确认。');
  t.is(hs.list[0].text, SYSTEM_MESSAGES.created.seller);
});

test('every step of an order posts its key, in order, the finish before the settlement', async (t) => {
  const c = t0.api;
  const o = await buildOrder(c);
  await advance(c, o, 'finished', payDirect(t0));
  const buyer = await open(o.buyer.token);
  const h = await emitAck(buyer, 'history', { o_id: o.o_id });
  t.deepEqual(
    h.list.map((m: any) => m.content),
    ['created', 'confirmed', 'paid', 'to_be_finished', 'finished', 'settled'],
  );
  t.deepEqual(
    h.list.map((m: any) => m.seq),
    [1, 2, 3, 4, 5, 6],
  );
});
