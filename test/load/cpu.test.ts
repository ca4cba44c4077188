// Processor-sharing CPU against hand computations with changing job counts.
import { describe, expect, it } from 'vitest';
import { PsCpu } from '../../src/load/cpu.ts';

const ids = (done: { id: string }[]) => done.map((d) => d.id);

describe('PsCpu (processor sharing: each of n jobs runs at min(1, cores/n))', () => {
  it('two jobs on two cores run at full speed', () => {
    const cpu = new PsCpu(2);
    cpu.add('A', 10_000, 0);
    cpu.add('B', 4_000, 0);
    expect(cpu.nextCompletionUs()).toBe(4_000);
    expect(cpu.advance(9_999).map((d) => [d.id, d.finishedAtUs])).toEqual([['B', 4_000]]);
    expect(cpu.advance(10_000).map((d) => [d.id, d.finishedAtUs])).toEqual([['A', 10_000]]);
    expect(cpu.nextCompletionUs()).toBeNull();
  });

  it('one core, a third job joins: 10 ms and 4 ms at 0, 3 ms at 2 ms', () => {
    const cpu = new PsCpu(1);
    cpu.add('A', 10_000, 0);
    cpu.add('B', 4_000, 0);
    // At 2 ms each has had 1 ms: A 9 ms left, B 3 ms left; C joins with 3 ms; rate 1/3.
    expect(cpu.add('C', 3_000, 2_000)).toEqual([]);
    expect(cpu.rate()).toBeCloseTo(1 / 3, 12);
    // B and C finish together after 9 ms more; A has 6 ms left, then runs alone until 17 ms.
    expect(cpu.nextCompletionUs()).toBe(11_000);
    const mid = cpu.advance(11_000);
    expect(ids(mid).sort()).toEqual(['B', 'C']);
    expect(mid.find((d) => d.id === 'C')!.residenceUs).toBeCloseTo(9_000, 6);
    expect(cpu.nextCompletionUs()).toBe(17_000);
    const end = cpu.advance(20_000);
    expect(ids(end)).toEqual(['A']);
    expect(end[0]!.finishedAtUs).toBeCloseTo(17_000, 6);
    expect(cpu.busyCoreMicros()).toBeCloseTo(17_000, 6);
  });

  it('two cores, four 6 ms jobs, a 1 ms job joins at 3 ms: it leaves at 5.5 ms, the rest at 12.5 ms', () => {
    const cpu = new PsCpu(2);
    for (const id of ['J1', 'J2', 'J3', 'J4']) cpu.add(id, 6_000, 0);
    // Rate 1/2 until 3 ms → each has 4.5 ms left; with E five jobs share at 2/5.
    cpu.add('E', 1_000, 3_000);
    const first = cpu.advance(6_000);
    expect(ids(first)).toEqual(['E']);
    expect(first[0]!.finishedAtUs).toBeCloseTo(5_500, 6);
    // Each J had 1 ms more by 5.5 ms → 3.5 ms left at rate 1/2 → 7 ms → 12.5 ms.
    expect(cpu.nextCompletionExactUs()).toBeCloseTo(12_500, 6);
    expect(cpu.nextCompletionUs()).toBe(12_500);
    const rest = cpu.advance(13_000);
    expect(ids(rest)).toEqual(['J1', 'J2', 'J3', 'J4']);
    // Work conserved: 25 core·ms.
    expect(cpu.busyCoreMicros()).toBeCloseTo(25_000, 6);
  });

  it('rounding: three 1 ms jobs on one core finish at exactly 3 ms on the integer clock', () => {
    const cpu = new PsCpu(1);
    for (const id of ['a', 'b', 'c']) cpu.add(id, 1_000, 0);
    expect(cpu.nextCompletionUs()).toBe(3_000);
    expect(ids(cpu.advance(3_000))).toEqual(['a', 'b', 'c']);
    expect(cpu.running).toBe(0);
  });

  it('remove drops a job and the others speed up', () => {
    const cpu = new PsCpu(1);
    cpu.add('A', 4_000, 0);
    cpu.add('B', 4_000, 0);
    expect(cpu.remove('B', 2_000).remainingUs).toBeCloseTo(3_000, 6);
    // A has 3 ms left at full speed.
    expect(cpu.nextCompletionUs()).toBe(5_000);
  });

  it('a zero-work job finishes at once; bad input throws', () => {
    const cpu = new PsCpu(4);
    expect(ids(cpu.add('z', 0, 7))).toEqual(['z']);
    expect(() => new PsCpu(0)).toThrow(/cores/);
    cpu.add('x', 5, 10);
    expect(() => cpu.add('x', 5, 10)).toThrow(/already/);
    expect(() => cpu.advance(9)).toThrow(/backwards/);
  });

  it('fluid background load takes cores off the top: 1 of 2 cores busy → two jobs share one core', () => {
    const cpu = new PsCpu(2);
    cpu.add('A', 2_000, 0);
    cpu.add('B', 2_000, 0);
    // Full speed until 1 ms (each has 1 ms left), then the background takes a core: rate 1/2.
    cpu.setBackgroundCores(1, 1_000);
    expect(cpu.nextCompletionUs()).toBe(3_000);
    expect(ids(cpu.advance(3_000))).toEqual(['A', 'B']);
    // Busy: 2 cores × 1 ms, then (1 background + 2 × 1/2) × 2 ms = 6 core·ms; the background stays.
    expect(cpu.busyCoreMicros()).toBeCloseTo(6_000, 6);
    cpu.advance(4_000);
    expect(cpu.busyCoreMicros()).toBeCloseTo(7_000, 6);
  });

  it('a crash drops every job', () => {
    const cpu = new PsCpu(1);
    cpu.add('A', 1_000, 0);
    cpu.add('B', 5_000, 0);
    const { finished, dropped } = cpu.clear(2_500);
    expect(ids(finished)).toEqual(['A']);
    expect(dropped).toEqual(['B']);
    expect(cpu.nextCompletionUs()).toBeNull();
  });
});
