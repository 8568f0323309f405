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
  push.emit([rooms.user(user.userID), rooms.user(user.userID), 'nobody'], 'call', call('1'));
  // Leaving out a socket by its id, on whichever node it is.
  push.emit([rooms.user(user.userID)], 'call', call('2'), [onA.id!]);
  push.emit([rooms.user(user.userID)], 'call', call('3'));
  await a.waitFor((p) => p.callSid === '3');
  await b.waitFor((p) => p.callSid === '3');
  t.deepEqual(a.items.map((p) => p.callSid), ['1', '3']);
  t.deepEqual(b.items.map((p) => p.callSid), ['1', '2', '3']);
});
