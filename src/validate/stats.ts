// Distribution summaries and the two-sample Kolmogorov–Smirnov statistic for the validation suite.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank quantile (the value at rank ceil(q·n)), q in [0, 1]; NaN for an empty sample. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * s.length));
  return s[Math.min(s.length, rank) - 1]!;
}

/** The median as usual: the middle value, or the mean of the two middle values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) return { n: 0, min: NaN, p50: NaN, p95: NaN, max: NaN };
  return { n: xs.length, min: Math.min(...xs), p50: median(xs), p95: quantile(xs, 0.95), max: Math.max(...xs) };
}

/**
 * Two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| over the empirical CDFs.
 * Ties are handled by stepping both CDFs past every copy of a value before comparing.
 */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return NaN;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * The asymptotic critical value of D at level alpha (Smirnov): c(α)·sqrt((n+m)/(n·m)),
 * c(α) = sqrt(−ln(α/2)/2). Printed beside D as a guide; the pass rule is the median ratio.
 */
export function ksCritical(n: number, m: number, alpha = 0.05): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}
