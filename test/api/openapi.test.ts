import test from 'ava';
import { API_ROUTES } from '../../src/api/routes';
import { openApiPath } from '../../src/api/openapi';
import { checkAnswer, NonConformingAnswer } from '../helpers/conformance';
import { useApp } from '../helpers/app';
import { unresolvedRefs } from '../helpers/documents';

const t0 = useApp(test);

test('GET /openapi.json is OpenAPI 3.1 with the auth header scheme and both envelopes', async (t) => {
  const res = await t0.api.get('/openapi.json');
  t.is(res.status, 200);
  const doc = res.body;
  t.is(doc.openapi, '3.1.0');
  t.deepEqual(doc.components.securitySchemes.auth, { type: 'apiKey', in: 'header', name: 'auth', description: 'The token as is (README, "Tokens")' });
  t.deepEqual(unresolvedRefs(doc), []);
  const detail = doc.paths['/rest/order/{o_id}'].get;
  t.deepEqual(detail.security, [{ auth: [] }, { bearer: [] }]);
  t.deepEqual(detail.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`), ['path:o_id']);
  t.true(detail.responses['200'].content['application/json'].schema.required.includes('info'));
  t.deepEqual(detail.responses['404'].content['application/json'].schema.properties.code.enum, [904]);
  const cancel = doc.paths['/v1/admin/orders/{id}/cancel'].post;
  t.deepEqual(cancel.responses['409'].content['application/json'].schema.properties.error.properties.code.enum, ['invalid_status']);
  t.is(cancel.responses['413'].description.includes('901'), true);
  t.truthy(doc.paths['/rest/topic/{topic_id}/order'].post.requestBody.content['application/json'].schema.properties.question);
});

test('every route the routers hold is in the document, and the document holds no route they lack', async (t) => {
  const doc = (await t0.api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const inRouters = new Set<string>();
  for (const router of t0.app.routers) {
    for (const layer of router.stack) {
      // router.use() layers carry no methods; HEAD comes with every GET.
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) inRouters.add(`${method.toLowerCase()} ${openApiPath(String(layer.path))}`);
    }
  }
  const inDocument = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
  t.true(inRouters.size >= 30, `the routers hold ${inRouters.size} routes`);
  t.deepEqual([...inRouters].filter((r) => !inDocument.has(r)), [], 'routes missing from /openapi.json');
  t.deepEqual([...inDocument].filter((r) => !inRouters.has(r)), [], 'documented routes no router holds');
  t.is(inDocument.size, API_ROUTES.length);
});

test('the test client refuses an answer that differs from its documented schema', (t) => {
  const info = {
    topic_id: '5768d9ca91173b081eba3037',
    title: 't',
    category: 'c',
    price: 100,
    expert_id: '54f3b5fec08b6f54100c1cbe',
    finish_count: 0,
    rating: 0,
  };
  t.notThrows(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 200, { code: 900, info }));
  // A field the schema lacks, a field of the wrong type, a missing field.
  t.throws(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 200, { code: 900, info: { ...info, extra: 1 } }), { instanceOf: NonConformingAnswer });
  t.throws(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 200, { code: 900, info: { ...info, finish_count: '0' } }), { instanceOf: NonConformingAnswer });
  t.throws(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 200, { code: 900 }), { instanceOf: NonConformingAnswer });
  // Failures: the code must be one documented for the route and the HTTP status.
  t.notThrows(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 404, { code: 904, msg: 'topic_id: no such topic' }));
  t.throws(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 404, { code: 905, msg: 'x' }), { instanceOf: NonConformingAnswer });
  t.throws(() => checkAnswer('GET', '/rest/topic/5768d9ca91173b081eba3037', 409, { code: 905, msg: 'x' }), { message: /HTTP 409 is not documented/ });
  t.throws(() => checkAnswer('POST', '/v1/admin/orders/5768d9ca91173b081eba3037/cancel', 409, { code: 905, msg: 'x' }), { instanceOf: NonConformingAnswer });
  t.notThrows(() => checkAnswer('POST', '/v1/admin/orders/5768d9ca91173b081eba3037/cancel', 409, { error: { code: 'invalid_status', message: 'x' } }));
  // A path no route has answers its API's 404 envelope.
  t.throws(() => checkAnswer('GET', '/rest/no/such/thing', 404, { error: 'x' }), { instanceOf: NonConformingAnswer });
});

test('the static unread routes are told apart from the order detail, as the router does', (t) => {
  t.throws(() => checkAnswer('GET', '/rest/order/unreadnum', 200, { code: 900, info: { total: 0 } }), { message: /list/ });
  t.notThrows(() => checkAnswer('GET', '/rest/order/unreadnum', 200, { code: 900, info: { total: 0, list: [] } }));
});
