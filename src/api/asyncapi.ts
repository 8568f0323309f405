// /asyncapi.json: the Socket.IO protocol as AsyncAPI 3, generated from the event table
// (src/realtime/events.ts). Payload schemas come from the same zod schemas the handlers parse
// with and the views are typed from, turned into JSON Schema by zod-to-openapi.
import type { ZodTypeAny } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from './zod-openapi';
import { ackFailureSchema, ackSchemaOf, CLIENT_EVENTS, SERVER_EVENTS, type ClientEventName } from '../realtime/events';

const CHANNEL = 'socket';
const DESCRIPTION = [
  'The realtime chat: one Socket.IO connection (namespace `/`) on the same port as REST, authenticated in the handshake with the REST token: `io(url, { auth: { token } })`.',
  'A missing or bad token fails the handshake with `connect_error` whose message is `"unauthorized"`.',
  '',
  'Every client event takes an acknowledgement callback; the ack is `{code: 900, ...}` on success or `{code, msg}` on failure, and the socket stays connected.',
  'The full protocol (rooms, rules of each event, catching up after a reconnect) is the repository’s `docs/protocol.md`.',
].join('\n');

const upper = (s: string) => s[0].toUpperCase() + s.slice(1);
const ref = (path: string) => ({ $ref: path });

export function buildAsyncApi(): object {
  // Each payload becomes a named schema under components.schemas.
  const registry = new OpenAPIRegistry();
  const schemaRefs = new Map<string, ZodTypeAny>();
  const named = (name: string, schema: ZodTypeAny) => {
    schemaRefs.set(name, schema);
    return ref(`#/components/schemas/${name}`);
  };
  const messages: Record<string, object> = {};
  const operations: Record<string, object> = {};
  const channelMessage = (key: string) => ref(`#/channels/${CHANNEL}/messages/${key}`);

  named('AckFailure', ackFailureSchema);
  for (const [event, e] of Object.entries(CLIENT_EVENTS)) {
    const key = `client${upper(event)}`;
    messages[key] = { name: event, title: `${event} (client → server)`, summary: e.summary, payload: named(`${upper(event)}Payload`, e.payload) };
    messages[`${key}Ack`] = {
      name: event,
      title: `${event}'s acknowledgement`,
      summary: `\`{code: 900, ...}\` on success, \`{code, msg}\` on failure`,
      payload: { oneOf: [named(`${upper(event)}Ack`, ackSchemaOf(event as ClientEventName)), ref('#/components/schemas/AckFailure')] },
    };
    operations[`receive${upper(event)}`] = {
      action: 'receive',
      channel: ref(`#/channels/${CHANNEL}`),
      summary: e.summary,
      messages: [channelMessage(key)],
      reply: { channel: ref(`#/channels/${CHANNEL}`), messages: [channelMessage(`${key}Ack`)] },
    };
  }
  for (const [event, e] of Object.entries(SERVER_EVENTS)) {
    const key = `server${upper(event)}`;
    messages[key] = { name: event, title: `${event} (server → client)`, summary: e.summary, payload: named(`${upper(event)}Event`, e.payload) };
    operations[`send${upper(event)}`] = { action: 'send', channel: ref(`#/channels/${CHANNEL}`), summary: e.summary, messages: [channelMessage(key)] };
  }

  for (const [name, schema] of schemaRefs) registry.register(name, schema);
  const schemas = new OpenApiGeneratorV31(registry.definitions).generateComponents().components?.schemas ?? {};

  return {
    asyncapi: '3.0.0',
    info: { title: 'order-chat-server realtime chat (Socket.IO, protocol v2)', version: '2', description: DESCRIPTION },
    defaultContentType: 'application/json',
    channels: {
      [CHANNEL]: {
        address: '/',
        title: 'The Socket.IO namespace `/`',
        description: 'Events are Socket.IO events: a message’s `name` is the event name.',
        messages: Object.fromEntries(Object.keys(messages).map((k) => [k, ref(`#/components/messages/${k}`)])),
      },
    },
    operations,
    components: { schemas, messages },
  };
}
