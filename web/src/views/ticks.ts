// Timeline helpers: round tick steps for any zoom, and the segment under a time.
import type { Seg } from '../lanes.ts';

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
