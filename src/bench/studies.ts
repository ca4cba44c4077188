// The study benchmarks: `compare-1k` (SPEC §6) and `study-year`, whole `hasim compare` studies with
// random machine failures, run on every core with fast-forward through steady state.
import { availableParallelism } from 'node:os';
import { compareScenarios, compareVariants, TOPOLOGIES } from '../study/compare.ts';
import { jobsFor, runJobs } from '../study/pool.ts';
import type { RunRecord } from '../study/record.ts';
import { byVariant, seedsOf, summarizeVariant } from '../study/study.ts';

export interface StudyBenchConfig {
  runs: number;
  duration: string;
  mtbf: string;
  mttr: string;
}

export const STUDY_BENCHES: Record<'compare-1k' | 'study-year', StudyBenchConfig> = {
  // "1,000 runs × 2 topologies × 1 simulated hour with random faults (each run sees several)".
  'compare-1k': { runs: 1000, duration: '1h', mtbf: '1h', mttr: '10m' },
  // "A simulated year per run (MTBF 30 d, MTTR 2 h per machine); 100 runs × 2 topologies".
  'study-year': { runs: 100, duration: '365d', mtbf: '30d', mttr: '2h' },
};

export interface StudyBenchOptions {
  runs?: number;
  simulated?: string;
  fastForward?: boolean;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The scenario both topologies run: 3 masters, one load balancer, every machine failing at random. */
function studyScenario(name: string, cfg: StudyBenchConfig, duration: string): unknown {
  return {
    name: `bench-${name}`,
    description: `hasim bench ${name}: every machine fails after Exp(MTBF ${cfg.mtbf}) and is repaired after Exp(MTTR ${cfg.mttr}).`,
    duration,
    cluster: { topology: 'stacked', masters: 3, etcdMembers: 3, workers: 0 },
    faults: [{ random: { targets: 'machines', mtbf: cfg.mtbf, mttr: cfg.mttr } }],
  };
}

export async function studyBench(name: keyof typeof STUDY_BENCHES, clock: () => number, opts: StudyBenchOptions = {}): Promise<Record<string, unknown>> {
  const cfg = STUDY_BENCHES[name];
  const runs = opts.runs ?? cfg.runs;
  const duration = opts.simulated ?? cfg.duration;
  const fastForward = opts.fastForward ?? true;
  const workers = opts.workers ?? availableParallelism();
  const raw = studyScenario(name, cfg, duration);
  const { variants } = compareVariants(raw, TOPOLOGIES, []);
  for (const v of variants) v.fastForward = fastForward;
  const scenarios = compareScenarios(variants, `bench-${name}`);
  const jobs = jobsFor(variants.length, seedsOf(runs, null));
  const t0 = clock();
  // CPU time of every thread of this process (the workers are threads): what the study costs
  // whatever else the machine is doing, where wall time also counts time the CPUs were taken away.
  const cpu0 = process.cpuUsage();
  const records: RunRecord[] = await runJobs({ file: `bench-${name}`, variants, scenarios, jobs, workers, onProgress: opts.onProgress });
  const wallMs = clock() - t0;
  const cpu = process.cpuUsage(cpu0);
  const sum = (f: (r: RunRecord) => number) => records.reduce((a, r) => a + f(r), 0);
  const events = sum((r) => r.events ?? 0);
  const simulatedSeconds = scenarios[0]!.duration / 1e6;
  const perTopology: Record<string, { meanApiWrite: number | null; meanFaults: number }> = {};
  for (const [key, mine] of byVariant(records)) {
    perTopology[key] = {
      meanApiWrite: summarizeVariant(mine).metrics['availability.apiWrite']!.mean,
      meanFaults: mine.reduce((a, r) => a + (r.faults ?? 0), 0) / mine.length,
    };
  }
  return {
    name, runs, topologies: variants.length, simulatedSecondsPerRun: simulatedSeconds, fastForward, workers,
    wallMs: Math.round(wallMs), cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10, events, eventsPerRun: Math.round(events / records.length),
    detailedFraction: 1 - sum((r) => r.skippedSeconds ?? 0) / (simulatedSeconds * records.length),
    meanFaultsPerRun: sum((r) => r.faults ?? 0) / records.length,
    minFaultsPerRun: Math.min(...records.map((r) => r.faults ?? 0)),
    perTopology,
    invariantViolations: sum((r) => r.invariantViolations),
  };
}
