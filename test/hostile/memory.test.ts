// Long runs keep flat memory: folded bookkeeping gives exactly what keeping everything gave.
import { describe, expect, it } from 'vitest';
import { FencingChecker } from '../../src/control/fencing.ts';
import type { Sim } from '../../src/kernel/sim.ts';
import { ProbeSeries } from '../../src/report/probes.ts';
import { below, mulberry32 } from '../kernel/prng.ts';

/** The downtime of (sentAt, ok) pairs computed from scratch: sort by send time, stretches of failures. */
function reference(pairs: [number, boolean][], intervalUs: number): { totalSeconds: number; longestSeconds: number } {
  const sorted = pairs.map((p, i) => [p[0], p[1], i] as const).sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  let total = 0;
  let longest = 0;
  let from: number | null = null;
  let last = 0;
  const close = (): void => {
    if (from === null) return;
    total += last - from + intervalUs;
    longest = Math.max(longest, last - from + intervalUs);
    from = null;
  };
  for (const [at, ok] of sorted) {
    if (ok) close();
    else {
      from ??= at;
      last = at;
    }
  }
  close();
  return { totalSeconds: total / 1e6, longestSeconds: longest / 1e6 };
}

describe('ProbeSeries over a long run', () => {
  it('compacts runs of successes and still gives the exact downtime, late answers included', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = mulberry32(seed);
      const series = new ProbeSeries();
      const pairs: [number, boolean][] = [];
      const interval = 1_000_000;
      let down = false;
      for (let k = 0; k < 60_000; k++) {
        if (below(rng, down ? 20 : 2000) === 0) down = !down;
        const sentAt = k * interval;
        // Some answers come late (a timeout 5 s after later successes): reported out of send order.
        const late = below(rng, 20) === 0;
        const ok = !down && below(rng, 1000) !== 0;
        if (late) pairs.splice(Math.max(0, pairs.length - below(rng, 6)), 0, [sentAt, ok]);
        else pairs.push([sentAt, ok]);
      }
      for (const [at, ok] of pairs) series.add(at, ok, at);
      expect(series.downtime(interval)).toEqual(reference(pairs, interval));
      expect(series.count).toBe(pairs.length);
      expect((series as unknown as { sentAt: number[] }).sentAt.length).toBeLessThan(pairs.length / 2);
    }
  });
});

describe('FencingChecker over a long run', () => {
  it('folds old commits and counts the same stale actions as judging them all at the end', () => {
    const handlers = new Map<string, (process: string, fact: unknown) => void>();
    const sim = { onCheck: (name: string, fn: (process: string, fact: unknown) => void) => handlers.set(name, fn), observe: () => undefined } as unknown as Sim;
    const checker = new FencingChecker(sim);
    const rng = mulberry32(7);
    const all: { revision: number; lease: boolean; who: string }[] = [];
    let holder = 'a';
    for (let rev = 1; rev <= 300_000; rev++) {
      if (below(rng, 5000) === 0) holder = holder === 'a' ? 'b' : 'a';
      const lease = below(rng, 3) === 0;
      // A deposed leader keeps acting for a while: some actions by the other member.
      const who = !lease && below(rng, 200) === 0 ? (holder === 'a' ? 'b' : 'a') : holder;
      all.push({ revision: rev, lease, who });
    }
    // Reported a little out of revision order, as responses reach apiservers.
    for (let i = 0; i + 1 < all.length; i += 2) if (below(rng, 4) === 0) [all[i], all[i + 1]] = [all[i + 1]!, all[i]!];
    for (const c of all) {
      if (c.lease) handlers.get('lease-commit')!('x', { group: 'kube-scheduler', holder: c.who, revision: c.revision });
      else handlers.get('action-commit')!('x', { group: 'kube-scheduler', identity: c.who, revision: c.revision });
    }
    let h = '';
    let stale = 0;
    for (const c of [...all].sort((x, y) => x.revision - y.revision)) {
      if (c.lease) h = c.who;
      else if (h !== '' && c.who !== h) stale++;
    }
    expect(stale).toBeGreaterThan(100);
    expect(checker.staleActions('kube-scheduler')).toBe(stale);
    expect((checker as unknown as { commits: Map<string, unknown[]> }).commits.get('kube-scheduler')!.length).toBeLessThanOrEqual(100_000);
  });
});
