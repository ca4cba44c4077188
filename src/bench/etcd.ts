// The `etcd` benchmark: a 5-member external etcd cluster under a steady write load, events per second.
import { Run } from '../cluster/run.ts';
import { EtcdLoad } from '../etcd/loadgen.ts';
import { validateScenario } from '../scenario/index.ts';

export interface EtcdBenchResult {
  name: 'etcd';
  members: number;
  simulatedSeconds: number;
  writesPerSecond: number;
  writesOk: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  traceHash: string | null;
}

export function etcdBench(clock: () => number, simulatedSeconds = 600, writesPerSecond = 200): EtcdBenchResult {
  const scenario = validateScenario({
    name: 'bench-etcd', duration: `${simulatedSeconds}s`,
    cluster: { topology: 'external', masters: 3, etcdMembers: 5, workers: 0, loadBalancer: { count: 0 } },
  }, 'bench-etcd');
  const targets = Array.from({ length: 5 }, (_, i) => `etcd-${i + 1}/etcd`);
  let writesOk = 0;
  const run = new Run(scenario, {
    seed: 1,
    keepObservations: false,
    extend: (b) => {
      b.sim.addProcess({ machine: 'client', component: 'etcd-load', make: () => new EtcdLoad({ targets, intervalUs: Math.round(1e6 / writesPerSecond), timeoutUs: 10_000_000, keys: 1000 }) });
      b.sim.trace.listen((o) => { if (o.kind === 'etcd-load' && o.detail['ok'] === true) writesOk++; });
    },
  });
  const t0 = clock();
  const report = run.finish();
  const wallMs = clock() - t0;
  return {
    name: 'etcd', members: 5, simulatedSeconds, writesPerSecond, writesOk, events: report.eventsProcessed,
    wallMs: Math.round(wallMs), eventsPerSec: Math.round(report.eventsProcessed / (wallMs / 1000)), traceHash: report.traceHash,
  };
}
