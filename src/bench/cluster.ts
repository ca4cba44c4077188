// The `cluster-day` and `cluster-5k` benchmarks: whole clusters in steady state, detailed simulation (SPEC §6).
import { Run } from '../cluster/run.ts';
import { validateScenario } from '../scenario/index.ts';

export interface ClusterBenchResult {
  name: string;
  simulatedSeconds: number;
  workers: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  /** Resident memory after the run (MiB), as reported by the caller's process. */
  rssMiB?: number;
  availabilityApiWrite: number | null;
  traceHash: string | null;
}

export const CLUSTER_BENCHES = {
  'cluster-day': { topology: 'stacked', masters: 3, workers: 100, duration: '1h', pods: 200 },
  'cluster-5k': { topology: 'external', masters: 5, etcdMembers: 5, workers: 5000, duration: '1h', pods: 10000 },
} as const;

export function clusterBench(name: keyof typeof CLUSTER_BENCHES, clock: () => number, durationOverride?: string): ClusterBenchResult {
  const { duration, ...cluster } = CLUSTER_BENCHES[name];
  const scenario = validateScenario({
    name: `bench-${name}`, duration: durationOverride ?? duration, cluster,
    params: { probe: { interval: '1s' } },
  }, `bench-${name}`);
  const run = new Run(scenario, { seed: 1, keepObservations: false });
  const t0 = clock();
  const report = run.finish();
  const wallMs = clock() - t0;
  return {
    name, simulatedSeconds: report.durationSeconds, workers: scenario.cluster.workers, events: report.eventsProcessed,
    wallMs: Math.round(wallMs), eventsPerSec: Math.round(report.eventsProcessed / (wallMs / 1000)),
    availabilityApiWrite: report.availability.apiWrite, traceHash: report.traceHash,
  };
}
