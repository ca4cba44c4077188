// The kernel's part of fast-forward: a jump moves scheduled calls (faults, repairs, restarts) and no
// timer, the run's clock gains what was skipped, and `unsettled` sees what is still pending.
import { describe, expect, it } from 'vitest';
import type { FastForwarder, Sim } from '../../src/kernel/sim.ts';
import { proc, startAt, world } from './harness.ts';
import { emitAny, type LooseObservation } from '../observations.ts';

describe('Sim.jump', () => {
  it('pulls scheduled calls closer, leaves timers where they were, and advances the run clock', () => {
    const sim = world();
    const fired: [string, number, number][] = [];
    const note = (what: string) => () => fired.push([what, sim.now, sim.time]);
    const p = proc(sim, 'a/x', {
      start: (ctx) => ctx.setTimer('tick', 1_000_000, undefined, { routine: true }),
      timer: (ctx) => {
        ctx.setTimer('tick', 1_000_000, undefined, { routine: true });
        emitAny(ctx, 'tick');
      },
    });
    startAt(sim, p, 0);
    sim.at(100_000_000, 'fault', note('fault'));
    sim.at(5_500_000, 'restart', note('early restart'));
    sim.run({ untilUs: 10_000_000 });
    sim.at(sim.now + 80_000_000, 'restart', note('restart after back-off'));
    sim.jump(60_000_000);
    expect(sim.time).toBe(70_000_000);
    expect(sim.nextCallAt()).toBe(30_000_000);
    sim.run({ untilUs: 120_000_000 });
    // Each call runs at the run time it was scheduled for (model time is 60 s behind after the jump).
    expect(fired).toEqual([
      ['early restart', 5_500_000, 5_500_000],
      ['restart after back-off', 30_000_000, 90_000_000],
      ['fault', 40_000_000, 100_000_000],
    ]);
    // The timer kept its phase in model time; its observations carry the run's time.
    const ticks = (sim.trace.observations as LooseObservation[]).filter((o) => o.kind === 'tick').map((o) => o.at);
    expect(ticks.slice(8, 12)).toEqual([9_000_000, 10_000_000, 71_000_000, 72_000_000]);
    expect(sim.now).toBe(120_000_000 - 60_000_000);
  });

  it('refuses a jump past a scheduled call', () => {
    const sim = world();
    sim.at(5_000_000, 'fault', () => {});
    expect(() => sim.jump(6_000_000)).toThrow(/passes fault/);
    sim.at(3_000_000, 'restart', () => {});
    expect(() => sim.jump(4_000_000)).toThrow(/passes restart/);
  });

  it('asks its policy between events, at most once per period, and the policy can jump', () => {
    const sim = world();
    const p = proc(sim, 'a/x', {
      start: (ctx) => ctx.setTimer('tick', 100_000, undefined, { routine: true }),
      timer: (ctx) => ctx.setTimer('tick', 100_000, undefined, { routine: true }),
    });
    startAt(sim, p, 0);
    let faultAt = -1;
    sim.at(1_000_000_000, 'fault', () => (faultAt = sim.time));
    const asked: number[] = [];
    const policy: FastForwarder = {
      considerEveryUs: 1_000_000,
      consider(s: Sim) {
        asked.push(s.now);
        if (s.now >= 3_000_000 && s.skippedUs === 0) s.jump(990_000_000);
      },
    };
    sim.fastForward = policy;
    sim.run({ untilUs: 1_005_000_000 });
    expect(faultAt).toBe(1_000_000_000);
    // First asked at the first event (the 100 ms tick), then once a second.
    expect(asked.slice(0, 4)).toEqual([100_000, 1_100_000, 2_100_000, 3_100_000]);
    // 1,005 s of run time, 15 s of it in detail: ~150 ticks, not ~10,000.
    expect(sim.eventsProcessed).toBeLessThan(200);
  });
});

describe('Sim.unsettled', () => {
  it('names a one-shot timer that has waited too long and an actor that says so, but not a scheduled restart', () => {
    const sim = world();
    let busy: string | null = null;
    const p = proc(sim, 'a/x', {
      start: (ctx) => {
        ctx.setTimer('heartbeat', 10_000_000, undefined, { routine: true });
        ctx.setTimer('answer-deadline', 7_000_000);
      },
    });
    startAt(sim, p, 0);
    sim.run({ untilUs: 1_000_000 });
    expect(sim.unsettled(2_000_000)).toBeNull();
    sim.run({ untilUs: 3_000_000 });
    expect(sim.unsettled(2_000_000)).toMatch(/a\/x waits on timer answer-deadline/);
    sim.run({ untilUs: 8_000_000 });
    expect(sim.unsettled(2_000_000)).toBeNull();
    p.actor!.unsettled = () => busy;
    busy = 'a lease is expiring';
    expect(sim.unsettled(2_000_000)).toBe('a/x: a lease is expiring');
    busy = null;
    // A restart waiting out its back-off bounds a jump (see jump) rather than unsettling the model.
    sim.at(sim.now + 30_000_000, 'restart', () => {});
    expect(sim.unsettled(2_000_000)).toBeNull();
  });
});
