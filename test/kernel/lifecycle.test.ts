// Process and machine lifecycle: kill, graceful stop and its grace period, kubelet back-off, pause/resume, power.
import { describe, expect, it } from 'vitest';
import type { Actor, Ctx } from '../../src/kernel/actor.ts';
import { STOP_GRACE_US } from '../../src/kernel/lifecycle.ts';
import { MINUTE, MS, SECOND } from '../../src/kernel/time.ts';
import { proc, startAt, states, timesOf, world } from './harness.ts';
import { emitAny, loose, type LooseObservation } from '../observations.ts';

describe('kill', () => {
  /** Counts its handlers in a field (volatile) and its boots in ctx.durable. */
  class Counter implements Actor {
    handled = 0;
    constructor(private readonly log: string[], private readonly now: () => number) {}
    start(ctx: Ctx): void {
      ctx.durable['boots'] = ((ctx.durable['boots'] as number | undefined) ?? 0) + 1;
      ctx.setTimer('t', 5 * SECOND);
    }
    message(): void {
      this.handled++;
    }
    timer(ctx: Ctx): void {
      this.log.push(`fired@${this.now()} boots=${String(ctx.durable['boots'])} handled=${this.handled}`);
    }
  }

  it('kill loses volatile state and armed timers but keeps ctx.durable', () => {
    const sim = world({}, ['m', 'n']);
    const log: string[] = [];
    const p = sim.addProcess({ machine: 'm', component: 'c', make: () => new Counter(log, () => sim.now) });
    const sender = proc(sim, 'n/s', {});
    startAt(sim, p);
    startAt(sim, sender);
    sim.at(100 * MS, 'poke', () => sender.send('m/c', { type: 'poke' }));
    sim.at(SECOND, 'kill', (s) => s.lifecycle.kill(p, 'fault'));
    sim.at(2 * SECOND, 'start', (s) => s.lifecycle.start(p, 'fault over'));
    sim.run({ untilUs: MINUTE });
    // The first life's timer (due at 5 s) never fires; the second life's (due at 7 s) does,
    // in a fresh actor that never saw the poke.
    expect(log).toEqual([`fired@${7 * SECOND} boots=2 handled=0`]);
    expect(states(sim, 'm/c')).toEqual([[0, 'up'], [SECOND, 'down'], [2 * SECOND, 'up']]);
    expect(sim.trace.observations.find((o) => loose(o)['state'] === 'down')!.detail).toMatchObject({ crash: true, cause: 'fault' });
  });

  it('a killed process is not restarted by its kubelet, even with restartOnExit', () => {
    const sim = world();
    const p = proc(sim, 'm/a', {}, { restartOnExit: true });
    startAt(sim, p);
    sim.at(SECOND, 'kill', (s) => s.lifecycle.kill(p, 'fault'));
    sim.run({ untilUs: 30 * MINUTE });
    expect(p.status).toBe('down');
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [SECOND, 'down']]);
  });

  it('a process that has gone down has no effects, even while unwinding its last handler', () => {
    const sim = world({}, ['m', 'n']);
    const got: string[] = [];
    startAt(sim, proc(sim, 'n/x', { message: (_c, _f, msg) => got.push(msg.type) }));
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('t', MS),
      timer: (ctx) => {
        ctx.exit(1, 'fatal');
        ctx.send('n/x', { type: 'after-exit' });
        ctx.setTimer('t', MS);
        emitAny(ctx, 'after-exit');
      },
    });
    startAt(sim, p);
    sim.run({ untilUs: SECOND });
    expect(got).toEqual([]);
    expect(p.timers.size).toBe(0);
    expect((sim.trace.observations as LooseObservation[]).filter((o) => o.kind === 'after-exit')).toEqual([]);
  });
});

