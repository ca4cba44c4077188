// The benchmarks `hasim bench` runs (SPEC §6). Each takes the caller's wall clock: the model never reads one.
import { clusterBench } from './cluster.ts';
import { cutsBench } from './cuts.ts';
import { etcdBench } from './etcd.ts';
import { kernelBench } from './kernel.ts';
import { loadBench } from './load.ts';
import { studyBench } from './studies.ts';
import { zoneOutageBench } from './zone-outage.ts';

export interface BenchOptions {
  /** Shorter simulated time for the cluster benchmarks (a duration string), for quick looks. */
  simulated?: string;
  /** Fewer runs for the study benchmarks, for quick looks. */
  runs?: number;
  /** Study benchmarks: simulate steady state event by event too. */
  noFastForward?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface Benchmark {
  run(clock: () => number, opts: BenchOptions): Promise<Record<string, unknown>> | Record<string, unknown>;
  summary(result: Record<string, unknown>): string;
  /** Not part of a plain `hasim bench` (long, and not a SPEC §6 target). */
  onlyWhenNamed?: boolean;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  kernel: {
    run: (clock) => ({ ...kernelBench(clock) }),
    summary: (r) => `kernel: ${Number(r['events']).toLocaleString('en-US')} events over ${Number(r['actors']).toLocaleString('en-US')} actors in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s (target ≥ 3,000,000)`,
  },
  'cluster-day': {
    run: (clock, opts) => ({ ...clusterBench('cluster-day', clock, opts.simulated) }),
    summary: clusterSummary('target: 1 simulated hour in ≤ 3 s, ≥ 1 M events/s'),
  },
  'cluster-5k': {
    run: (clock, opts) => ({ ...clusterBench('cluster-5k', clock, opts.simulated) }),
    summary: clusterSummary('no target: the detailed 5,000-worker hour in ≤ 30 s is retired, zone-outage-5000 replaces it'),
  },
  'zone-outage-5000': {
    // Wall clock and memory are the caller's to read (src/bench may, the model may not).
    run: (clock, opts) => ({ ...zoneOutageBench(clock, () => process.memoryUsage().rss, opts.simulated) }),
    summary: (r) => `zone-outage-5000: ${Number(r['workers']).toLocaleString('en-US')} workers, one zone off for 1 h, ${r['simulatedSeconds']} simulated s with fast-forward ` +
      `(${r['fastForwardSkippedSeconds']} s skipped): ${Number(r['events']).toLocaleString('en-US')} events in ${(Number(r['wallMs']) / 1000).toFixed(1)} s wall ` +
      `(${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s), peak RSS ${r['peakRssMiB']} MiB, ${r['evictions']} pods evicted (target: ≤ 60 s on 2 cores)`,
  },
  'compare-1k': {
    run: (clock, opts) => studyBench('compare-1k', clock, studyOpts(opts)),
    summary: studySummary('target: ≤ 30 s wall on 2 cores'),
  },
  'study-year': {
    run: (clock, opts) => studyBench('study-year', clock, studyOpts(opts)),
    summary: studySummary('a simulated year per run must be practical'),
    onlyWhenNamed: true,
  },
  'cuts-2': {
    run: (clock, opts) => cutsBench(clock, opts.onProgress),
    summary: (r) => `cuts-2: hasim cuts --max-failures 2 of the study cluster, stacked and external: ${r['runs']} runs on ${r['workers']} workers, ` +
      `${(Number(r['wallMs']) / 1000).toFixed(1)} s wall (${Number(r['cpuSeconds']).toFixed(1)} s CPU) (target: ≤ 30 s on 2 cores)`,
  },
  load: {
    run: (clock, opts) => ({ ...loadBench(clock, opts.simulated) }),
    summary: (r) => `load: 3 masters, ${r['workers']} workers, 500 requests/s for ${r['simulatedSeconds']} simulated s: ${Number(r['requests']).toLocaleString('en-US')} requests, ` +
      `${Number(r['events']).toLocaleString('en-US')} events (${r['eventsPerRequest']} per request) in ${r['wallMs']} ms, apiserver CPU ${(Number(r['meanUtilisation']) * 100).toFixed(1)} %, p99 ms ${JSON.stringify(r['p99Ms'])}`,
    onlyWhenNamed: true,
  },
  etcd: {
    run: (clock) => ({ ...etcdBench(clock) }),
    summary: (r) => `etcd: 5 members, ${r['writesPerSecond']} writes/s for ${r['simulatedSeconds']} simulated s (${Number(r['writesOk']).toLocaleString('en-US')} ok): ${Number(r['events']).toLocaleString('en-US')} events in ${r['wallMs']} ms = ${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s`,
  },
};

function studyOpts(opts: BenchOptions) {
  return { runs: opts.runs, simulated: opts.simulated, fastForward: !opts.noFastForward, onProgress: opts.onProgress };
}

function studySummary(target: string): (r: Record<string, unknown>) => string {
  const pct = (x: unknown) => `${(Number(x) * 100).toFixed(2)} %`;
  return (r) => {
    const topo = r['perTopology'] as Record<string, { meanApiWrite: number; meanFaults: number }>;
    const per = Object.entries(topo).map(([t, v]) => `${t}: apiWrite ${pct(v.meanApiWrite)}, ${v.meanFaults.toFixed(1)} faults/run`).join('; ');
    return `${r['name']}: ${r['runs']} runs × ${r['topologies']} topologies × ${Number(r['simulatedSecondsPerRun']).toLocaleString('en-US')} simulated s ` +
      `on ${r['workers']} workers${r['fastForward'] ? ' with fast-forward' : ', every event in detail'}: ${(Number(r['wallMs']) / 1000).toFixed(1)} s wall (${Number(r['cpuSeconds']).toFixed(1)} s CPU), ` +
      `${Number(r['events']).toLocaleString('en-US')} events (${Number(r['eventsPerRun']).toLocaleString('en-US')} per run, ${pct(r['detailedFraction'])} of simulated time in detail); ` +
      `${per}; ${r['invariantViolations']} invariant violations (${target})`;
  };
}

function clusterSummary(target: string): (r: Record<string, unknown>) => string {
  return (r) => `${r['name']}: ${r['workers']} workers, ${r['simulatedSeconds']} simulated s: ${Number(r['events']).toLocaleString('en-US')} events in ${r['wallMs']} ms ` +
    `(${Number(r['eventsPerSec']).toLocaleString('en-US')} events/s, RSS ${r['rssMiB']} MiB; ${target})`;
}
