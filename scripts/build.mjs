// `npm run build`: the server and the clock compiled by esbuild into dist/ (one ES module
// each; packages stay in node_modules), and the customer-service console bundled for the
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
    entryPoints: { server: path.join(root, 'src/server.ts'), clock: path.join(root, 'src/clock.ts'), token: path.join(root, 'src/auth/token-cli.ts') },
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

async function main() {
  if (flag('--console-only')) {
    await buildConsole(path.resolve(option('--out') ?? path.join(DIST, 'console')));
    return;
  }
  if (flag('--if-stale') && !isStale()) return;
  const started = Date.now();
  // Build beside dist/ and swap it in: a failed build leaves the last good one in place, and
  // two builds at once (two processes started together) each write their own folder.
  const next = `${DIST}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    await Promise.all([buildServer(next), buildConsole(path.join(next, 'console'))]);
    fs.writeFileSync(path.join(next, '.built'), new Date().toISOString() + '\n');
    fs.rmSync(DIST, { recursive: true, force: true });
    fs.renameSync(next, DIST);
  } catch (err) {
    // Another build put its (identical) dist/ in place between our rm and rename: keep it.
    if (!(err.code === 'ENOTEMPTY' || err.code === 'EEXIST') || !fs.existsSync(STAMP)) throw err;
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
