import test from 'ava';
import type { Server } from 'socket.io';
import { chatSockets } from '../../src/chat/chat.sockets';
import { createLogger } from '../../src/log/logger';
import type { Socket as ClientSocket } from 'socket.io-client';
import { CLIENT_EVENTS, SERVER_EVENTS, type ClientToServerEvents, type ServerToClientEvents } from '../../src/realtime/events';
import { useApp } from '../helpers/app';
import { unresolvedRefs } from '../helpers/documents';

const t0 = useApp(test);

/** The events chat.sockets.ts listens for on a socket, read from its `socket.on` calls. */
function handledEvents(): string[] {
  const names: string[] = [];
  const socket = { data: { user: { userID: '54f3b5fec08b6f54100c1cbe', staff: false } }, on: (name: string) => names.push(name), once: () => undefined };
  const io = { on: (_: 'connection', cb: (s: typeof socket) => void) => cb(socket) } as unknown as Server;
  chatSockets(io, { chat: {} as never, log: createLogger('silent'), ratePerS: 10 });
  return names;
}

test('GET /asyncapi.json is an AsyncAPI 3 document whose every reference resolves', async (t) => {
  const res = await t0.api.get('/asyncapi.json');
  t.is(res.status, 200);
  const doc = res.body;
  t.is(doc.asyncapi, '3.0.0');
  t.truthy(doc.info.title);
  t.truthy(doc.info.version);
  t.deepEqual(unresolvedRefs(doc), []);
  for (const [id, op] of Object.entries<{ action: string; channel: { $ref: string }; messages: { $ref: string }[] }>(doc.operations)) {
    t.true(op.action === 'send' || op.action === 'receive', id);
    t.regex(op.channel.$ref, /^#\/channels\//, id);
    // AsyncAPI 3: an operation's messages are those of its channel.
    for (const m of op.messages) t.true(m.$ref.startsWith(`${op.channel.$ref}/messages/`), `${id}: ${m.$ref}`);
  }
});

test('every event the server handles is in the document, with its ack; every event it pushes too', async (t) => {
  const doc = (await t0.api.get('/asyncapi.json')).body;
  const handled = handledEvents();
  t.true(handled.length >= 6, handled.join(', '));
  const received = Object.values<{ action: string; messages: { $ref: string }[]; reply?: { messages: { $ref: string }[] } }>(doc.operations).filter((o) => o.action === 'receive');
  const messageAt = (ref: string) => doc.components.messages[ref.split('/').pop() as string];
  const receivedNames = received.map((o) => messageAt(o.messages[0].$ref).name);
  t.deepEqual(handled.filter((e) => !receivedNames.includes(e)), [], 'handled events missing from /asyncapi.json');
  t.deepEqual(receivedNames.sort(), Object.keys(CLIENT_EVENTS).sort());
  for (const o of received) t.is(o.reply?.messages.length, 1, `${messageAt(o.messages[0].$ref).name} has its ack`);
  const sentNames = Object.values<{ action: string; messages: { $ref: string }[] }>(doc.operations).filter((o) => o.action === 'send').map((o) => messageAt(o.messages[0].$ref).name);
  t.deepEqual(sentNames.sort(), Object.keys(SERVER_EVENTS).sort());
});

test('protocol v2: the message ack carries message and unread; the pushed message may carry unread', async (t) => {
  const { components } = (await t0.api.get('/asyncapi.json')).body;
  t.deepEqual(components.schemas.MessageAck.required.sort(), ['code', 'message', 'unread']);
  t.deepEqual(components.schemas.MessageAck.properties.unread.required.sort(), ['count', 'total']);
  t.truthy(components.schemas.MessageEvent.properties.unread);
  t.false(components.schemas.MessageEvent.required.includes('unread'), "staff's copy carries no unread numbers");
  t.deepEqual(components.schemas.MessagePayload.required.sort(), ['content', 'o_id']);
});

// Checked by tsc: a TypeScript client typed with the exported maps gets each ack's fields and
// each push's payload, and an unknown event or a bad payload does not compile.
export function typedClient(socket: ClientSocket<ServerToClientEvents, ClientToServerEvents>) {
  socket.emit('message', { o_id: '66a1c0d9f1d2a3b4c5d6e7f0', content: 'hi' }, (answer) => {
    if (answer.code === 900) void [answer.message.seq, answer.unread.total];
    else void answer.msg;
  });
  socket.on('order', (o) => void o.status);
  // @ts-expect-error no such client event
  socket.emit('nope', {});
  // @ts-expect-error content must be a string
  socket.emit('message', { o_id: '66a1c0d9f1d2a3b4c5d6e7f0', content: 1 }, () => {});
}
