// Descriptive statistics for studies: distributions, "nines", and paired differences with a 95 % confidence interval.

export interface Summary {
  n: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
}

export const EMPTY_SUMMARY: Summary = { n: 0, mean: null, p50: null, p95: null, p99: null, min: null, max: null };

/** The q-quantile (0..1) of sorted values, linearly interpolated between closest ranks (R type 7, numpy default). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return lo === hi ? a : a + (b - a) * (pos - lo);
}

/** Sum in a fixed order (the values' order), so results do not depend on how runs were scheduled. */
function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return { ...EMPTY_SUMMARY };
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    n: xs.length,
    mean: sum(xs) / xs.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Availability as "nines": −log10(1 − a); 0.999 → 3. Perfect availability is null (infinitely many nines). */
export function nines(a: number | null): number | null {
  if (a === null) return null;
  if (a >= 1) return null;
  return -Math.log10(1 - a);
}

/** The nines of every statistic of an availability summary (the transform is monotone, so quantiles carry over). */
export function ninesSummary(s: Summary): Summary {
  return { n: s.n, mean: nines(s.mean), p50: nines(s.p50), p95: nines(s.p95), p99: nines(s.p99), min: nines(s.min), max: nines(s.max) };
}

export interface PairedDiff {
  /** Number of pairs (seeds where both sides have a value). */
  n: number;
  /** Mean of (b − a) over the pairs. */
  mean: number | null;
  /** Sample standard deviation of the differences (n − 1). */
  sd: number | null;
  /** Standard error of the mean difference, sd / √n (null with fewer than two pairs). */
  se: number | null;
  /** 95 % confidence interval: mean ± 1.96 · sd / √n (null with fewer than two pairs). */
  low: number | null;
  high: number | null;
}

/** Difference of means b − a, paired by index (by seed): mean of the differences ± 1.96 · sd/√n. */
export function pairedDiff(a: readonly (number | null)[], b: readonly (number | null)[]): PairedDiff {
  const d: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    d.push(y - x);
  }
  const n = d.length;
  if (n === 0) return { n, mean: null, sd: null, se: null, low: null, high: null };
  const mean = sum(d) / n;
  if (n < 2) return { n, mean, sd: null, se: null, low: null, high: null };
  let ss = 0;
  for (const v of d) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = 1.96 * se;
  return { n, mean, sd, se, low: mean - half, high: mean + half };
}

/**
 * Pairs needed for a 95 % CI of ± `halfWidth` on the mean difference, from the observed sd of the differences:
 * ⌈(1.96 · sd / halfWidth)²⌉ (at least 2). Null without an sd estimate.
 */
export function runsForHalfWidth(sd: number | null, halfWidth: number): number | null {
  if (sd === null || !(halfWidth > 0)) return null;
  return Math.max(2, Math.ceil(((1.96 * sd) / halfWidth) ** 2));
}
