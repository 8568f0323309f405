// Read state: `read` moves a party's cursor and tells the room; unreadnum, unreadchat, the
// numbers in each `message`, the `unread` push of a read and the join ack agree at every step.
import test from 'ava';
import { useChatApp } from '../helpers/chat';
import { buildOrder } from '../helpers/factories';
import { collect, emitAck, nextEvent } from '../helpers/socket';

const { app: t0, open, chatOrder } = useChatApp(test);
const unreadnum = async (token: string) => {
  const res = await t0.api.get('/rest/order/unreadnum', token);
  if (res.body.code !== 900) throw new Error(JSON.stringify(res.body));
  return res.body.info;
};

test('read receipts and unread numbers agree across REST and sockets', async (t) => {
  const { o, buyer, seller } = await chatOrder();
  // Nobody has read `created` yet.
  t.deepEqual(await unreadnum(o.expert.token), { total: 1, list: [{ o_id: o.o_id, count: 1 }] });
  t.deepEqual(await unreadnum(o.buyer.token), { total: 1, list: [{ o_id: o.o_id, count: 1 }] });

  const sellerGets = collect(seller, 'message');
  const m1 = (await emitAck(buyer, 'message', { o_id: o.o_id, content: 'one' })).message;
  const m2 = (await emitAck(buyer, 'message', { o_id: o.o_id, content: 'two' })).message;
  // Each message carries the receiver's numbers after it.
  t.deepEqual((await sellerGets.waitFor((m) => m.msgid === m1.msgid)).unread, { count: 2, total: 2 });
  t.deepEqual((await sellerGets.waitFor((m) => m.msgid === m2.msgid)).unread, { count: 3, total: 3 });
  // Sending reads what came before: the buyer's cursor is at its own message.
  t.deepEqual(await unreadnum(o.buyer.token), { total: 0, list: [] });
  t.deepEqual(await unreadnum(o.expert.token), { total: 3, list: [{ o_id: o.o_id, count: 3 }] });
  t.like(await emitAck(seller, 'join', { o_id: o.o_id }), { code: 900, unread: 3 });

  const receipt = nextEvent(buyer, 'read', (r) => r.userID === o.expert.userID);
  const sellerNumbers = nextEvent(seller, 'unread', (u) => u.count === 1);
  const ack = await emitAck(seller, 'read', { o_id: o.o_id, msgid: m1.msgid });
  t.deepEqual(ack, { code: 900, unread: 1 });
  t.deepEqual(await receipt, { o_id: o.o_id, userID: o.expert.userID, msgid: m1.msgid });
  t.deepEqual(await sellerNumbers, { total: 1, o_id: o.o_id, count: 1 });
  t.deepEqual(await unreadnum(o.expert.token), { total: 1, list: [{ o_id: o.o_id, count: 1 }] });

  const h = await emitAck(buyer, 'history', { o_id: o.o_id });
  t.deepEqual(
    h.list.map((m: any) => [m.content, m.is_read]),
    [
      ['created', true],
      ['one', true],
      ['two', false],
    ],
  );

  // A cursor never moves back: reading an older message again changes nothing.
  t.deepEqual(await emitAck(seller, 'read', { o_id: o.o_id, msgid: m1.msgid }), { code: 900, unread: 1 });
  const all = nextEvent(buyer, 'read', (r) => r.msgid === m2.msgid);
  t.deepEqual(await emitAck(seller, 'read', { o_id: o.o_id }), { code: 900, unread: 0 });
  t.deepEqual(await all, { o_id: o.o_id, userID: o.expert.userID, msgid: m2.msgid });
  t.deepEqual(await unreadnum(o.expert.token), { total: 0, list: [] });
});

test('unreadchat lists what is unread per order, marks it read and tells the room', async (t) => {
  const c = t0.api;
  const a = await buildOrder(c);
  const b = await buildOrder(c);
  const [buyerA, buyerB] = await Promise.all([open(a.buyer.token), open(b.buyer.token)]);
  const sent = [];
  sent.push((await emitAck(buyerA, 'message', { o_id: a.o_id, content: 'a1' })).message);
  sent.push((await emitAck(buyerA, 'message', { o_id: a.o_id, content: 'a2' })).message);
  // Order b has another expert: its message counts for that expert only.
  await emitAck(buyerB, 'message', { o_id: b.o_id, content: 'b1' });

  t.deepEqual(await unreadnum(a.expert.token), { total: 3, list: [{ o_id: a.o_id, count: 3 }] });
  const receipt = nextEvent(buyerA, 'read', (r) => r.userID === a.expert.userID);
  const res = await c.get('/rest/order/unreadchat', a.expert.token);
  t.is(res.body.code, 900);
  t.is(res.body.list.length, 1);
  t.is(res.body.list[0].o_id, a.o_id);
  const items = res.body.list[0].list;
  t.deepEqual(
    items.map((m: any) => [m.content, m.from, m.to]),
    [
      ['created', '0', '0'],
      ['a1', a.buyer.userID, a.expert.userID],
      ['a2', a.buyer.userID, a.expert.userID],
    ],
  );
  t.is(items[1].msgid, sent[0].msgid);
  t.is(items[1].createdAt, sent[0].createdAt);
  t.regex(items[0].text, /咨询/);
  t.deepEqual(await receipt, { o_id: a.o_id, userID: a.expert.userID, msgid: sent[1].msgid });
  t.deepEqual(await unreadnum(a.expert.token), { total: 0, list: [] });
  t.deepEqual((await c.get('/rest/order/unreadchat', a.expert.token)).body, { code: 900, list: [] });
  t.deepEqual(await unreadnum(b.expert.token), { total: 2, list: [{ o_id: b.o_id, count: 2 }] });
});

test('numbers add up across a user’s orders', async (t) => {
  const c = t0.api;
  const a = await buildOrder(c);
  // A second order of the same buyer, with another expert.
  const b = await buildOrder(c);
  const topic = (await c.post('/rest/topic', { title: 't', category: 'c', price: 1 }, b.expert.token)).body.topic_id;
  const second = (await c.post(`/rest/topic/${topic}/order`, { question: 'q', self_desc: 'd' }, a.buyer.token)).body.o_id;
  const [sellerA, sellerB] = await Promise.all([open(a.expert.token), open(b.expert.token)]);
  await emitAck(sellerA, 'message', { o_id: a.o_id, content: 'x' });
  await emitAck(sellerB, 'message', { o_id: second, content: 'y' });
  await emitAck(sellerB, 'message', { o_id: second, content: 'z' });
  const info = await unreadnum(a.buyer.token);
  t.is(info.total, 5);
  t.deepEqual(
    [...info.list].sort((x: any, y: any) => x.count - y.count),
    [
      { o_id: a.o_id, count: 2 },
      { o_id: second, count: 3 },
    ],
  );
});

test('staff read without moving the parties’ cursors', async (t) => {
  const { o, staff } = await chatOrder({ open: ['staff'] });
  t.deepEqual(await emitAck(staff, 'read', { o_id: o.o_id }), { code: 900, unread: 0 });
  t.deepEqual(await unreadnum(o.buyer.token), { total: 1, list: [{ o_id: o.o_id, count: 1 }] });
});
