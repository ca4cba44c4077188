// The kernel's loop: timers on local clocks, clock skew, bounded runs, resumable runs, true-time observations.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import { MS, SECOND } from '../../src/kernel/time.ts';
import { chattySystem, proc, startAt, world } from './harness.ts';
import { emitAny, type LooseObservation } from '../observations.ts';

type Fired = [trueUs: number, localUs: number, name: string, data?: unknown];

describe('timers', () => {
  it('a timer fires after its delay, with its name and data, on the local clock', () => {
    const sim = world();
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('t', 5 * MS, 'payload'),
      timer: (ctx, name, data) => fired.push([sim.now, ctx.now(), name, data]),
    });
    startAt(sim, p, 1234);
    sim.run({ untilUs: SECOND });
    expect(fired).toEqual([[6234, 6234, 't', 'payload']]);
  });

  it.each([
    [10 * MS, 3 * MS, 3 * MS],
    [3 * MS, 10 * MS, 10 * MS],
  ])('setTimer on an armed name replaces it (armed %i, re-armed %i: fires once at %i)', (first, second, at) => {
    const sim = world();
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        ctx.setTimer('t', first, 'old');
        ctx.setTimer('t', second, 'new');
      },
      timer: (ctx, name, data) => fired.push([sim.now, ctx.now(), name, data]),
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(fired).toEqual([[at, at, 't', 'new']]);
  });

  it('re-arming a timer from another timer\'s handler moves its deadline', () => {
    const sim = world();
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        ctx.setTimer('t', 3 * MS);
        ctx.setTimer('mover', 1 * MS);
      },
      timer: (ctx, name) => {
        fired.push([sim.now, ctx.now(), name]);
        if (name === 'mover') ctx.setTimer('t', 5 * MS);
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(fired.map(([t, , n]) => [t, n])).toEqual([[1 * MS, 'mover'], [6 * MS, 't']]);
  });

  it('cancelTimer disarms a timer; hasTimer then reports false; cancelling an unknown name is harmless', () => {
    const sim = world();
    const fired: string[] = [];
    const seen: boolean[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        ctx.setTimer('t', 2 * MS);
        ctx.setTimer('u', 2 * MS);
        ctx.setTimer('canceller', 1 * MS);
        seen.push(ctx.hasTimer('t'));
        ctx.cancelTimer('never-armed');
      },
      timer: (ctx, name) => {
        fired.push(name);
        if (name === 'canceller') {
          ctx.cancelTimer('t');
          seen.push(ctx.hasTimer('t'), ctx.hasTimer('u'));
        }
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(fired).toEqual(['canceller', 'u']);
    expect(seen).toEqual([true, false, true]);
  });

  it('hasTimer is false inside the timer\'s own handler unless the handler re-arms it', () => {
    const sim = world();
    const log: [number, boolean, boolean][] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('tick', 1 * MS),
      timer: (ctx) => {
        const before = ctx.hasTimer('tick');
        if (sim.now < 3 * MS) ctx.setTimer('tick', 1 * MS);
        log.push([sim.now, before, ctx.hasTimer('tick')]);
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(log).toEqual([[1 * MS, false, true], [2 * MS, false, true], [3 * MS, false, false]]);
    expect(p.timers.size).toBe(0);
  });

  it.each<[string, (ctx: Ctx) => void, number[]]>([
    ['re-armed twice: only the last deadline holds', (ctx) => {
      ctx.setTimer('tick', 1 * MS);
      ctx.setTimer('tick', 5 * MS);
    }, [1 * MS, 6 * MS]],
    ['re-armed then cancelled: it never fires again', (ctx) => {
      ctx.setTimer('tick', 1 * MS);
      ctx.cancelTimer('tick');
    }, [1 * MS]],
    ['cancelled then re-armed: it fires at the new deadline', (ctx) => {
      ctx.cancelTimer('tick');
      ctx.setTimer('tick', 2 * MS);
    }, [1 * MS, 3 * MS]],
  ])('a timer handler working on its own timer: %s', (_rule, handler, expected) => {
    const sim = world();
    const fired: number[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('tick', 1 * MS),
      timer: (ctx) => {
        fired.push(sim.now);
        if (fired.length === 1) handler(ctx);
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(fired).toEqual(expected);
  });

  it('marks routine timers on their queued event (what fast-forward re-phases)', () => {
    const sim = world();
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        ctx.setTimer('heartbeat', 100 * MS, undefined, { routine: true });
        ctx.setTimer('once', 100 * MS);
      },
      timer: (ctx, name) => {
        if (name === 'heartbeat') ctx.setTimer('heartbeat', 100 * MS, undefined, { routine: true });
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: 150 * MS });
    const pending = sim.queue.items().filter((e) => !e.cancelled && e.target === p.index);
    expect(pending.map((e) => [e.name, e.routine, e.at])).toEqual([['heartbeat', true, 200 * MS]]);
  });

  it('a negative delay fires at once (clamped to zero)', () => {
    const sim = world();
    const fired: number[] = [];
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.setTimer('t', -5), timer: () => fired.push(sim.now) });
    startAt(sim, p, 700);
    sim.run({ untilUs: SECOND });
    expect(fired).toEqual([700]);
  });
});

