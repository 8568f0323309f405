// One row per figure: what was measured, ours, the baseline's, their ratio and the target.
import { median } from './stats';

export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  ours: number;
  baseline?: number;
  /** ours ÷ baseline (or, for growth, large ÷ small) */
  ratio?: number;
  target?: string;
  /** true: met, false: missed, undefined: no target */
  met?: boolean;
  note?: string;
}

export function fmt(v: number | undefined, unit = ''): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  let s: string;
  if (Number.isInteger(v)) s = v.toLocaleString('en-US');
  else if (unit === 'MB' || unit === 'KB') s = v.toFixed(1);
  else if (a >= 1000) s = Math.round(v).toLocaleString('en-US');
  else if (a >= 100) s = v.toFixed(0);
  else if (a >= 10) s = v.toFixed(1);
  else if (a >= 1) s = v.toFixed(2);
  else s = v.toFixed(3);
  return s;
}

function cells(r: Row): string[] {
  return [
    r.scenario,
    `${r.metric}${r.unit ? ` (${r.unit})` : ''}`,
    fmt(r.ours, r.unit),
    fmt(r.baseline, r.unit),
    r.ratio === undefined ? '' : Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : 'n/a',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
    r.note ?? '',
  ];
}

const HEAD = ['scenario', 'metric', 'ours', 'baseline', 'ratio', 'target', '', 'note'];

/** Fixed-width text table for the terminal. */
export function textTable(rows: Row[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for BENCHMARKS.md. */
export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`| ${HEAD.map((h) => h || 'verdict').join(' | ')} |`, `| ${HEAD.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`];
  for (const r of rows) out.push(`| ${cells(r).map(esc).join(' | ')} |`);
  return out.join('\n');
}

/** Medians per figure over the runs (a ratio is the median of the runs' ratios: each run pairs ours with its baseline). */
export function medianRows(runs: Row[][]): Row[] {
  if (runs.length === 1) return runs[0];
  const out: Row[] = [];
  for (const r of runs[0]) {
    const same = runs.map((rs) => rs.find((x) => x.scenario === r.scenario && x.metric === r.metric)).filter((x): x is Row => !!x);
    const m = (f: (x: Row) => number | undefined) => (same.every((x) => f(x) === undefined) ? undefined : median(same.map((x) => f(x) ?? NaN)));
    const merged: Row = { ...r, ours: m((x) => x.ours) ?? NaN, baseline: m((x) => x.baseline), ratio: m((x) => x.ratio) };
    // Notes that differ between runs describe one run (which step failed, ...): show the runs' figures instead.
    const notes = [same.every((x) => x.note === r.note) ? r.note : undefined];
    const each = (f: (x: Row) => number | undefined) => same.map((x) => fmt(f(x), r.unit)).join(' / ');
    notes.push(r.ratio !== undefined && Number.isFinite(r.ratio) ? `runs: ${each((x) => x.ours)} vs ${each((x) => x.baseline)}` : `runs: ${each((x) => x.ours)}`);
    if (r.met !== undefined) {
      const met = same.filter((x) => x.met).length;
      merged.met = met * 2 > same.length;
      notes.push(`met in ${met}/${same.length}`);
    }
    merged.note = notes.filter(Boolean).join('; ');
    out.push(merged);
  }
  return out;
}

