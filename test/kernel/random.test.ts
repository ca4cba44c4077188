// Named seeded streams: reproducible by (seed, name), independent of each other, and the draw shapes.
import { describe, expect, it } from 'vitest';
import { Stream, streamFor } from '../../src/kernel/random.ts';
import { Sim } from '../../src/kernel/sim.ts';
import { Network } from '../../src/net/network.ts';

function floats(s: Stream, n: number): number[] {
  return Array.from({ length: n }, () => s.float());
}

const N = 100_000;

describe('stream identity', () => {
  it('the same seed and name give the same sequence', () => {
    expect(floats(streamFor(7, 'master-1/etcd'), 1000)).toEqual(floats(streamFor(7, 'master-1/etcd'), 1000));
    expect(floats(streamFor('7', 'x'), 10)).toEqual(floats(streamFor(7, 'x'), 10));
  });

  it('different names give different sequences', () => {
    const a = floats(streamFor(7, 'master-1/etcd'), 50);
    const b = floats(streamFor(7, 'master-2/etcd'), 50);
    expect(a).not.toEqual(b);
    expect(a.filter((x, i) => x === b[i])).toHaveLength(0);
  });

  it('different seeds give different sequences for the same name', () => {
    expect(floats(streamFor(1, 'a'), 50)).not.toEqual(floats(streamFor(2, 'a'), 50));
  });

  it('creating and drawing from other streams does not change a stream\'s draws', () => {
    const alone = floats(streamFor(3, 'etcd-2/etcd'), 200);
    const s = streamFor(3, 'etcd-2/etcd');
    const got: number[] = [];
    for (let i = 0; i < 200; i++) {
      const other = streamFor(3, `worker-${i}/kubelet`);
      other.float();
      streamFor(3, 'etcd-1/etcd').float();
      got.push(s.float());
    }
    expect(got).toEqual(alone);
  });

  it('a process\'s stream is the run stream named by its id, whatever was added before it', () => {
    const build = (extra: number): number[] => {
      const sim = new Sim({ seed: 11, link: new Network({ latencyUs: 100, jitterUs: 0, loss: 0 }) });
      for (let i = 0; i < extra; i++) {
        sim.addMachine({ name: `w-${i}`, role: 'worker', zone: null });
        sim.addProcess({ machine: `w-${i}`, component: 'kubelet', make: () => ({ start() {}, message() {}, timer() {} }) });
      }
      sim.addMachine({ name: 'master-1', role: 'master', zone: 0 });
      const p = sim.addProcess({ machine: 'master-1', component: 'etcd', make: () => ({ start() {}, message() {}, timer() {} }) });
      return floats(p.random, 20);
    };
    const expected = floats(streamFor(11, 'master-1/etcd'), 20);
    expect(build(0)).toEqual(expected);
    expect(build(5)).toEqual(expected);
    const sim = new Sim({ seed: 11, link: new Network({ latencyUs: 100, jitterUs: 0, loss: 0 }) });
    expect(floats(sim.stream('net:master-1'), 5)).toEqual(floats(streamFor(11, 'net:master-1'), 5));
  });

  it('keeps its derivation stable (golden draws: a change here changes every trace hash)', () => {
    const s = streamFor(1, 'master-1/etcd');
    expect(floats(s, 3)).toEqual([0.07098587485961616, 0.560293419053778, 0.7577863859478384]);
    const t = streamFor(42, 'net:master-2');
    expect([t.int(0, 1000), t.below(10), t.jitter(2_000_000, 1.2)]).toEqual([205, 0, 4333162]);
  });
});

