// Fan-out: a message reaches both parties and joined staff, each socket once, each side
// with its own text and numbers; every change of status posts its system message and pushes `order`.
import test from 'ava';
import { SYSTEM_MESSAGES } from '../../config/system-messages';
import { useChatApp } from '../helpers/chat';
import { advance, buildOrder } from '../helpers/factories';
import { payDirect } from '../helpers/orders';
import { checkFramesPerMessage } from '../helpers/frames';
import { emitAck, nextEvent } from '../helpers/socket';

const { app: t0, open, chatOrder } = useChatApp(test);

test('each socket gets one frame per message: the sender its ack, the others the message with their own numbers', async (t) => {
  // The buyer's writing device also joins: it then sits in the order's room and its user room.
  const { o, buyer, seller, staff, joined } = await chatOrder({ open: ['buyer', 'seller', 'staff'], join: ['buyer', 'seller', 'staff'] });
  t.like(joined.buyer, { code: 900, order: { o_id: o.o_id, status: 'pending' }, unread: 1 });
  t.like(joined.staff, { code: 900, unread: 0 });
  const buyer2 = await open(o.buyer.token);
  await checkFramesPerMessage(t, t0.api, o, { buyer, buyer2, seller, staff });
});

test('a resend acks the original message with the sender’s current numbers', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  const first = await emitAck(buyer, 'message', { o_id: o.o_id, content: '在吗', client_id: 'r-1' });
  t.deepEqual(first.unread, { count: 0, total: 0 });
  await emitAck(seller, 'message', { o_id: o.o_id, content: '在' });
  const again = await emitAck(buyer, 'message', { o_id: o.o_id, content: '在吗', client_id: 'r-1' });
  // The seller's reply read the original: it comes back read, and the reply is the buyer's one unread.
  t.deepEqual(again, { code: 900, message: { ...first.message, is_read: true }, unread: { count: 1, total: 1 } });
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
