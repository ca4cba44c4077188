// Seed sweep: random kills, restarts, partitions, cuts, pauses and latency; safety always, liveness after healing.
import { describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import { EtcdLoad } from '../../src/etcd/loadgen.ts';
import { streamFor } from '../../src/kernel/random.ts';
import { validateScenario } from '../../src/scenario/index.ts';
import { loose } from '../observations.ts';

const HEAL_AT = 40;

/** A random fault history for one seed (YAML-form faults), all healed by HEAL_AT seconds. */
function faultsFor(seed: number, members: number): Record<string, unknown>[] {
  const r = streamFor(seed, 'sweep');
  const member = () => `etcd-${r.int(1, members + 1)}`;
  const faults: Record<string, unknown>[] = [];
  const n = r.int(2, 7);
  for (let i = 0; i < n; i++) {
    const at = `${r.int(3000, 30000)}ms`;
    const len = `${r.int(200, 9000)}ms`;
    switch (r.int(0, 7)) {
      case 0: faults.push({ at, kill: r.chance(0.5) ? 'etcd:leader' : member(), for: len }); break;
      case 1: faults.push({ at, stop: r.chance(0.5) ? 'etcd:leader' : member(), for: len }); break;
      case 2: faults.push({ at, pause: member(), for: len }); break;
      case 3: faults.push({ at, isolate: member(), for: len }); break;
      case 4: faults.push({ at, partition: [[member(), member()].filter((x, k, a) => a.indexOf(x) === k)], for: len }); break;
      case 5: faults.push({ at, cut: { from: member(), to: [member()], oneWay: r.chance(0.5) }, for: len }); break;
      default: faults.push({ at, latency: { between: [member(), member()], add: `${r.int(50, 1500)}ms`, jitter: '20ms' }, for: len });
    }
  }
  faults.push({ at: `${HEAL_AT}s`, heal: 'all' });
  for (let i = 1; i <= members; i++) faults.push({ at: `${HEAL_AT}s`, start: `etcd-${i}` }, { at: `${HEAL_AT}s`, resume: `etcd-${i}` });
  return faults;
}

function sweep(seed: number): string | null {
  const members = seed % 2 === 0 ? 3 : 5;
  const sc = validateScenario({
    name: `sweep-${seed}`, duration: '60s',
    cluster: { topology: 'external', masters: 3, etcdMembers: members },
    params: { etcd: { preVote: seed % 3 !== 0 } },
    faults: faultsFor(seed, members).filter((f) => !JSON.stringify(f).includes('"etcd-0"')),
  }, `sweep seed ${seed}`);
  const targets = Array.from({ length: members }, (_, i) => `etcd-${i + 1}/etcd`);
  const run = new Run(sc, {
    seed,
    extend: (b) => b.sim.addProcess({ machine: 'client', component: 'etcd-load', make: () => new EtcdLoad({ targets, intervalUs: 100_000, timeoutUs: 9_000_000 }) }),
  });
  const report = run.finish();
  if (report.invariants.violations.length > 0) return `seed ${seed}: ${report.invariants.violations.join('; ')}`;
  // Liveness: within 10 s of healing there is a leader, and writes succeed again.
  const late = run.sim.trace.observations.filter((o) => o.kind === 'etcd-load' && o.at > (HEAL_AT + 12) * 1e6);
  if (!run.metrics.trackers.get('etcd')!.led) return `seed ${seed}: no etcd leader at the end`;
  if (late.length === 0 || late.some((o) => loose(o)['ok'] !== true)) {
    return `seed ${seed}: writes still failing more than 12 s after healing (${late.filter((o) => loose(o)['ok'] !== true).length} failed)`;
  }
  return null;
}

describe('etcd seed sweep (replay a failing seed with the printed number)', () => {
  it('500 random fault histories: no safety violation, a leader and working writes after healing', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const f = sweep(seed);
      if (f) failures.push(f);
    }
    expect(failures).toEqual([]);
  });
});