describe('draw shapes', () => {
  it('float is uniform in [0, 1)', () => {
    const s = streamFor(1, 'float');
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const x = s.float();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / N).toBeCloseTo(0.5, 2);
  });

  it.each([
    [0, 10],
    [-5, 5],
    [100, 101],
    [1_000_000, 2_000_000],
  ])('int(%i, %i) is an integer in [lo, hi) and reaches both ends', (lo, hi) => {
    const s = streamFor(1, `int:${lo}:${hi}`);
    let bad = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 20_000; i++) {
      const x = s.int(lo, hi);
      if (!(Number.isInteger(x) && x >= lo && x < hi)) bad++;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(bad).toBe(0);
    const slack = Math.floor((hi - lo) / 1000); // exact ends for small ranges
    expect(min).toBeLessThanOrEqual(lo + slack);
    expect(max).toBeGreaterThanOrEqual(hi - 1 - slack);
  });

  it.each([1, 2, 7, 150])('below(%i) covers exactly [0, n) roughly uniformly', (n) => {
    const s = streamFor(1, `below:${n}`);
    const counts = new Array<number>(n).fill(0);
    const draws = 2000 * n;
    let bad = 0;
    for (let i = 0; i < draws; i++) {
      const x = s.below(n);
      if (Number.isInteger(x) && x >= 0 && x < n) counts[x]!++;
      else bad++;
    }
    expect(bad).toBe(0);
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(300);
  });

  // apimachinery wait.Jitter(d, 1.2): d + U[0,1)·1.2·d, so [d, 2.2·d).
  it.each([
    [1, 1.2],
    [10, 1.2],
    [1_000, 1.2],
    [2_000_000, 1.2], // client-go retryPeriod
    [15_000_000, 1.2],
    [1_000, 0.5],
    [1_000, 1],
  ])('jitter(%i, %f) is an integer in [base, base·(1+factor))', (base, factor) => {
    const s = streamFor(1, `jitter:${base}:${factor}`);
    let min = Infinity;
    let max = -Infinity;
    let fractional = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = s.jitter(base, factor);
      if (!Number.isInteger(x)) fractional++;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(fractional).toBe(0);
    expect(min).toBeGreaterThanOrEqual(base);
    expect(max).toBeLessThan(base * (1 + factor));
    if (base >= 1000) {
      // The range is used, not just its bottom.
      expect(min).toBeLessThan(base * (1 + factor * 0.01));
      expect(max).toBeGreaterThan(base * (1 + factor * 0.99));
    }
  });

  it.each([0, -1])('jitter with factor %i is the base itself and draws nothing', (factor) => {
    const s = streamFor(1, 'j0');
    expect(s.jitter(5_000, factor)).toBe(5_000);
    expect(s.float()).toBe(streamFor(1, 'j0').float());
  });

  it.each([
    [1_000, 200],
    [500, 500],
    [100, 300], // would go negative: clamped at zero
  ])('spread(%i, %i) is an integer in [base − s, base + s) and never negative', (base, spread) => {
    const s = streamFor(1, `spread:${base}:${spread}`);
    let bad = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = s.spread(base, spread);
      if (!(Number.isInteger(x) && x >= Math.max(0, base - spread) && x < base + spread)) bad++;
    }
    expect(bad).toBe(0);
    expect(streamFor(1, 'z').spread(700, 0)).toBe(700);
  });

  it.each([0.01, 0.3, 0.5, 0.9])('chance(%f) is true with about that frequency', (p) => {
    const s = streamFor(1, `chance:${p}`);
    let hits = 0;
    for (let i = 0; i < N; i++) if (s.chance(p)) hits++;
    expect(Math.abs(hits / N - p)).toBeLessThan(0.01);
  });

  it('chance(0) is never true and chance(1) always is', () => {
    const s = streamFor(1, 'chance-edges');
    let wrong = 0;
    for (let i = 0; i < 10_000; i++) if (s.chance(0) || !s.chance(1)) wrong++;
    expect(wrong).toBe(0);
  });

  it.each([1_000, 250_000, 30 * 86_400_000_000])('exponential(%i) has about that mean, integer values ≥ 1', (mean) => {
    const s = streamFor(1, `exp:${mean}`);
    let sum = 0;
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const x = s.exponential(mean);
      if (!(Number.isInteger(x) && x >= 1)) bad++;
      sum += x;
    }
    expect(bad).toBe(0);
    expect(Math.abs(sum / N / mean - 1)).toBeLessThan(0.02);
  });

  it('pick draws every item of a list', () => {
    const s = streamFor(1, 'pick');
    const items = ['a', 'b', 'c'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(s.pick(items));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });
});
