// Authorization and abuse: bad handshakes, strangers, malformed payloads and floods get
// their codes, and the socket stays usable.
import test from 'ava';
import jwt from 'jsonwebtoken';
import { signToken } from '../../src/auth/token';
import { newId } from '../../src/ids';
import { api, makeUser, startApp, TEST_SECRET } from '../helpers/app';
import { useChatApp } from '../helpers/chat';
import { buildOrder } from '../helpers/factories';
import { collect, connect, emitAck, nextEvent } from '../helpers/socket';

const { app: t0, open, chatOrder } = useChatApp(test);

test('a handshake without a valid token fails with "unauthorized"', async (t) => {
  const expired = jwt.sign({}, TEST_SECRET, { algorithm: 'HS256', subject: newId(), expiresIn: -10 });
  for (const token of [undefined, '', 'garbage', signToken('another-secret-0123456789', newId()), signToken(TEST_SECRET, 'not-an-id'), expired]) {
    const err = await t.throwsAsync(connect(t0.url, token));
    t.is(err?.message, 'unauthorized', `token ${String(token).slice(0, 12)}`);
  }
  const ok = await open(makeUser().token);
  t.true(ok.connected);
});

test('a stranger cannot join, read, write or see an order’s chat', async (t) => {
  const o = await buildOrder(t0.api);
  const stranger = makeUser();
  const [s, buyer] = await Promise.all([open(stranger.token), open(o.buyer.token)]);
  const leaked = collect(s, 'message');
  for (const [event, payload] of [
    ['join', { o_id: o.o_id }],
    ['message', { o_id: o.o_id, content: 'hi' }],
    ['history', { o_id: o.o_id }],
    ['read', { o_id: o.o_id }],
  ] as const) {
    t.like(await emitAck(s, event, payload), { code: 903 }, event);
  }
  t.like(await emitAck(s, 'typing', { o_id: o.o_id }), { code: 903 });

  t.is((await emitAck(buyer, 'message', { o_id: o.o_id, content: 'private' })).code, 900);
  // Pushes reach a socket in the order they were sent: once the stranger gets the system
  // message of an order of its own, placed after the private one was pushed, it would have
  // had the private one already.
  const own = await buildOrder(t0.api);
  const strangerOrder = await t0.api.post(`/rest/topic/${own.topic_id}/order`, { question: 'q', self_desc: 'd' }, stranger.token);
  t.is(strangerOrder.body.code, 900);
  await leaked.waitFor((m) => m.o_id === strangerOrder.body.o_id);
  t.deepEqual(
    leaked.items.map((m) => m.o_id),
    [strangerOrder.body.o_id],
  );
});

test('staff may join any order and see its messages with the admin text', async (t) => {
  const { o, staff, buyer, joined } = await chatOrder({ open: ['staff', 'buyer'], join: ['staff'] });
  t.like(joined.staff, { code: 900, order: { o_id: o.o_id, status: 'pending' }, unread: 0 });
  const got = nextEvent(staff, 'message', (m) => m.content === 'for the record');
  await emitAck(buyer, 'message', { o_id: o.o_id, content: 'for the record' });
  t.like(await got, { from: o.buyer.userID, to: o.expert.userID });
  // After leave, the order's pushes stop reaching staff; the ack proves the rooms were left.
  t.deepEqual(await emitAck(staff, 'leave', { o_id: o.o_id }), { code: 900 });
  t.like(await emitAck(staff, 'typing', { o_id: o.o_id }), { code: 903 });
});

