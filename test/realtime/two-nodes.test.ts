// Two web nodes on one Redis and one SQLite file (the supported multi-process topology):
// a message sent to node A reaches a client on node B (one frame per socket, as on one node),
// a transition made on node B reaches clients on node A, and a push from a process without
// Socket.IO (the clock) reaches both.
import test from 'ava';
import { newId } from '../../src/ids';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { SYSTEM_MESSAGES } from '../../config/system-messages';
import { createRedis } from '../../src/db/redis';
import { createLogger } from '../../src/log/logger';
import { emitterPush } from '../../src/realtime/emitter-push';
import { rooms } from '../../src/realtime/push';
import { api, makeUser, startApp, type TestApp } from '../helpers/app';
import { buildOrder } from '../helpers/factories';
import { checkFramesPerMessage } from '../helpers/frames';
import { adaptersSubscribed, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { closeAll, collect, connect, emitAck, nextEvent } from '../helpers/socket';

let redis: RedisServer;
let dir: string;
let nodeA: TestApp;
let nodeB: TestApp;
const sockets: Socket[] = [];
const open = async (node: TestApp, token: string) => {
  const s = await connect(node.url, token);
  sockets.push(s);
  return s;
};

test.before(async () => {
  redis = await startRedisServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-nodes-'));
  const env = { REDIS_URL: redis.url, DATA_DIR: dir };
  nodeA = await startApp(env);
  nodeB = await startApp(env);
  // A push sent before both adapters subscribe would only reach its own node.
  await adaptersSubscribed(redis.url, 2);
});

test.after.always(async () => {
  closeAll(sockets);
  await nodeA?.close();
  await nodeB?.close();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a message sent to node A reaches a client on node B', async (t) => {
  const o = await buildOrder(api(nodeA.url));
  const [buyerOnA, sellerOnB, staffOnB] = await Promise.all([open(nodeA, o.buyer.token), open(nodeB, o.expert.token), open(nodeB, makeUser({ staff: true }).token)]);
  t.is((await emitAck(staffOnB, 'join', { o_id: o.o_id })).code, 900);
  const sellerGets = collect(sellerOnB, 'message');
  const staffGets = collect(staffOnB, 'message');

  const ack = await emitAck(buyerOnA, 'message', { o_id: o.o_id, content: '跨节点' });
  t.is(ack.code, 900);
  t.like(await sellerGets.waitFor((m) => m.msgid === ack.message.msgid), { content: '跨节点', seq: 2, unread: { count: 2, total: 2 } });
  t.like(await staffGets.waitFor((m) => m.msgid === ack.message.msgid), { content: '跨节点' });

  // Read receipts cross too, and both nodes read the same store.
  const receipt = nextEvent(buyerOnA, 'read', (r) => r.userID === o.expert.userID);
  t.deepEqual(await emitAck(sellerOnB, 'read', { o_id: o.o_id }), { code: 900, unread: 0 });
  t.is((await receipt).msgid, ack.message.msgid);
  const fromA = await api(nodeA.url).get('/rest/order/unreadnum', o.expert.token);
  t.deepEqual(fromA.body.info, { total: 0, list: [] });
});

test('across nodes, each socket gets one frame per message: the sender its ack, the others the message with their own numbers', async (t) => {
  const o = await buildOrder(api(nodeA.url));
  // The writer on A; its second device, the seller and staff on B.
  const [buyer, buyer2, seller, staff] = await Promise.all([open(nodeA, o.buyer.token), open(nodeB, o.buyer.token), open(nodeB, o.expert.token), open(nodeB, makeUser({ staff: true }).token)]);
  for (const s of [buyer, seller, staff]) t.is((await emitAck(s, 'join', { o_id: o.o_id })).code, 900);
  await checkFramesPerMessage(t, api(nodeA.url), o, { buyer, buyer2, seller, staff });
});

test('a transition made on node B reaches clients on node A', async (t) => {
  const o = await buildOrder(api(nodeA.url));
  const [buyerOnA, staffOnA] = await Promise.all([open(nodeA, o.buyer.token), open(nodeA, makeUser({ staff: true }).token)]);
  const isConfirmed = (m: any) => m.content === 'confirmed';
  const got = Promise.all([
    nextEvent(buyerOnA, 'order', (p) => p.status === 'confirmed'),
    nextEvent(buyerOnA, 'message', isConfirmed),
    nextEvent(staffOnA, 'order', (p) => p.o_id === o.o_id && p.status === 'confirmed'),
  ]);
  t.is((await api(nodeB.url).post(`/rest/order/${o.o_id}/confirm`, {}, o.expert.token)).body.code, 900);
  const [order, message, staffOrder] = await got;
  t.like(order, { o_id: o.o_id, status: 'confirmed' });
  t.is(message.text, SYSTEM_MESSAGES.confirmed.buyer);
  t.is(message.seq, 2);
  t.deepEqual(staffOrder, order);
});

test('a push from a process without Socket.IO reaches every node, once per socket', async (t) => {
  const user = makeUser();
  const [onA, onB] = await Promise.all([open(nodeA, user.token), open(nodeB, user.token)]);
  const client = createRedis(redis.url, createLogger('silent'), 'test-emitter');
  t.teardown(() => client.quit());
  const push = emitterPush(client);
  const a = collect(onA, 'call');
  const b = collect(onB, 'call');
  // Two rooms that both hold the sockets: still one delivery each.
  // Each push's callSid tells which push it is.
  const call = (callSid: string) => ({ o_id: newId(), callSid, status: 'calling' as const });
  push.send([{ to: [rooms.user(user.userID), rooms.user(user.userID), 'nobody'], event: 'call', payload: call('1') }]);
  // Leaving out a socket by its id, on whichever node it is.
  push.send([{ to: [rooms.user(user.userID)], event: 'call', payload: call('2'), except: [onA.id!] }]);
  push.send([{ to: [rooms.user(user.userID)], event: 'call', payload: call('3') }]);
  await a.waitFor((p) => p.callSid === '3');
  await b.waitFor((p) => p.callSid === '3');
  t.deepEqual(a.items.map((p) => p.callSid), ['1', '3']);
  t.deepEqual(b.items.map((p) => p.callSid), ['1', '2', '3']);
});

test('a chat message crosses to the other nodes as one Redis publish, all its copies together', async (t) => {
  const o = await buildOrder(api(nodeA.url));
  const [buyerOnA, sellerOnB, staffOnB] = await Promise.all([open(nodeA, o.buyer.token), open(nodeB, o.expert.token), open(nodeB, makeUser({ staff: true }).token)]);
  t.is((await emitAck(staffOnB, 'join', { o_id: o.o_id })).code, 900);
  const listener = createRedis(redis.url, createLogger('silent'), 'test-listener', 'subscriber');
  t.teardown(() => listener.quit());
  const published: string[] = [];
  // Other tests of this file publish meanwhile: only what names this order counts (msgpack keeps strings as they are).
  listener.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    if (message.includes(o.o_id) || channel.includes(o.o_id)) published.push(channel.toString());
  });
  await listener.psubscribe('socket.io*');
  const sellerGets = collect(sellerOnB, 'message');
  const staffGets = collect(staffOnB, 'message');

  await emitAck(buyerOnA, 'message', { o_id: o.o_id, content: '一' });
  const second = await emitAck(buyerOnA, 'message', { o_id: o.o_id, content: '二' });
  // One connection keeps the order of its publishes: the second message's copies arrive after the first's publish.
  await sellerGets.waitFor((m) => m.msgid === second.message.msgid);
  await staffGets.waitFor((m) => m.msgid === second.message.msgid);
  t.deepEqual(published, ['socket.io-request#/#', 'socket.io-request#/#']);
});

test('a malformed push from another process is dropped, and the nodes go on delivering', async (t) => {
  const user = makeUser();
  const [onA, onB] = await Promise.all([open(nodeA, user.token), open(nodeB, user.token)]);
  const client = createRedis(redis.url, createLogger('silent'), 'test-emitter');
  t.teardown(() => client.quit());
  const a = collect(onA, 'call');
  const b = collect(onB, 'call');
  for (const data of [['push', null], ['push', [{ to: 5 }]], ['push', [null]]]) {
    await client.publish('socket.io-request#/#', JSON.stringify({ uid: 'another-process', type: 6, data }));
  }
  emitterPush(client).send([{ to: [rooms.user(user.userID)], event: 'call', payload: { o_id: newId(), callSid: 'after', status: 'calling' } }]);
  t.is((await a.waitFor((p) => p.callSid === 'after')).callSid, 'after');
  t.is((await b.waitFor((p) => p.callSid === 'after')).callSid, 'after');
  for (const node of [nodeA, nodeB]) t.is((await api(node.url).get('/healthz')).status, 200);
});
