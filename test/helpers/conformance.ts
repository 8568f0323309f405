// Every answer the test client receives is checked against the route table (src/api/routes.ts),
// the source of /openapi.json: a success against its route's answer schema, a failure against
// the error envelope of its HTTP status with the codes documented for that route. Every event
// and ack a test socket receives is checked against the protocol (src/realtime/events.ts), the
// source of /asyncapi.json.
import type { z } from 'zod';
import { API_ROUTES, type ApiRoute } from '../../src/api/routes';
import { adminError, restError } from '../../src/http/answers';
import { Code } from '../../src/errors';
import { ackFailureSchema, ackSchemaOf, CLIENT_EVENTS, SERVER_EVENTS, type ClientEventName, type ServerEventName } from '../../src/realtime/events';

/** The answer of a path no route has: its API's 404 envelope. */
const NO_ROUTE = { rest: restError([Code.NOT_FOUND]), admin: adminError([Code.NOT_FOUND]) };

interface Matcher {
  route: ApiRoute;
  re: RegExp;
  params: number;
}

// Static paths before `:param` ones, as the routers are ordered (see app.ts).
const matchers: Matcher[] = API_ROUTES.map((route) => ({
  route,
  re: new RegExp(`^${route.path.replace(/:[A-Za-z_]+/g, '[^/]+')}$`),
  params: (route.path.match(/:/g) ?? []).length,
})).sort((a, b) => a.params - b.params);

export function routeOf(method: string, path: string): ApiRoute | undefined {
  const m = method.toLowerCase();
  return matchers.find((x) => x.route.method === m && x.re.test(path))?.route;
}

export class NonConformingAnswer extends Error {
  override name = 'NonConformingAnswer';
}

/** Throws NonConformingAnswer when the answer is not the one documented for the request. */
export function checkAnswer(method: string, url: string, status: number, body: unknown): void {
  const path = url.split('?')[0];
  const route = routeOf(method, path);
  const where = `${method} ${path} → HTTP ${status}`;
  if (!route) {
    // No such endpoint: the 404 envelope of its API.
    const envelope = path.startsWith('/v1/admin') ? NO_ROUTE.admin : path.startsWith('/rest') ? NO_ROUTE.rest : undefined;
    if (envelope && status === 404) assertMatches(envelope, body, `${where} (no such route)`);
    return;
  }
  const documented = route.responses[status];
  if (!documented) throw new NonConformingAnswer(`${where}: HTTP ${status} is not documented for ${route.method.toUpperCase()} ${route.path} (documented: ${Object.keys(route.responses).join(', ')})`);
  if (documented.schema) assertMatches(documented.schema, body, where);
}

/** Throws NonConformingAnswer when a server event is not in the protocol or its payload not as documented. */
export function checkPush(event: string, payload: unknown): void {
  if (!Object.hasOwn(SERVER_EVENTS, event)) throw new NonConformingAnswer(`server event "${event}" is not in the protocol`);
  assertMatches(SERVER_EVENTS[event as ServerEventName].payload, payload, `server event "${event}"`);
}

/** Throws NonConformingAnswer when an ack is neither the event's documented success nor the failure envelope. */
export function checkAck(event: string, ack: unknown): void {
  if (!Object.hasOwn(CLIENT_EVENTS, event)) return;
  const ok = (ack as { code?: unknown } | undefined)?.code === 900;
  assertMatches(ok ? ackSchemaOf(event as ClientEventName) : ackFailureSchema, ack, `ack of "${event}"`);
}

function assertMatches(schema: z.ZodTypeAny, body: unknown, where: string) {
  const r = schema.safeParse(body);
  if (r.success) return;
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new NonConformingAnswer(`${where}: the answer does not match its documented schema: ${issues.join('; ')}; body: ${JSON.stringify(body).slice(0, 300)}`);
}