test('malformed payloads get 901 or 904 and the socket stays usable', async (t) => {
  const { o, buyer } = await chatOrder({ open: ['buyer'] });
  const bad: [string, unknown, number][] = [
    ['join', 'o_id', 901],
    ['join', 42, 901],
    ['join', null, 901],
    ['join', [o.o_id], 901],
    ['join', {}, 901],
    ['join', { o_id: 123 }, 901],
    ['join', { o_id: { $gt: '' } }, 901],
    ['join', { o_id: 'zz' + o.o_id.slice(2) }, 901],
    ['join', { o_id: newId() }, 904],
    ['message', { o_id: o.o_id, content: { $ne: '' } }, 901],
    ['message', { o_id: o.o_id, content: ['a'] }, 901],
    ['message', { o_id: o.o_id, content: 'x'.repeat(50_000) }, 901],
    ['message', { o_id: o.o_id, content: 'x', client_id: { $exists: true } }, 901],
    ['message', { o_id: newId(), content: 'x' }, 904],
    ['history', { o_id: o.o_id, limit: '10' }, 901],
    ['history', { o_id: o.o_id, limit: 1000 }, 901],
    ['history', { o_id: o.o_id, after: -1 }, 901],
    ['history', { o_id: o.o_id, before: { $lt: 5 } }, 901],
    ['read', { o_id: o.o_id, msgid: 'nope' }, 901],
    ['read', { o_id: o.o_id, msgid: newId() }, 904],
    ['leave', 'x', 901],
    ['typing', { o_id: [] }, 901],
  ];
  for (const [event, payload, code] of bad) {
    const ack = await emitAck(buyer, event, payload);
    t.is(ack.code, code, `${event} ${JSON.stringify(payload).slice(0, 60)}`);
    t.is(typeof ack.msg, 'string');
  }
  // Without a payload, and without an ack callback: nothing breaks.
  t.is((await emitAck(buyer, 'history')).code, 901);
  buyer.emit('message', { o_id: { $gt: '' } });
  buyer.emit('join');
  t.true(buyer.connected);
  t.like(await emitAck(buyer, 'message', { o_id: o.o_id, content: 'still here' }), { code: 900, message: { content: 'still here' } });
  const h = await emitAck(buyer, 'history', { o_id: o.o_id });
  t.deepEqual(
    h.list.map((m: any) => m.content),
    ['created', 'still here'],
    'nothing malformed was stored',
  );
});

test('typing reaches the other joined party, not the typist', async (t) => {
  const { o, buyer, seller } = await chatOrder({ join: ['buyer', 'seller'] });
  const echoed = collect(buyer, 'typing');
  const buyerMessages = collect(buyer, 'message');
  const got = nextEvent(seller, 'typing');
  t.deepEqual(await emitAck(buyer, 'typing', { o_id: o.o_id }), { code: 900 });
  t.deepEqual(await got, { o_id: o.o_id, userID: o.buyer.userID });
  // A push sent to the typist after the typing event arrives after any echo would have.
  const ack = await emitAck(seller, 'message', { o_id: o.o_id, content: 'x' });
  await buyerMessages.waitFor((m) => m.msgid === ack.message.msgid);
  t.deepEqual(echoed.items, []);
});

test('more than a burst of messages per second gets 907; the socket stays usable', async (t) => {
  // 1 message a second, burst 2: a dozen at once cannot all pass, however fast the machine.
  const slow = await startApp({ CHAT_RATE_PER_S: '1' });
  t.teardown(() => slow.close());
  const o = await buildOrder(api(slow.url));
  const buyer = await open(o.buyer.token, slow);
  const acks = await Promise.all(Array.from({ length: 12 }, (_, i) => emitAck(buyer, 'message', { o_id: o.o_id, content: `flood ${i}` })));
  const codes = acks.map((a) => a.code);
  t.true(codes.filter((c) => c === 907).length >= 8, codes.join(','));
  t.true(codes.every((c) => c === 900 || c === 907), codes.join(','));
  t.regex(acks.find((a) => a.code === 907).msg, /rate/);
  // Refused messages were not stored; other events still work on the same socket.
  const h = await emitAck(buyer, 'history', { o_id: o.o_id, limit: 100 });
  t.is(h.code, 900);
  t.is(h.list.length - 1, codes.filter((c) => c === 900).length);
  t.true(buyer.connected);
});
