// Baseline: a bare Koa route returning a JSON object of the size of our response. The
// orchestrator hands it our actual response bodies (`set`), so both serialize the same object.
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveChild } from '../lib/ipc';
import { profileStart, profileStop } from '../lib/profiler';

const bodies = new Map<string, unknown>();
const app = new Koa();
app.use(async (ctx) => {
  const m = /^\/b\/([\w-]+)$/.exec(ctx.path);
  const body = m ? bodies.get(m[1]) : undefined;
  if (body === undefined) {
    ctx.status = 404;
    ctx.body = { code: 904 };
    return;
  }
  ctx.body = body;
});

const server = http.createServer(app.callback());
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const { port } = server.address() as AddressInfo;

serveChild(
  {
    profileStart,
    profileStop,
    set: (p: { name: string; body: unknown }) => {
      bodies.set(p.name, p.body);
      return Buffer.byteLength(JSON.stringify(p.body));
    },
  },
  { url: `http://127.0.0.1:${port}`, kind: 'bare-koa' },
  () => new Promise<void>((r) => server.close(() => r())),
);
