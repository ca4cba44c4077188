// The validation suite's statistics and pass rule against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { acceptRange, judge, missingMessage, runCase } from '../../src/validate/runner.ts';
import type { ValidationCase } from '../../src/validate/types.ts';
import { ksCritical, ksStatistic, median, quantile, summarize } from '../../src/validate/stats.ts';

describe('two-sample Kolmogorov–Smirnov D', () => {
  it('disjoint samples: D = 1', () => {
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
  });

  it('[1,2,3,4] vs [3,4,5,6]: the CDFs are 0.75 and 0.25 at 3, 1 and 0.5 at 4 → D = 0.5', () => {
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 12);
  });

  it('[1,3,5] vs [2,4]: largest gap 1/3 (at 1: 1/3 vs 0; at 4: 2/3 vs 1)', () => {
    expect(ksStatistic([1, 3, 5], [2, 4])).toBeCloseTo(1 / 3, 12);
    expect(ksStatistic([2, 4], [1, 3, 5])).toBeCloseTo(1 / 3, 12);
  });

  it('ties step both CDFs together: [1,1,2] vs [1,2,2] → 2/3 − 1/3 at 1, 0 at 2 → D = 1/3', () => {
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 12);
  });

  it('the same sample in any order: D = 0', () => {
    expect(ksStatistic([3, 1, 2], [2, 3, 1])).toBe(0);
  });

  it('critical value at 5%: 1.358·sqrt((n+m)/(n·m)); n = m = 20 → 0.4295', () => {
    expect(ksCritical(20, 20)).toBeCloseTo(1.3581 * Math.sqrt(40 / 400), 3);
  });
});

describe('summaries', () => {
  it('median of an even sample is the mean of the middle two; p95 is nearest-rank', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(xs, 0.95)).toBe(19);
    expect(summarize(xs)).toEqual({ n: 20, min: 1, p50: 10.5, p95: 19, max: 20 });
  });
});

describe('pass rule', () => {
  const base = { name: 'x', unit: 's' as const, gated: true };

  it('passes at a median ratio within ±20% and fails just outside', () => {
    expect(judge({ ...base, real: [1, 1, 1], model: [1.19, 1.19, 1.19] }).pass).toBe(true);
    expect(judge({ ...base, real: [1, 1, 1], model: [0.81, 0.81, 0.81] }).pass).toBe(true);
    expect(judge({ ...base, real: [1, 1, 1], model: [1.21, 1.21, 1.21] }).pass).toBe(false);
    expect(judge({ ...base, real: [1, 1, 1], model: [0.79, 0.79, 0.79] }).pass).toBe(false);
  });

  it('a stated resolution widens the tolerance to it, and no further', () => {
    expect(judge({ ...base, real: [0.001], model: [0.0004], resolutionS: 0.001 }).pass).toBe(true);
    expect(judge({ ...base, real: [0.001], model: [0.0004] }).pass).toBe(false);
    expect(judge({ ...base, real: [0.002], model: [0.0004], resolutionS: 0.001 }).pass).toBe(false);
  });

  it('an empty side fails; a count that must be zero fails when the real one is not', () => {
    expect(judge({ ...base, real: [], model: [1] }).pass).toBe(false);
    const counts = { name: 'failed', unit: 'count' as const, gated: false, expectRealZero: true };
    expect(judge({ ...counts, real: [0, 0], model: [1, 0] }).pass).toBe(true);
    expect(judge({ ...counts, real: [0, 2], model: [0, 0] }).pass).toBe(false);
  });

  it('the missing-binary message names the Debian packages', () => {
    const msg = missingMessage([{ binary: 'etcd', pkg: 'etcd-server' }, { binary: 'haproxy', pkg: 'haproxy' }]);
    expect(msg).toContain('apt-get install etcd-server haproxy');
    expect(msg).toContain('`etcd`');
  });
});

describe('sampled-median rule (short runs)', () => {
  const base = { name: 'x', unit: 's' as const, gated: true };
  const model = Array.from({ length: 100 }, (_, i) => 1 + i / 100); // uniform on [1, 2)

  it('accepts a real median of 3 trials anywhere the model could put one, ±20%', () => {
    const [lo, hi] = acceptRange({ ...base, real: [0, 0, 0], model }, 'sampled-median');
    // Medians of 3 draws from [1, 2) reach nearly 1 and 2; ±20% on top.
    expect(lo).toBeGreaterThan(0.78);
    expect(lo).toBeLessThan(0.85);
    expect(hi).toBeGreaterThan(2.3);
    expect(hi).toBeLessThan(2.4);
    expect(judge({ ...base, real: [1.1, 1.9, 1.2], model }, 'sampled-median').pass).toBe(true);
  });

  it('rejects a real sample the model is twice as slow as', () => {
    expect(judge({ ...base, real: [0.5, 0.6, 0.7], model }, 'sampled-median').pass).toBe(false);
  });

  it('more real trials narrow the range', () => {
    const r3 = acceptRange({ ...base, real: [0, 0, 0], model }, 'sampled-median');
    const r21 = acceptRange({ ...base, real: Array(21).fill(0), model }, 'sampled-median');
    expect(r21[1] - r21[0]).toBeLessThan(r3[1] - r3[0]);
  });
});

describe('case status', () => {
  const metric = (known?: string) => ({ name: 'x', unit: 's' as const, gated: true, real: [1, 1], model: [2, 2], ...(known ? { known } : {}) });
  const ctx = { trials: 2, modelTrials: 2, log: () => undefined };
  const one = (metrics: ReturnType<typeof metric>[]): ValidationCase => ({ id: 'c', title: 'c', needs: [], run: async () => ({ metrics, notes: [] }) });

  it('a failing metric fails the case unless its disagreement is a known, reported one', async () => {
    expect((await runCase(one([metric()]), ctx)).status).toBe('fail');
    const known = await runCase(one([metric('reason given')]), ctx);
    expect(known.status).toBe('known-disagreement');
    expect(known.message).toContain('reason given');
    expect((await runCase(one([metric('reason given'), metric()]), ctx)).status).toBe('fail');
  });
});