describe('local clocks', () => {
  it.each([
    [2, 500 * MS],
    [0.5, 2 * SECOND],
    [1.3, 769_231],
  ])('a machine clock with rate %f fires a 1 s local timer at true %i', (rate, trueAt) => {
    const sim = world({}, ['m']);
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.setTimer('t', SECOND), timer: (ctx, n) => fired.push([sim.now, ctx.now(), n]) });
    sim.lifecycle.adjustClock(sim.machine('m')!, 0, rate);
    startAt(sim, p);
    sim.run({ untilUs: 10 * SECOND });
    expect(fired).toHaveLength(1);
    expect(fired[0]![0]).toBe(trueAt);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(SECOND); // never early on the local clock
    expect(fired[0]![1]).toBeLessThan(SECOND + 2);
  });

  it.each([
    [2, 750 * MS],
    [0.5, 1500 * MS],
    [1.3, 884_616],
  ])('adjustClock rescales armed timers to keep their local deadline (rate → %f: fires at true %i)', (rate, trueAt) => {
    const sim = world({}, ['m']);
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.setTimer('t', SECOND), timer: (ctx, n) => fired.push([sim.now, ctx.now(), n]) });
    startAt(sim, p);
    sim.at(500 * MS, 'skew', (s) => s.lifecycle.adjustClock(s.machine('m')!, 0, rate));
    sim.run({ untilUs: 10 * SECOND });
    expect(fired.map(([t]) => t)).toEqual([trueAt]);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(SECOND);
    expect(fired[0]![1]).toBeLessThan(SECOND + 2);
  });

  it.each([5 * SECOND, -300 * MS])('an offset jump of %i µs moves ctx.now() but not when timers fire', (offset) => {
    const sim = world({}, ['m']);
    const fired: Fired[] = [];
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.setTimer('t', SECOND), timer: (ctx, n) => fired.push([sim.now, ctx.now(), n]) });
    startAt(sim, p);
    sim.at(500 * MS, 'jump', (s) => s.lifecycle.adjustClock(s.machine('m')!, offset, 1));
    sim.run({ untilUs: 10 * SECOND });
    expect(fired).toEqual([[SECOND, SECOND + offset, 't']]);
  });

  it('a clock change on one machine leaves the timers of other machines alone', () => {
    const sim = world({}, ['m', 'other']);
    const fired: string[] = [];
    for (const id of ['m/a', 'other/a']) {
      const p = proc(sim, id, { start: (ctx) => ctx.setTimer('t', SECOND), timer: (ctx) => fired.push(`${ctx.self}@${sim.now}`) });
      startAt(sim, p);
    }
    sim.at(500 * MS, 'skew', (s) => s.lifecycle.adjustClock(s.machine('m')!, 0, 2));
    sim.run({ untilUs: 10 * SECOND });
    expect(fired).toEqual([`m/a@${750 * MS}`, `other/a@${SECOND}`]);
  });
});

