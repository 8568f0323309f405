// `npm run build`: the server, the clock and the SQLite checkpoint worker compiled by esbuild
// into dist/ (one ES module each; packages stay in node_modules), and the customer-service console bundled for the
// browser into dist/console/. `--if-stale` (npm start's prestart) builds only when dist/ is
// missing or older than a source file, so `npm install && npm start` works on a fresh clone.
// `--console-only --out DIR` builds the console alone into DIR (the browser tests).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const DIST = path.join(root, 'dist');
const STAMP = path.join(DIST, '.built');
/** What the output is made of: a change to any of these makes dist/ stale. */
const SOURCES = ['src', 'config', 'console', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale() {
  const built = newestMtime(STAMP);
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export async function buildConsole(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'console/src/main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'app.css']) fs.copyFileSync(path.join(root, 'console', file), path.join(outDir, file));
}

async function buildServer(outDir) {
  await esbuild.build({
    entryPoints: {
      server: path.join(root, 'src/server.ts'),
      clock: path.join(root, 'src/clock.ts'),
      token: path.join(root, 'src/auth/token-cli.ts'),
      // a file of its own: src/db/checkpointer.ts starts it as a worker thread beside the bundle
      'checkpoint-worker': path.join(root, 'src/db/checkpoint-worker.ts'),
    },
    outdir: outDir,
    bundle: true,
    // node_modules stay where npm put them: native modules (better-sqlite3) and the drivers load as they are.
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** Moves every file of `from` into `to` (the stamp last), then removes what `to` has beyond them. */
function moveInto(from, to) {
  fs.mkdirSync(to, { recursive: true });
  const entries = fs.readdirSync(from, { withFileTypes: true }).sort((a, b) => (a.name === '.built') - (b.name === '.built'));
  for (const e of entries) {
    if (e.isDirectory()) moveInto(path.join(from, e.name), path.join(to, e.name));
    else fs.renameSync(path.join(from, e.name), path.join(to, e.name));
  }
  const kept = new Set(entries.map((e) => e.name));
  for (const name of fs.readdirSync(to)) if (!kept.has(name)) fs.rmSync(path.join(to, name), { recursive: true, force: true });
}

async function main() {
  if (flag('--console-only')) {
    await buildConsole(path.resolve(option('--out') ?? path.join(DIST, 'console')));
    return;
  }
  if (flag('--if-stale') && !isStale()) return;
  const started = Date.now();
  // Build beside dist/ and move each file in with one rename (atomic): a failed build leaves
  // the last good one, a process starting meanwhile reads a whole file, and two builds at once
  // (two processes started together) each write their own folder.
  const next = `${DIST}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    await Promise.all([buildServer(next), buildConsole(path.join(next, 'console'))]);
    fs.writeFileSync(path.join(next, '.built'), new Date().toISOString() + '\n');
    moveInto(next, DIST);
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
  process.stdout.write(`built dist/ in ${Date.now() - started} ms\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exit(1);
  });
}
