// The published API: /openapi.json, /asyncapi.json, and /docs, an HTML reference rendered by
// Swagger UI from this server's own node_modules (swagger-ui-dist), so it works without internet.
import type Router from '@koa/router';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildAsyncApi } from './asyncapi';
import { buildOpenApi } from './openapi';

const require = createRequire(import.meta.url);
/** swagger-ui-dist's documented way to find its files. */
const swaggerUiDir: string = require('swagger-ui-dist/absolute-path.js')();

/** The only files /docs/:file serves, by name (no path from the request reaches the file system). */
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui.css.map': 'application/json',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-bundle.js.map': 'application/json',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
};
`;

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>order-chat-server API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  </head>
  <body>
    <p style="font-family: sans-serif; margin: 1em 2em">
      OpenAPI: <a href="/openapi.json">/openapi.json</a> ·
      Socket.IO protocol (AsyncAPI 3): <a href="/asyncapi.json">/asyncapi.json</a>
    </p>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/** Only this server's own files; Swagger UI's inline styles need 'unsafe-inline' for styles. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

export function apiDocsRoutes(router: Router) {
  // Built on first request and kept: the documents depend only on the code.
  let openapi: string | undefined;
  let asyncapi: string | undefined;

  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openapi ??= JSON.stringify(buildOpenApi());
  });

  router.get('/asyncapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = asyncapi ??= JSON.stringify(buildAsyncApi());
  });

  router.get('/docs', (ctx) => {
    ctx.set('content-security-policy', CSP);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });

  router.get('/docs/:file', (ctx) => {
    const file = ctx.params.file;
    if (file === 'init.js') {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.body = INIT_JS;
      return;
    }
    const type = Object.hasOwn(SWAGGER_FILES, file) ? SWAGGER_FILES[file] : undefined;
    if (!type) {
      ctx.status = 404;
      ctx.body = 'no such file';
      return;
    }
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.type = type;
    ctx.body = createReadStream(path.join(swaggerUiDir, file));
  });
}