describe('runs and the trace', () => {
  function ticker(sim: ReturnType<typeof world>): void {
    const p = proc(sim, 'm/ticker', {
      start: (ctx) => ctx.setTimer('tick', 1 * MS),
      timer: (ctx) => {
        emitAny(ctx, 'tick', { local: ctx.now() });
        ctx.setTimer('tick', 1 * MS);
      },
    });
    startAt(sim, p);
  }

  it('eventBudget stops a run early, sets truncated, and leaves time at the last event', () => {
    const sim = world();
    ticker(sim);
    sim.run({ untilUs: SECOND, eventBudget: 100 });
    expect(sim.truncated).toBe(true);
    expect(sim.eventsProcessed).toBe(100);
    expect(sim.now).toBe(100 * MS);
    const whole = world();
    ticker(whole);
    whole.run({ untilUs: 100 * MS });
    expect(sim.trace.hash()).toBe(whole.trace.hash());
  });

  it('eventBudget bounds the events of the whole simulation: a resumed run with the same budget stays truncated', () => {
    const sim = world();
    ticker(sim);
    sim.run({ untilUs: SECOND, eventBudget: 100 });
    sim.run({ untilUs: 2 * SECOND, eventBudget: 100 });
    expect(sim.truncated).toBe(true);
    expect(sim.eventsProcessed).toBe(100);
    sim.run({ untilUs: SECOND, eventBudget: 150 });
    expect(sim.eventsProcessed).toBe(150);
  });

  it('a run without a budget is not truncated and ends with time at untilUs, even when the queue runs dry', () => {
    const sim = world();
    ticker(sim);
    sim.run({ untilUs: 10 * MS + 500 });
    expect(sim.truncated).toBe(false);
    expect(sim.eventsProcessed).toBe(10);
    expect(sim.now).toBe(10 * MS + 500);
    const empty = world();
    empty.run({ untilUs: 7 * SECOND });
    expect(empty.now).toBe(7 * SECOND);
  });

  it('an event exactly at untilUs runs; one just after waits for the next run', () => {
    const sim = world();
    const ran: number[] = [];
    sim.at(SECOND, 'a', () => ran.push(sim.now));
    sim.at(SECOND + 1, 'b', () => ran.push(sim.now));
    sim.run({ untilUs: SECOND });
    expect(ran).toEqual([SECOND]);
    sim.run({ untilUs: 2 * SECOND });
    expect(ran).toEqual([SECOND, SECOND + 1]);
  });

  it('sim.at calls run at their true time, equal times in scheduling order', () => {
    const sim = world({}, ['m']);
    sim.lifecycle.adjustClock(sim.machine('m')!, 5 * SECOND, 2); // calls ignore machine clocks
    const ran: string[] = [];
    sim.at(2 * MS, 'x', () => ran.push(`x@${sim.now}`));
    sim.at(1 * MS, 'y', () => ran.push(`y@${sim.now}`));
    sim.at(2 * MS, 'z', (s) => ran.push(`z@${s.now}`));
    sim.run({ untilUs: SECOND });
    expect(ran).toEqual(['y@1000', 'x@2000', 'z@2000']);
  });

  it('a run resumed in pieces gives the same trace hash as one long run', () => {
    const long = chattySystem({ seed: 5 });
    long.run({ untilUs: 20 * SECOND });
    const pieces = chattySystem({ seed: 5 });
    for (const until of [1, 999_999, 3 * SECOND, 3 * SECOND, 8 * SECOND + 17, 15 * SECOND, 20 * SECOND]) pieces.run({ untilUs: until });
    expect(long.eventsProcessed).toBeGreaterThan(1000);
    expect(pieces.trace.hash()).toBe(long.trace.hash());
    expect(pieces.eventsProcessed).toBe(long.eventsProcessed);
    expect(pieces.trace.observations).toEqual(long.trace.observations);
  });

  it('a run stopped on its budget and resumed gives the same trace as one long run', () => {
    const long = chattySystem({ seed: 9 });
    long.run({ untilUs: 10 * SECOND });
    const pieces = chattySystem({ seed: 9 });
    pieces.run({ untilUs: 10 * SECOND, eventBudget: 500 });
    expect(pieces.truncated).toBe(true);
    pieces.run({ untilUs: 10 * SECOND });
    expect(pieces.trace.hash()).toBe(long.trace.hash());
  });

  it('observations carry true time, not the machine\'s skewed clock; listeners see each one', () => {
    const sim = world({}, ['m']);
    sim.lifecycle.adjustClock(sim.machine('m')!, 5 * SECOND, 2);
    const heard: number[] = [];
    sim.trace.listen((o) => heard.push(o.at));
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('t', SECOND),
      timer: (ctx) => emitAny(ctx, 'fired', { local: ctx.now() }),
    });
    startAt(sim, p, 100 * MS);
    sim.run({ untilUs: 10 * SECOND });
    const fired = (sim.trace.observations as LooseObservation[]).filter((o) => o.kind === 'fired');
    expect(fired).toEqual([{ at: 600 * MS, kind: 'fired', subject: 'm/a', detail: { local: 5 * SECOND + 1200 * MS } }]);
    expect(heard).toEqual(sim.trace.observations.map((o) => o.at));
  });

  it('emit may name another subject', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { start: (ctx) => emitAny(ctx, 'lease', { holder: 'm/a' }, 'lease/kube-scheduler') });
    startAt(sim, p);
    expect(sim.trace.observations.at(-1)).toEqual({ at: 0, kind: 'lease', subject: 'lease/kube-scheduler', detail: { holder: 'm/a' } });
  });
});
