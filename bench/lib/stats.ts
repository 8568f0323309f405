// Percentiles and medians over plain arrays of samples (ms).

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: ArrayLike<number>): Summary {
  const s = Float64Array.from(samples as ArrayLike<number>).sort();
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i];
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Median of each numeric field over several runs of the same measurement. */
export function medianOf<T extends Record<string, unknown>>(runs: T[]): T {
  if (runs.length === 1) return runs[0];
  const out: Record<string, unknown> = { ...runs[0] };
  for (const k of Object.keys(runs[0])) {
    const vals = runs.map((r) => r[k]);
    if (vals.every((v) => typeof v === 'number')) out[k] = median(vals as number[]);
  }
  return out as T;
}

export const ratio = (ours: number, base: number) => (Number.isFinite(ours) && Number.isFinite(base) && base !== 0 ? ours / base : NaN);
