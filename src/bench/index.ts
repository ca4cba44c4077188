// The benchmarks `hasim bench` runs (SPEC §6). Each takes the caller's wall clock: the model never reads one.
import { clusterBench } from './cluster.ts';
import { etcdBench } from './etcd.ts';
import { kernelBench } from './kernel.ts';

export interface BenchOptions {
  /** Shorter simulated time for the cluster benchmarks (a duration string), for quick looks. */
  simulated?: string;
}

export interface Benchmark {
  run(clock: () => number, opts: BenchOptions): Promise<Record<string, unknown>> | Record<string, unknown>;
  summary(result: Record<string, unknown>): string;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  kernel: {
    run: (clock) => ({ ...kernelBench(clock) }),
    summary: (r) => `kernel: ${Number(r['events']).toLocaleString('en-US')} events over ${Number(r['actors']).toLocaleString('en-US')} actors in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s (target ≥ 3,000,000)`,
  },
  'cluster-day': {
    run: (clock, opts) => ({ ...clusterBench('cluster-day', clock, opts.simulated) }),
    summary: clusterSummary('target: 24 simulated hours in ≤ 10 s'),
  },
  'cluster-5k': {
    run: (clock, opts) => ({ ...clusterBench('cluster-5k', clock, opts.simulated) }),
    summary: clusterSummary('target: 1 simulated hour in ≤ 30 s'),
  },
  etcd: {
    run: (clock) => ({ ...etcdBench(clock) }),
    summary: (r) => `etcd: 5 members, ${r['writesPerSecond']} writes/s for ${r['simulatedSeconds']} simulated s (${Number(r['writesOk']).toLocaleString('en-US')} ok): ${Number(r['events']).toLocaleString('en-US')} events in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s`,
  },
};

function clusterSummary(target: string): (r: Record<string, unknown>) => string {
  return (r) => `${r['name']}: ${r['workers']} workers, ${r['simulatedSeconds']} simulated s: ${Number(r['events']).toLocaleString('en-US')} events in ${r['wallMs']} ms ` +
    `(${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s, RSS ${r['rssMiB']} MiB; ${target})`;
}