describe('graceful stop', () => {
  it('stop runs the stop hook; the process keeps working until ctx.exit, then stays down', () => {
    const sim = world({}, ['m', 'n']);
    const got: number[] = [];
    const p = proc(sim, 'm/a', {
      message: () => got.push(sim.now),
      stop: (ctx) => ctx.setTimer('drain', 2 * SECOND),
      timer: (ctx, name) => {
        if (name === 'drain') ctx.exit(0, 'drained');
      },
    }, { restartOnExit: true });
    const sender = proc(sim, 'n/s', {});
    startAt(sim, p);
    startAt(sim, sender);
    sim.at(SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.at(2 * SECOND, 'poke', () => sender.send('m/a', { type: 'poke' }));
    sim.run({ untilUs: 30 * MINUTE });
    expect(got).toEqual([2 * SECOND + MS]); // a stopping process still answers
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [SECOND, 'stopping'], [3 * SECOND, 'down']]);
    expect(sim.trace.observations.at(-1)!.detail).toMatchObject({ graceful: true, exitCode: 0 });
    expect(p.status).toBe('down'); // a requested stop is not restarted
  });

  it('stop without a stop hook takes the process down at once', () => {
    const sim = world();
    const p = proc(sim, 'm/a', {}, { restartOnExit: true });
    startAt(sim, p);
    sim.at(SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.run({ untilUs: 30 * MINUTE });
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [SECOND, 'down']]);
  });

  it('a stop hook that never exits is killed after the 30 s grace period', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { stop: () => {} });
    startAt(sim, p);
    sim.at(SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.run({ untilUs: 10 * MINUTE });
    expect(STOP_GRACE_US).toBe(30 * SECOND);
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [SECOND, 'stopping'], [31 * SECOND, 'down']]);
    expect(sim.trace.observations.at(-1)!.detail).toMatchObject({ cause: 'stop grace period expired', crash: true });
  });

  it('the grace period of an earlier stop does not kill a later life', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { stop: (ctx) => ctx.exit(0, 'bye') });
    startAt(sim, p);
    sim.at(SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.at(2 * SECOND, 'start', (s) => s.lifecycle.start(p, 'again'));
    sim.at(5 * SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.at(6 * SECOND, 'start', (s) => s.lifecycle.start(p, 'again'));
    sim.run({ untilUs: 10 * MINUTE });
    expect(p.status).toBe('running');
  });

  it('a stop whose grace period expires while the process is paused still kills it (SIGKILL ends a stopped process)', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { stop: () => {} });
    startAt(sim, p);
    sim.at(SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.at(2 * SECOND, 'pause', (s) => s.lifecycle.pause(p, 'gc'));
    sim.run({ untilUs: 10 * MINUTE });
    expect(timesOf(sim, 'm/a', 'down')).toEqual([31 * SECOND]);
    expect(p.status).toBe('down');
  });
});

describe('kubelet restart back-off', () => {
  it('a process that exits by itself is restarted after 10 s, 20 s, 40 s… capped at 300 s', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.exit(1, 'crashloop') }, { restartOnExit: true });
    startAt(sim, p);
    sim.run({ untilUs: 1300 * SECOND });
    const ups = timesOf(sim, 'm/a', 'up').map((t) => t / SECOND);
    expect(ups).toEqual([0, 10, 30, 70, 150, 310, 610, 910, 1210]);
    const waits = sim.trace.observations.filter((o) => loose(o)['state'] === 'backoff').map((o) => loose(o)['restartInSeconds']);
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300, 300, 300]);
  });

  it('the back-off resets after 10 minutes of running', () => {
    const sim = world();
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        const boots = ((ctx.durable['boots'] as number | undefined) ?? 0) + 1;
        ctx.durable['boots'] = boots;
        if (boots === 3) ctx.setTimer('die', 11 * MINUTE);
        else ctx.exit(1, 'crash');
      },
      timer: (ctx) => ctx.exit(1, 'crash'),
    }, { restartOnExit: true });
    startAt(sim, p);
    sim.run({ untilUs: 30 * MINUTE });
    const ups = timesOf(sim, 'm/a', 'up');
    // 0 → +10 s → +20 s (third life runs 11 min) → +10 s again, not 40 s.
    expect(ups.slice(0, 4)).toEqual([0, 10 * SECOND, 30 * SECOND, 30 * SECOND + 11 * MINUTE + 10 * SECOND]);
  });

  it('an exit by itself without restartOnExit stays down', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.exit(0, 'done') });
    startAt(sim, p);
    sim.run({ untilUs: 30 * MINUTE });
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [0, 'down']]);
  });

  it('a kill during the back-off is a fault like any other: the pending restart is cancelled', () => {
    const sim = world();
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.exit(1, 'lost lease') }, { restartOnExit: true });
    startAt(sim, p);
    sim.at(3 * SECOND, 'kill', (s) => s.lifecycle.kill(p, 'fault')); // SPEC: what a fault kills stays down until start
    sim.run({ untilUs: MINUTE });
    expect(timesOf(sim, 'm/a', 'up')).toEqual([0]);
    expect(p.status).toBe('down');
  });

  it('a start during the back-off wins, and the pending restart does not start a second life', () => {
    const sim = world();
    let boots = 0;
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        boots++;
        if (boots === 1) ctx.exit(1, 'crash');
      },
    }, { restartOnExit: true });
    startAt(sim, p);
    sim.at(3 * SECOND, 'start', (s) => s.lifecycle.start(p, 'operator'));
    sim.run({ untilUs: MINUTE });
    expect(timesOf(sim, 'm/a', 'up')).toEqual([0, 3 * SECOND]);
    expect(p.life).toBe(2);
  });
});

