// Study statistics on tiny synthetic inputs: quantiles, nines, paired differences with 95 % CI.
import { describe, expect, it } from 'vitest';
import { nines, pairedDiff, quantile, runsForHalfWidth, summarize } from '../../src/study/stats.ts';
import { parseShard, seedsOf } from '../../src/study/study.ts';
import { parseVary } from '../../src/study/sweep.ts';

describe('study statistics', () => {
  it('summarizes with interpolated quantiles and ignores nulls', () => {
    const s = summarize([4, null, 1, 3, 2]);
    expect(s).toMatchObject({ n: 4, mean: 2.5, p50: 2.5, min: 1, max: 4 });
    expect(s.p95).toBeCloseTo(3.85, 12);
    expect(s.p99).toBeCloseTo(3.97, 12);
    expect(quantile([], 0.5)).toBeNull();
    expect(summarize([null]).mean).toBeNull();
  });

  it('converts availability to nines', () => {
    expect(nines(0.999)).toBeCloseTo(3, 10);
    expect(nines(0.9)).toBeCloseTo(1, 10);
    expect(nines(1)).toBeNull();
  });

  it('pairs differences by seed: mean ± 1.96·sd/√n', () => {
    // differences: 1, 2, 3, 4 → mean 2.5, sd = sqrt(5/3)
    const d = pairedDiff([10, 10, 10, 10, 7], [11, 12, 13, 14, null]);
    const sd = Math.sqrt(5 / 3);
    expect(d.n).toBe(4);
    expect(d.mean).toBe(2.5);
    expect(d.sd).toBeCloseTo(sd, 12);
    expect(d.low).toBeCloseTo(2.5 - (1.96 * sd) / 2, 12);
    expect(d.high).toBeCloseTo(2.5 + (1.96 * sd) / 2, 12);
    expect(pairedDiff([1], [2])).toEqual({ n: 1, mean: 1, sd: null, se: null, low: null, high: null });
    expect(d.se).toBeCloseTo(sd / 2, 12);
    // (1.96 · sd / 0.5)² = 25.6… → 26 pairs for a CI of ±0.5
    expect(runsForHalfWidth(sd, 0.5)).toBe(Math.ceil((1.96 * sd / 0.5) ** 2));
    expect(runsForHalfWidth(null, 0.5)).toBeNull();
  });

  it('shards seeds round-robin', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('0/3')).toBeNull();
    expect(parseShard('4/3')).toBeNull();
    expect(seedsOf(7, { index: 2, count: 3 })).toEqual([2, 5]);
    expect(seedsOf(3, null)).toEqual([1, 2, 3]);
  });

  it('parses --vary ranges of durations and numbers', () => {
    expect(parseVary('params.leaderElection.leaseDuration=5s..20s:5s')).toEqual({ path: 'params.leaderElection.leaseDuration', kind: 'duration', values: ['5s', '10s', '15s', '20s'] });
    expect(parseVary('cluster.masters=3..7:2').values).toEqual(['3', '5', '7']);
    expect(parseVary('params.network.loss=0..0.3:0.1').values).toEqual(['0', '0.1', '0.2', '0.3']);
    expect(parseVary('x=1s..2s').values).toEqual(['1s', '1.2s', '1.4s', '1.6s', '1.8s', '2s']);
    expect(() => parseVary('x=5s')).toThrow(/expected path=a\.\.b\[:step\]/);
    expect(() => parseVary('x=10s..5s')).toThrow(/backwards/);
    expect(() => parseVary('x=1..5:0')).toThrow(/step must be greater than zero/);
    expect(() => parseVary('x=soon..later')).toThrow(/two numbers or two durations/);
  });
});
