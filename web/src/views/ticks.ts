// Timeline helpers: round tick steps for any zoom, and the segment under a time.
import type { Seg } from '../track.ts';

/** Index of the segment covering `t` (segments are contiguous and in time order). */
export function firstIndex(segs: readonly Seg[], t: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (segs[mid]!.from <= t) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

const NICE_US = [10, 20, 50, 100, 200, 500]
  .concat([1, 2, 5, 10, 20, 50, 100, 200, 500].map((ms) => ms * 1000))
  .concat([1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1_000_000));

/** Tick times at a round step (1s, 15s, 5m, 1h…) giving at most about `count` ticks over the domain. */
export function niceTicks([a, b]: [number, number], count: number): number[] {
  const step = NICE_US.find((s) => (b - a) / s <= count) ?? (b - a) / count;
  const out: number[] = [];
  for (let t = Math.ceil(a / step) * step; t <= b && out.length < 200; t += step) out.push(t);
  return out;
}

/** Tick labels with enough decimals for the zoom (a 2 ms window reads 31.7771s, 31.7775s…), else 1m30s, 2h05m. */
export function axisFormat([a, b]: [number, number], ticks: readonly number[]): (v: number | { valueOf(): number }) => string {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : b - a;
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step / 1e6) - 1e-9)));
  return (v) => {
    const us = Number(v);
    if (decimals > 3 || b < 60e6) return `${(us / 1e6).toFixed(decimals)}s`;
    const s = Math.round(us / 1000) / 1000;
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    const rest = Math.round((s - m * 60) * 1000) / 1000;
    if (m < 60) return `${m}m${rest ? `${rest}s` : ''}`;
    return `${Math.floor(m / 60)}h${m % 60 || rest ? `${String(m % 60).padStart(2, '0')}m` : ''}`;
  };
}
