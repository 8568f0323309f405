// Prints the table of a results file again (medians over its runs), as text or Markdown.
//   npx tsx bench/report.ts [bench/results/latest.json] [--markdown]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, medianRows, textTable, type Row } from './lib/table';

const { values, positionals } = parseArgs({ options: { markdown: { type: 'boolean', default: false } }, allowPositionals: true });
const file = positionals[0] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
// NaN and Infinity were written as null.
const revive = (_: string, v: unknown) => (v === null ? NaN : v);
const result = JSON.parse(fs.readFileSync(file, 'utf8'), revive) as { command: string; machine: Record<string, unknown>; store: string; seconds: number; runs: Row[][] };
for (const run of result.runs) for (const r of run) for (const k of ['baseline', 'ratio'] as const) if (Number.isNaN(r[k]) && r[k] !== undefined) r[k] = NaN;
const rows = medianRows(result.runs);
const m = result.machine;
process.stdout.write(`${result.command}\n${m.cpu}, ${m.cores} cores, ${m.memGB} GB, ${m.os}, Node ${m.node}; ${result.store} store; ${result.runs.length} run(s), ${result.seconds} s\n\n`);
process.stdout.write((values.markdown ? markdownTable(rows) : textTable(rows)) + '\n');
