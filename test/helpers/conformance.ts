// Every answer the test client receives is checked against the route table (src/api/routes.ts),
// the source of /openapi.json: a success against its route's answer schema, a failure against
// the error envelope of its HTTP status with the codes documented for that route.
import { API_ROUTES, NO_ROUTE, type ApiRoute } from '../../src/api/routes';

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

function assertMatches(schema: NonNullable<ApiRoute['responses'][number]['schema']>, body: unknown, where: string) {
  const r = schema.safeParse(body);
  if (r.success) return;
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new NonConformingAnswer(`${where}: the answer does not match its documented schema: ${issues.join('; ')}; body: ${JSON.stringify(body).slice(0, 300)}`);
}
