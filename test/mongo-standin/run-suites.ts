// `npm run test:mongodb`: the MongoDB engine's suites on one server, with a labelled summary.
// The server is MongoDB at TEST_MONGODB_URI when set, else the wire-protocol stand-in
// (mongomock over the wire, NOT mongod) started here once for all files:
//   1. the repository contract (test/db/mongo.test.ts), and the index check
//      (test/db/mongo-indexes.test.ts);
//   2. every REST and socket test file (those that start the app through test/helpers), with
//      TEST_STORE=mongodb so each app gets a fresh database on that server.
// Exits non-zero when any test fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mongoTarget } from './standin';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** App test files that do not run on MongoDB, and why: each tests a part of the embedded engine. */
const EMBEDDED_ONLY: Record<string, string> = {
};

/** Test files that start the app (REST and sockets) through the shared helpers. */
function appTestFiles(): string[] {
  const files = (fs.readdirSync(path.join(ROOT, 'test'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test', f))
    .sort();
  // The fault tests have their own run, one file at a time (npm run test:faults).
  return files.filter((f) => !f.startsWith('test/faults/') && !(f in EMBEDDED_ONLY) && /from '\.\.\/helpers\/(app|chat)'/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
}

interface Counts {
  pass: number;
  fail: number;
  total: number;
}

/** Runs ava on `files` with TAP output (echoed), and reads its counts. */
function ava(files: string[], env: Record<string, string>): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/ava'), ['--tap', ...files], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      process.stdout.write(d);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? NaN);
      const c = { pass: count('pass'), fail: count('fail'), total: count('tests') };
      // A crash before the summary counts as a failure.
      if (code !== 0 && !(c.fail > 0)) c.fail = Number.isNaN(c.fail) ? 1 : c.fail + 1;
      resolve(c);
    });
  });
}

const target = await mongoTarget();
const started = Date.now();
const lines: string[] = [];
let failed = false;
try {
  console.log(`# MongoDB suites on ${target.label}`);
  for (const [f, why] of Object.entries(EMBEDDED_ONLY)) console.log(`# not run on MongoDB: ${f}: ${why}`);
  const server: Record<string, string> = target.kind === 'standin' ? { TEST_STANDIN_URI: target.uri } : {};
  const runs: [string, Counts][] = [];
  runs.push(['MongoDB contract', await ava(['test/db/mongo.test.ts'], server)]);
  runs.push(['MongoDB indexes (every query served by an index)', await ava(['test/db/mongo-indexes.test.ts'], server)]);
  const files = appTestFiles();
  runs.push([`MongoDB REST/socket suites (${files.length} files)`, await ava(files, { ...server, TEST_STORE: 'mongodb' })]);
  for (const [name, c] of runs) {
    lines.push(`${name}: ${c.pass}/${c.total} passed on ${target.label}`);
    failed ||= c.fail > 0 || c.pass !== c.total;
  }
} finally {
  await target.stop();
}
for (const l of lines) console.log(l);
console.log(`MongoDB suites took ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
