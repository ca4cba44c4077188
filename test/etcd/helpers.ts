// Helpers for etcd tests: scenarios from YAML text, runs with a load client, and observation queries.
import { Run } from '../../src/cluster/run.ts';
import { EtcdLoad, type LoadConfig } from '../../src/etcd/loadgen.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { loose } from '../observations.ts';

export function scenario(yaml: string) {
  return parseScenarioText(yaml, 'test.yaml');
}

export function runWith(yaml: string, seed: number, load?: LoadConfig): Run {
  const run = new Run(scenario(yaml), {
    seed,
    extend: load && ((b) => b.sim.addProcess({ machine: 'client', component: 'etcd-load', make: () => new EtcdLoad(load) })),
  });
  run.advance(run.scenario.duration);
  return run;
}

export function obs(run: Run, kind: string, filter: (o: Observation) => boolean = () => true): Observation[] {
  return run.sim.trace.observations.filter((o) => o.kind === kind && filter(o));
}

/** True times (µs) at which some member started leading, in order. */
export function leaderStarts(run: Run): { at: number; member: string; term: number }[] {
  return obs(run, 'leader', (o) => loose(o)['group'] === 'etcd' && loose(o)['leading'] === true)
    .map((o) => ({ at: o.at, member: o.subject, term: loose(o)['term'] as number }));
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