describe('pause and resume', () => {
  it('pause holds timers and messages; resume runs the overdue ones at once in due order, future timers keep their deadlines', () => {
    const sim = world({}, ['m', 'n']);
    const log: string[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        ctx.setTimer('t1', 1 * SECOND);
        ctx.setTimer('t2', 3 * SECOND);
        ctx.setTimer('t3', 10 * SECOND);
      },
      timer: (ctx, name) => {
        log.push(`${sim.now / MS}ms ${name}${name === 't1' ? ` t2armed=${ctx.hasTimer('t2')}` : ''}`);
        if (name === 't1' && sim.now === 5 * SECOND) ctx.setTimer('t1', SECOND);
      },
      message: (_ctx, from, msg) => log.push(`${sim.now / MS}ms ${msg.type} from ${from}`),
    });
    const q = proc(sim, 'n/q', {});
    startAt(sim, p);
    startAt(sim, q);
    sim.at(500 * MS, 'pause', (s) => s.lifecycle.pause(p, 'gc'));
    sim.at(1500 * MS, 'send a', () => q.send('m/a', { type: 'a' }));
    sim.at(2500 * MS, 'send b', () => q.send('m/a', { type: 'b' }));
    sim.at(5 * SECOND, 'resume', (s) => s.lifecycle.resume(p, 'gc over'));
    sim.run({ untilUs: MINUTE });
    expect(log).toEqual([
      '5000ms t1 t2armed=true', // due 1 s
      '5000ms a from n/q', // arrived 1.501 s
      '5000ms b from n/q', // arrived 2.501 s
      '5000ms t2', // due 3 s
      '6000ms t1 t2armed=false', // re-armed on resume: a fresh deadline from then; t2 is spent
      '10000ms t3', // not due at resume: keeps its deadline
    ]);
    expect(states(sim, 'm/a')).toEqual([[0, 'up'], [500 * MS, 'paused'], [5 * SECOND, 'up']]);
  });

  it('a paused process does not refuse: its messages wait', () => {
    const sim = world({}, ['m', 'n']);
    const refused: number[] = [];
    const p = proc(sim, 'm/a', {});
    const q = proc(sim, 'n/q', { refused: () => refused.push(sim.now) });
    startAt(sim, p);
    startAt(sim, q);
    sim.lifecycle.pause(p, 'gc');
    sim.at(MS, 'send', () => q.send('m/a', { type: 'x' }));
    sim.run({ untilUs: MINUTE });
    expect(refused).toEqual([]);
    expect(p.held).toHaveLength(1);
  });

  it('kill while paused drops the held work; the next life starts clean', () => {
    const sim = world({}, ['m', 'n']);
    const log: string[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => {
        if (ctx.durable['started']) return;
        ctx.durable['started'] = true;
        ctx.setTimer('t', SECOND);
      },
      timer: (_ctx, name) => log.push(`timer ${name}`),
      message: (_ctx, _from, msg) => log.push(`msg ${msg.type}`),
    });
    const q = proc(sim, 'n/q', {});
    startAt(sim, p);
    startAt(sim, q);
    sim.at(500 * MS, 'pause', (s) => s.lifecycle.pause(p, 'gc'));
    sim.at(1500 * MS, 'send', () => q.send('m/a', { type: 'x' }));
    sim.at(2 * SECOND, 'kill', (s) => s.lifecycle.kill(p, 'fault'));
    sim.at(3 * SECOND, 'start', (s) => s.lifecycle.start(p, 'fault over'));
    sim.run({ untilUs: MINUTE });
    expect(log).toEqual([]);
    expect(p.status).toBe('running');
  });

  it('stop on a paused process resumes it first, then runs the stop hook', () => {
    const sim = world();
    const log: string[] = [];
    const p = proc(sim, 'm/a', {
      start: (ctx) => ctx.setTimer('t', SECOND),
      timer: () => log.push(`timer@${sim.now}`),
      stop: (ctx) => {
        log.push(`stop@${sim.now}`);
        ctx.setTimer('bye', MS);
      },
    });
    // The `bye` timer ends it: exit from the timer handler.
    const make = p.spec.make;
    p.spec.make = () => {
      const a = make();
      const timer = a.timer.bind(a);
      a.timer = (ctx, name, data) => (name === 'bye' ? ctx.exit(0, 'stopped') : timer(ctx, name, data));
      return a;
    };
    startAt(sim, p);
    sim.at(500 * MS, 'pause', (s) => s.lifecycle.pause(p, 'gc'));
    sim.at(2 * SECOND, 'stop', (s) => s.lifecycle.stop(p, 'fault'));
    sim.run({ untilUs: MINUTE });
    expect(log).toEqual([`stop@${2 * SECOND}`, `timer@${2 * SECOND}`]);
    expect(states(sim, 'm/a').map(([, s]) => s)).toEqual(['up', 'paused', 'up', 'stopping', 'down']);
  });
});

