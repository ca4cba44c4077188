// The machine CPU shared between processes as CFS shares runnable threads (load/shared-cpu.ts).
import { describe, expect, it } from 'vitest';
import { PsCpu } from '../../src/load/cpu.ts';
import { SharedCpu } from '../../src/load/shared-cpu.ts';

describe('SharedCpu', () => {
  it('with one owner capped at the cores it is exactly egalitarian PS per job (PsCpu)', () => {
    const shared = new SharedCpu(2);
    const ps = new PsCpu(2);
    shared.setThreadCap('api', 2);
    const works = [3_000, 1_000, 5_000, 2_000, 4_000];
    works.forEach((w, i) => {
      shared.add('api', `j${i}`, w, i * 100);
      ps.add(`j${i}`, w, i * 100);
    });
    const a = shared.advance(20_000).map((j) => [j.id, j.finishedAtUs]);
    const b = ps.advance(20_000).map((j) => [j.id, j.finishedAtUs]);
    expect(a).toHaveLength(5);
    expect(a).toEqual(b);
  });

  it("a busy apiserver takes at most its threads' share: etcd's one thread keeps 2/3 of a core on 2 cores", () => {
    const cpu = new SharedCpu(2);
    cpu.setThreadCap('api', 2);
    cpu.setThreadCap('etcd', 1);
    for (let i = 0; i < 10; i++) cpu.add('api', `r${i}`, 1_000_000, 0);
    cpu.add('etcd', 'ready', 100, 0);
    expect(cpu.jobRate('etcd')).toBeCloseTo(2 / 3, 9);
    // Egalitarian PS over 11 jobs would give it 2/11 and finish at 550 µs.
    expect(cpu.nextCompletionExactUs('etcd')).toBeCloseTo(150, 6);
    const done = cpu.advance(151);
    expect(done.map((j) => j.id)).toEqual(['ready']);
    // The apiserver's 10 jobs share its 2 threads: each at 2/3·2/10 while etcd ran, then 1/5.
    expect(cpu.jobRate('api')).toBeCloseTo(0.2, 9);
    expect(cpu.busyCoreMicros('api') + cpu.busyCoreMicros('etcd')).toBeCloseTo(2 * 151, 6);
  });

  it('dropping an owner (its process crashed) removes its jobs and speeds up the others', () => {
    const cpu = new SharedCpu(1);
    cpu.add('a', 'a1', 1_000, 0);
    cpu.add('b', 'b1', 1_000, 0);
    expect(cpu.nextCompletionUs('b')).toBe(2_000);
    const { dropped } = cpu.dropOwner('a', 500);
    expect(dropped).toEqual(['a1']);
    expect(cpu.running('a')).toBe(0);
    expect(cpu.nextCompletionUs('b')).toBe(1_250);
  });
});
