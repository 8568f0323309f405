// The compiled build (README "Building and running compiled"): `npm run build` writes
// dist/server.js, dist/clock.js, dist/checkpoint-worker.js and dist/console/; the Procfile runs them with node, so
// SIGTERM reaches the process; `--if-stale` (npm start's prestart) builds only when a
// source is newer than the output.
import test from 'ava';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { TEST_SECRET } from '../helpers/app';
import { freePort } from '../helpers/redis-server';
import { spawnEntry, within, type Child } from '../helpers/spawn';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const run = promisify(execFile);
const build = (...args: string[]) => run(process.execPath, ['scripts/build.mjs', ...args], { cwd: ROOT });
const children: Child[] = [];

test.after.always(() => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});

function spawnBuilt(entry: 'server' | 'clock', env: Record<string, string>) {
  const child = spawnEntry(`dist/${entry}.js`, { AUTH_SECRET: TEST_SECRET, DATA_DIR: ':memory:', LOG_LEVEL: 'info', ...env }, { command: [process.execPath, `dist/${entry}.js`] });
  children.push(child);
  return child;
}

test.serial('npm run build compiles the server, the clock and the console into dist/', async (t) => {
  await build();
  for (const f of ['server.js', 'clock.js', 'checkpoint-worker.js', 'console/index.html', 'console/app.js', 'console/app.css']) t.true(fs.existsSync(path.join(DIST, f)), f);
  // Packages stay in node_modules; only our code is in the bundle.
  const server = fs.readFileSync(path.join(DIST, 'server.js'), 'utf8');
  t.regex(server, /from "koa"/);
  t.notRegex(server, /from "\.\.?\//, 'no relative import left unbundled');
});

test.serial('the built server answers /healthz and /console, and exits 0 on SIGTERM', async (t) => {
  const port = await freePort();
  const child = spawnBuilt('server', { PORT: String(port) });
  await child.waitForLog((l) => l.msg === 'listening');
  const base = `http://127.0.0.1:${port}`;
  const health = await fetch(`${base}/healthz`);
  t.is(health.status, 200);
  t.is(((await health.json()) as { status: string }).status, 'ok');
  const page = await fetch(`${base}/console/`);
  t.is(page.status, 200);
  t.regex(await page.text(), /<title>客服工作台<\/title>/);
  const script = await fetch(`${base}/console/app.js`);
  t.is(script.status, 200);
  t.regex(script.headers.get('content-type') ?? '', /javascript/);
  t.is((await fetch(`${base}/console/../package.json`)).status, 404);
  child.signal('SIGTERM');
  t.is(await within(child.exited, 15_000, 'exit after SIGTERM'), 0, child.output());
  t.truthy(child.lines.find((l) => l.msg === 'stopped'));
});

test.serial('the built server checkpoints its SQLite file from dist/checkpoint-worker.js', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-store-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawnBuilt('server', { PORT: String(port), DATA_DIR: dir });
  await child.waitForLog((l) => l.msg === 'listening');
  // The server's own connection never checkpoints: the schema its migrations wrote reaches
  // the database file only through the worker (a failed worker leaves it in the WAL).
  const file = path.join(dir, 'store.sqlite');
  let copied = false;
  for (let i = 0; i < 200 && !copied; i++) {
    copied = fs.statSync(file).size > 16 * 4096;
    if (!copied) await sleep(50);
  }
  t.true(copied, `the WAL reached ${file}`);
  t.falsy(child.lines.find((l) => l.msg?.startsWith('checkpoint worker failed')), child.output());
  child.signal('SIGTERM');
  t.is(await within(child.exited, 15_000, 'exit after SIGTERM'), 0, child.output());
});

test.serial('the built clock starts and exits 0 on SIGTERM', async (t) => {
  const child = spawnBuilt('clock', {});
  await child.waitForLog((l) => l.msg === 'clock running');
  child.signal('SIGTERM');
  t.is(await within(child.exited, 15_000, 'exit after SIGTERM'), 0, child.output());
});

test.serial('the Procfile runs the compiled output with node, and Heroku builds it after install', (t) => {
  const procfile = fs.readFileSync(path.join(ROOT, 'Procfile'), 'utf8');
  t.regex(procfile, /^web: node dist\/server\.js$/m);
  t.regex(procfile, /^clock: node dist\/clock\.js$/m);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  t.is(pkg.scripts.build, 'node scripts/build.mjs');
  t.is(pkg.scripts.start, 'node dist/server.js');
  t.is(pkg.scripts.prestart, 'node scripts/build.mjs --if-stale');
});

test.serial('--if-stale builds when dist/ is missing or older than a source, and only then', async (t) => {
  const stamp = path.join(DIST, '.built');
  await build('--if-stale');
  const first = fs.statSync(stamp).mtimeMs;
  await build('--if-stale');
  t.is(fs.statSync(stamp).mtimeMs, first, 'nothing changed: no build');
  // A source newer than the output (as after a pull).
  const source = path.join(ROOT, 'console/app.css');
  const future = new Date(Date.now() + 60_000);
  const before = fs.statSync(source);
  fs.utimesSync(source, before.atime, future);
  try {
    await build('--if-stale');
    t.true(fs.statSync(stamp).mtimeMs > first, 'stale: built again');
  } finally {
    fs.utimesSync(source, before.atime, before.mtime);
  }
});