describe('machines', () => {
  function host(): ReturnType<typeof world> {
    const sim = world({}, ['m', 'n']);
    proc(sim, 'm/auto', { start: (ctx) => ctx.setTimer('t', SECOND) });
    proc(sim, 'm/manual', {}, { autostart: false });
    proc(sim, 'n/other', {});
    return sim;
  }

  it('killMachine takes every process down; startMachine boots it and starts only the autostart ones', () => {
    const sim = host();
    for (const id of ['m/auto', 'm/manual', 'n/other']) startAt(sim, sim.process(id)!);
    sim.process('m/auto')!.durable['term'] = 7;
    const m = sim.machine('m')!;
    sim.at(SECOND, 'power off', (s) => s.lifecycle.killMachine(m, 'fault'));
    sim.at(2 * SECOND, 'power on', (s) => s.lifecycle.startMachine(m, 'fault over'));
    sim.run({ untilUs: 1500 * MS });
    expect(m.up).toBe(false);
    expect(m.processes.map((p) => p.status)).toEqual(['down', 'down']);
    expect(sim.process('n/other')!.status).toBe('running');
    sim.run({ untilUs: MINUTE });
    expect(m.up).toBe(true);
    expect(sim.process('m/auto')!.status).toBe('running');
    expect(sim.process('m/manual')!.status).toBe('down');
    expect(sim.process('m/auto')!.durable['term']).toBe(7);
    const machineStates = sim.trace.observations.filter((o) => o.kind === 'machine').map((o) => [o.at, o.detail['state']]);
    expect(machineStates).toEqual([[SECOND, 'down'], [2 * SECOND, 'up']]);
  });

  it('a powered-off machine cannot start processes', () => {
    const sim = host();
    const m = sim.machine('m')!;
    sim.lifecycle.killMachine(m, 'fault');
    sim.lifecycle.start(sim.process('m/auto')!, 'try');
    expect(sim.process('m/auto')!.status).toBe('down');
  });

  it('stopMachine stops every process and powers off once they are all down', () => {
    const sim = world();
    const exitAfter = (us: number) => ({
      stop: (ctx: Ctx) => ctx.setTimer('bye', us),
      timer: (ctx: Ctx) => ctx.exit(0, 'stopped'),
    });
    for (const [c, us] of [['a', SECOND], ['b', 2 * SECOND]] as const) startAt(sim, proc(sim, `m/${c}`, exitAfter(us)));
    startAt(sim, proc(sim, 'm/nohook', {}));
    const m = sim.machine('m')!;
    sim.at(SECOND, 'shutdown', (s) => s.lifecycle.stopMachine(m, 'maintenance'));
    sim.run({ untilUs: 2 * MINUTE });
    expect(timesOf(sim, 'm/nohook', 'down')).toEqual([SECOND]);
    expect(timesOf(sim, 'm/a', 'down')).toEqual([2 * SECOND]);
    expect(timesOf(sim, 'm/b', 'down')).toEqual([3 * SECOND]);
    expect(sim.trace.observations.filter((o) => o.kind === 'machine').map((o) => o.at)).toEqual([3 * SECOND]);
    expect(m.up).toBe(false);
  });

  it('stopMachine powers off after the grace period when a process never exits', () => {
    const sim = world();
    startAt(sim, proc(sim, 'm/stuck', { stop: () => {} }));
    const m = sim.machine('m')!;
    sim.at(SECOND, 'shutdown', (s) => s.lifecycle.stopMachine(m, 'maintenance'));
    sim.run({ untilUs: 2 * MINUTE });
    expect(m.up).toBe(false);
    expect(timesOf(sim, 'm/stuck', 'down')).toEqual([31 * SECOND]);
    expect(sim.trace.observations.filter((o) => o.kind === 'machine').map((o) => o.at)).toEqual([31 * SECOND]);
  });

  it('a machine shut down, powered off and booted again is not powered off by the old shutdown deadline', () => {
    const sim = world();
    const p = proc(sim, 'm/stuck', { stop: () => {} });
    startAt(sim, p);
    const m = sim.machine('m')!;
    sim.at(SECOND, 'shutdown', (s) => s.lifecycle.stopMachine(m, 'maintenance'));
    sim.at(5 * SECOND, 'power off', (s) => s.lifecycle.killMachine(m, 'impatient'));
    sim.at(10 * SECOND, 'power on', (s) => s.lifecycle.startMachine(m, 'boot'));
    sim.run({ untilUs: 2 * MINUTE });
    expect(m.up).toBe(true);
    expect(p.status).toBe('running');
    expect(sim.trace.observations.filter((o) => o.kind === 'machine').map((o) => [o.at, o.detail['state']])).toEqual([
      [5 * SECOND, 'down'], [10 * SECOND, 'up'],
    ]);
  });
});
