// The benchmarks `hasim bench` runs (SPEC §6). Each takes the caller's wall clock: the model never reads one.
import { etcdBench } from './etcd.ts';
import { kernelBench } from './kernel.ts';

export interface Benchmark {
  run(clock: () => number): Promise<Record<string, unknown>> | Record<string, unknown>;
  summary(result: Record<string, unknown>): string;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  kernel: {
    run: (clock) => ({ ...kernelBench(clock) }),
    summary: (r) => `kernel: ${Number(r['events']).toLocaleString('en-US')} events over ${Number(r['actors']).toLocaleString('en-US')} actors in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s (target ≥ 3,000,000)`,
  },
  etcd: {
    run: (clock) => ({ ...etcdBench(clock) }),
    summary: (r) => `etcd: 5 members, ${r['writesPerSecond']} writes/s for ${r['simulatedSeconds']} simulated s (${Number(r['writesOk']).toLocaleString('en-US')} ok): ${Number(r['events']).toLocaleString('en-US')} events in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s`,
  },
};
