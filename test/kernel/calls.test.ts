// Scheduled calls and fast-forward jumps: a jump pulls every pending call closer and never passes one.
import { describe, expect, it } from 'vitest';
import { ScheduledCalls, type CallsLoop } from '../../src/kernel/calls.ts';
import { EventKind, EventQueue, type SimEvent } from '../../src/kernel/queue.ts';

/** The smallest event loop the calls need: a queue, a clock, and a scheduler stamping sequence numbers. */
function loop(now = 0): CallsLoop & { now: number } {
  let seq = 0;
  const queue = new EventQueue();
  return {
    now,
    queue,
    schedule(at: number, kind: EventKind, target: number, name: string, data: unknown): SimEvent {
      const ev: SimEvent = { at, seq: seq++, kind, target, name, data, life: 0, cancelled: false, routine: false, armedAt: this.now };
      queue.push(ev);
      return ev;
    },
  };
}

/** Pop every live event left in the queue: [at, label]. */
function drain(q: EventQueue): [number, string][] {
  const out: [number, string][] = [];
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) if (!ev.cancelled) out.push([ev.at, ev.name]);
  return out;
}

describe('scheduled calls', () => {
  it('schedules a call for a time already past at now, and knows the next one', () => {
    const l = loop(500);
    const calls = new ScheduledCalls(l);
    expect(calls.nextAt()).toBeNull();
    calls.add(2_000, 'later', () => {});
    calls.add(100, 'overdue', () => {});
    expect(calls.nextAt()).toBe(500);
    expect(drain(l.queue)).toEqual([[500, 'overdue'], [2_000, 'later']]);
  });

  it('forgets a call once it ran, and skips cancelled ones', () => {
    const l = loop();
    const calls = new ScheduledCalls(l);
    calls.add(1_000, 'a', () => {});
    calls.add(3_000, 'b', () => {});
    const a = l.queue.pop()!;
    calls.ran(a);
    expect(calls.nextAt()).toBe(3_000);
    const b = l.queue.pop()!;
    l.queue.cancel(b);
    expect(calls.nextAt()).toBeNull();
  });

  it('a jump moves every pending call closer by the same amount, keeping their order and their functions', () => {
    const l = loop(1_000);
    const calls = new ScheduledCalls(l);
    const fn = (): void => {};
    calls.add(5_000, 'fault', fn);
    calls.add(9_000, 'repair', () => {});
    calls.pullCloser(3_000);
    expect(calls.nextAt()).toBe(2_000);
    const first = l.queue.pop()!;
    expect([first.at, first.name, first.data]).toEqual([2_000, 'fault', fn]);
    expect(drain(l.queue)).toEqual([[6_000, 'repair']]);
  });

  it('refuses a jump that would pass a call, and one that is not a positive whole number of µs', () => {
    const l = loop(1_000);
    const calls = new ScheduledCalls(l);
    calls.add(4_000, 'restart', () => {});
    expect(() => calls.pullCloser(3_001)).toThrow(/passes restart at 4000/);
    expect(() => new ScheduledCalls(loop()).pullCloser(0)).toThrow(/jump of 0/);
    expect(() => new ScheduledCalls(loop()).pullCloser(1.5)).toThrow(/jump of 1.5/);
  });
});
