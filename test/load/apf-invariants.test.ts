// APF invariants over seeded random request streams: limits hold, no request is lost or dispatched twice.
import { describe, expect, it } from 'vitest';
import { flowHash53 } from '../../src/load/apf-config.ts';
import { ApfServer } from '../../src/load/apf.ts';

/** A small LCG so the test needs no seeded-stream module (Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const LEVELS = ['leader-election', 'workload-high', 'global-default', 'catch-all', 'exempt'];

function run(seed: number): void {
  const rnd = lcg(seed);
  // Small flags so that limits, queues and time-outs are all reached: 49 seats in total.
  const apf = new ApfServer({ maxRequestsInflight: 40, maxMutatingRequestsInflight: 9, requestTimeoutUs: 2_000_000 });
  const executing = new Set<string>();
  const waiting = new Set<string>();
  const seen = new Set<string>();
  let nowUs = 0;
  // Checked with plain code and reported at the end: thousands of expect() calls per step are slow.
  const violations: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok && violations.length < 10) violations.push(`step at ${nowUs} µs: ${what}`);
  };
  for (let step = 0; step < 3_000; step++) {
    nowUs += Math.floor(rnd() * 2_000);
    for (const r of apf.expire(nowUs)) {
      check(waiting.delete(r.id), `expired ${r.id} was not waiting`);
    }
    if (rnd() < 0.6 || executing.size === 0) {
      const id = `r${step}`;
      const level = LEVELS[Math.floor(rnd() * LEVELS.length)]!;
      const flowHash = flowHash53(level, `user-${Math.floor(rnd() * 7)}`);
      const result = apf.enqueue({ id, priorityLevel: level, flowHash }, nowUs);
      seen.add(id);
      if (result.kind === 'dispatched') executing.add(id);
      else if (result.kind === 'queued') waiting.add(id);
    } else {
      const ids = [...executing];
      const id = ids[Math.floor(rnd() * ids.length)]!;
      executing.delete(id);
      for (const r of apf.finish(id, nowUs)) {
        check(waiting.delete(r.id), `dispatched ${r.id} was not waiting`);
        check(!executing.has(r.id), `${r.id} dispatched twice`);
        executing.add(r.id);
      }
    }
    for (const s of apf.stats()) {
      const qs = apf.level(s.name);
      const drift = qs.auditCounters();
      check(drift === null, `${s.name}: ${drift}`);
      check(s.name === 'exempt' || s.executing <= s.concurrencyLimit, `${s.name} over its limit`);
      // Work conservation: nobody waits while a seat of the level is free.
      check(s.waiting === 0 || s.executing === s.concurrencyLimit, `${s.name} has waiters and a free seat`);
      if (s.waiting > 0) check(Math.max(...qs.queueLengths()) <= qs.spec.queueLengthLimit, `${s.name} queue over its length limit`);
    }
  }
  expect(violations).toEqual([]);
  const stats = apf.stats();
  const sum = (f: (s: (typeof stats)[number]) => number) => stats.reduce((a, s) => a + f(s), 0);
  expect(sum((s) => s.executing)).toBe(executing.size);
  expect(sum((s) => s.waiting)).toBe(waiting.size);
  // Every request is accounted for exactly once: dispatched, rejected, timed out, or still waiting.
  expect(sum((s) => s.dispatched + s.rejectedQueueFull + s.rejectedConcurrencyLimit + s.rejectedTimeOut + s.waiting)).toBe(seen.size);
  // The run reached the interesting states.
  expect(sum((s) => s.rejectedQueueFull + s.rejectedConcurrencyLimit)).toBeGreaterThan(0);
  expect(sum((s) => s.rejectedTimeOut)).toBeGreaterThan(0);
}

describe('APF invariants (seeded random streams)', () => {
  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`seed ${seed}: limits, work conservation, queue bounds, counters, every request accounted for`, () => run(seed));
  }
});
