// Two commits on the same benchmark: `npm run bench` for each, in turns, and the figures side
// by side. The turns go B A A B B A A B by default: on this shared machine speed drifts over
// minutes, and plain A B A B pairs hand a steady drift to whichever side runs second,
// showing gains that an ordering like this one does not. A is the given commit, checked out in a temporary git worktree
// that borrows this checkout's node_modules; B is this working tree as it is.
//
//   npx tsx bench/compare.ts REV [--order BAABBAAB] -- --only rest --rest-endpoints orders
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats';
import { fmt } from './lib/table';

interface Results {
  rows: Array<{ scenario: string; metric: string; unit: string; ours: number | null; ratio: number | null }>;
  raw: Record<string, Array<{ ours?: { rps: number; serverCpu: number } }>>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const own = dash === -1 ? args : args.slice(0, dash);
const benchFlags = dash === -1 ? [] : args.slice(dash + 1);
const rev = own.find((a, i) => !a.startsWith('--') && own[i - 1] !== '--order');
const orderAt = own.indexOf('--order');
const order = orderAt === -1 ? 'BAABBAAB' : own[orderAt + 1];
if (!rev || !/^[AB]+$/.test(order ?? '') || !order.includes('A') || !order.includes('B')) {
  process.stderr.write('usage: npx tsx bench/compare.ts REV [--order BAABBAAB] -- [npm run bench flags]\n');
  process.exit(2);
}

const git = (...a: string[]) => {
  const r = spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
const worktree = path.join(tmp, 'a');
git('worktree', 'add', '--detach', worktree, rev);
fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(worktree, 'node_modules'));
const label = { A: `${rev} (${git('rev-parse', '--short', rev)})`, B: 'this working tree' };

const results: Record<'A' | 'B', Results[]> = { A: [], B: [] };
try {
  [...order].forEach((side, i) => {
    const out = path.join(tmp, `${i + 1}${side}.json`);
    const log = path.join(tmp, `${i + 1}${side}.log`);
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] turn ${i + 1}/${order.length}: ${side}, ${label[side as 'A' | 'B']} (log ${log})\n`);
    const r = spawnSync('npx', ['tsx', 'bench/run.ts', ...benchFlags, '--out', out], { cwd: side === 'A' ? worktree : ROOT, stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(log, 'a')] });
    if (r.status !== 0) throw new Error(`turn ${i + 1} (${side}) failed: see ${log}`);
    results[side as 'A' | 'B'].push(JSON.parse(fs.readFileSync(out, 'utf8')) as Results);
  });
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT });
}

// One line per figure: each side's runs in the order they ran, their medians, B over A.
const lines: string[][] = [];
const add = (name: string, pick: (r: Results) => number | null | undefined) => {
  const a = results.A.map(pick).filter((x): x is number => typeof x === 'number');
  const b = results.B.map(pick).filter((x): x is number => typeof x === 'number');
  if (!a.length || !b.length) return;
  lines.push([name, a.map((x) => fmt(x)).join(' / '), b.map((x) => fmt(x)).join(' / '), fmt(median(a)), fmt(median(b)), `${(median(b) / median(a)).toFixed(2)}×`]);
};
for (const row of results.B[0].rows) {
  const same = (r: Results) => r.rows.find((x) => x.scenario === row.scenario && x.metric === row.metric);
  add(`${row.scenario} ${row.metric} (${row.unit})`, (r) => same(r)?.ours);
  add(`${row.scenario} ${row.metric}: ratio to baseline`, (r) => same(r)?.ratio);
}
// Server CPU per REST request: steadier than requests/s when the load generator shares the machine.
for (const key of Object.keys(results.B[0].raw ?? {}).filter((k) => k.startsWith('rest.'))) {
  add(`${key}: our server's CPU per request (µs)`, (r) => {
    const x = r.raw?.[key]?.[0]?.ours;
    return x && x.rps > 0 ? (x.serverCpu * 10_000) / x.rps : null;
  });
}
process.stdout.write(`\nA = ${label.A}, B = ${label.B}; turns ${order}; npm run bench -- ${benchFlags.join(' ')}\n\n`);
const all = [['figure', 'A runs', 'B runs', 'A median', 'B median', 'B / A'], ...lines];
const width = all[0].map((_, i) => Math.max(...all.map((l) => l[i].length)));
for (const l of all) process.stdout.write(l.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ') + '\n');
