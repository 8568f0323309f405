// Serves the customer-service console (built from console/ into dist/console by
// `npm run build`) at /console. The few files are read once at start-up and answered from
// memory: a request names a key of that map, never a path on disk.
import type Router from '@koa/router';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Everything from this server; avatars are the users' own URLs (any https or http image);
 * the socket connects back to this origin.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' https: http: data:; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

interface File {
  body: Buffer;
  type: string;
  etag: string;
}

/** dist/console beside the compiled server (dist/server.js), or under the tree when run from src/ with tsx. */
export function defaultConsoleDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'console');
  return fs.existsSync(path.join(beside, 'index.html')) ? beside : path.resolve(here, '../../dist/console');
}

function readFiles(dir: string): Map<string, File> | undefined {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return undefined;
  const files = new Map<string, File>();
  for (const name of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    const full = path.join(dir, name);
    if (!type || !fs.statSync(full).isFile()) continue;
    const body = fs.readFileSync(full);
    files.set(name, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  }
  return files;
}

export function consoleRoutes(router: Router, dir: string) {
  const files = readFiles(dir);
  // The page's relative asset URLs need the trailing slash.
  router.get(['/console', '/console/:file'], (ctx) => {
    if (!ctx.params.file && !ctx.path.endsWith('/')) return ctx.redirect('/console/');
    if (!files) {
      ctx.status = 503;
      ctx.body = 'the console is not built: run `npm run build`\n';
      return;
    }
    const file = files.get(ctx.params.file ?? 'index.html');
    if (!file) {
      ctx.status = 404;
      ctx.body = 'not found\n';
      return;
    }
    ctx.set(SECURITY_HEADERS);
    ctx.set('Content-Type', file.type);
    ctx.set('ETag', file.etag);
    // The page always asks again (cheaply, by ETag), so a deploy shows at the next load.
    ctx.set('Cache-Control', 'no-cache');
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  });
}
