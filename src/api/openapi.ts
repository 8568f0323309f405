// /openapi.json: OpenAPI 3.1 generated from the route table (routes.ts) and the zod schemas
// by @asteasolutions/zod-to-openapi, so the document cannot drift from what is validated.
import { API_ROUTES, type Access, type ApiRoute } from './routes';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from './zod-openapi';

const DESCRIPTION = [
  'Paid consultation orders and the chat beside each order.',
  '',
  '- `/rest`: success is HTTP 200 with `{"code": 900, ...}`; failure is `{"code", "msg"}` with the HTTP status of its code.',
  '- `/v1/admin` (staff tokens only): success is `{"data": ...}`; failure is `{"error": {"code", "message"}}`.',
  '- The realtime chat (Socket.IO) is described by `/asyncapi.json`.',
  '',
  'The codes, the order states and the realtime protocol are in the repository’s `docs/` (errors.md, order-states.md, protocol.md).',
].join('\n');

/** `:o_id` → `{o_id}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

const securityOf: Record<Access, Array<Record<string, string[]>> | undefined> = {
  user: [{ auth: [] }, { bearer: [] }],
  staff: [{ auth: [] }, { bearer: [] }],
  // The token is optional: none, or a valid one.
  anyone: [{}, { auth: [] }, { bearer: [] }],
  webhook: [],
};

function register(registry: OpenAPIRegistry, r: ApiRoute) {
  const responses = Object.fromEntries(
    Object.entries(r.responses).map(([status, res]) => [
      status,
      { description: res.description, content: { [res.contentType]: { schema: res.schema ?? { type: 'string' as const } } } },
    ]),
  );
  registry.registerPath({
    method: r.method,
    path: openApiPath(r.path),
    operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [r.tag],
    summary: r.summary,
    description: r.access === 'staff' ? 'Staff tokens only.' : undefined,
    security: securityOf[r.access],
    request: {
      params: r.params,
      query: r.query,
      body: r.body ? { required: !r.body.isOptional(), content: { 'application/json': { schema: r.body } } } : undefined,
    },
    responses,
  });
}

export function buildOpenApi(): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'auth', { type: 'apiKey', in: 'header', name: 'auth', description: 'The token as is (README, "Tokens")' });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The same token as `Authorization: Bearer <token>`' });
  for (const r of API_ROUTES) register(registry, r);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'order-chat-server', version: '1', description: DESCRIPTION },
    tags: [...new Set(API_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
  });
}
