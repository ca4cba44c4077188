// One study run → the raw metric values a study keeps (so that shards can be merged and summaries recomputed).
import { runScenario } from '../cluster/run.ts';
import { metricValue } from '../report/values.ts';
import type { Report } from '../report/metrics.ts';
import { LEADER_GROUPS, validateScenario, type Scenario } from '../scenario/index.ts';

export const AVAILABILITY = ['apiWrite', 'apiRead', 'etcdQuorum', 'scheduler', 'controllerManager', 'workloads'] as const;

/** Per-run metric paths (SPEC §4 names, read with metricValue). */
export const RUN_METRICS: readonly string[] = [
  ...AVAILABILITY.map((a) => `availability.${a}`),
  'downtime.apiWrite.totalSeconds',
  'downtime.apiWrite.longestSeconds',
  ...LEADER_GROUPS.map((g) => `leaders.${g}.leaderlessSeconds`),
  ...LEADER_GROUPS.map((g) => `failovers.${g}.count`),
  ...LEADER_GROUPS.map((g) => `failovers.${g}.meanGapSeconds`),
  'nodes.evictions',
];

export interface RunRecord {
  /** The variant (topology, or grid point) this run belongs to. */
  variant: string;
  seed: number;
  /** RUN_METRICS → value (null: the run produced none, e.g. no failover for a mean gap). */
  values: Record<string, number | null>;
  /** Failover gaps per leader group, in the order they happened (an unrecovered failover counts to the end). */
  gaps: Record<string, number[]>;
  invariantViolations: number;
  truncated: boolean;
  /** Seconds of API write downtime per mechanism (report.attribution; absent in files written before it). */
  attribution?: Record<string, number>;
  /** Desired pod-seconds lost (report.attribution) and the desired pods (absent in files written before them). */
  lostPodSeconds?: number;
  desiredPods?: number;
  /** Cost and coverage of the run (benchmarks read these; summaries do not). */
  events?: number;
  faults?: number;
  skippedSeconds?: number;
  /** The N+1 verdict of a scenario with `load.limits` and a fault (report.load.verdict); absent otherwise. */
  load?: RunLoad;
}

/** What a sweep over load needs of one run: the after-fault p99 write latency, 429 fraction and verdict. */
export interface RunLoad {
  p99WriteMs: number;
  rejectedFraction: number;
  holds: boolean;
}

/** How one variant of a study is built: the raw scenario data (before --set) plus its overrides. */
export interface VariantSpec {
  key: string;
  raw: unknown;
  sets: string[];
  /** Skip steady state (SPEC §6); default off. */
  fastForward?: boolean;
}

export function recordOf(variant: string, report: Report): RunRecord {
  const values: Record<string, number | null> = {};
  for (const path of RUN_METRICS) {
    const v = metricValue(report, path);
    // A mean gap over no failovers is "no value", not 0.
    values[path] = path.endsWith('.meanGapSeconds') && report.failovers.every((f) => !path.startsWith(`failovers.${f.group}.`)) ? null : v;
  }
  const gaps: Record<string, number[]> = {};
  for (const g of LEADER_GROUPS) {
    gaps[g] = report.failovers.filter((f) => f.group === g).map((f) => f.gapSeconds ?? report.durationSeconds - f.lostAt);
  }
  const attribution: Record<string, number> = {};
  for (const a of report.attribution) {
    if (a.measure === 'apiWrite') attribution[a.mechanism] = (attribution[a.mechanism] ?? 0) + a.seconds;
  }
  return {
    variant, seed: report.seed, values, gaps, attribution,
    lostPodSeconds: report.attribution.filter((a) => a.measure === 'lostPodSeconds').reduce((n, a) => n + a.seconds, 0),
    desiredPods: report.pods.desired, invariantViolations: report.invariants.violations.length, truncated: report.truncated,
    events: report.eventsProcessed, faults: report.faults, skippedSeconds: report.fastForward.skippedSeconds,
    ...loadOf(report),
  };
}

function loadOf(report: Report): { load?: RunLoad } {
  const v = report.load?.verdict;
  return v ? { load: { p99WriteMs: v.p99WriteMs, rejectedFraction: v.rejectedFraction, holds: v.holds } } : {};
}

export function scenarioOf(spec: VariantSpec, file: string): Scenario {
  return validateScenario(spec.raw, file, { sets: spec.sets });
}

/** Run one seed of a validated variant. */
export function runRecord(spec: VariantSpec, scenario: Scenario, seed: number): RunRecord {
  const { report } = runScenario(scenario, { seed, keepObservations: false, traceHash: false, fastForward: spec.fastForward === true });
  return recordOf(spec.key, report);
}
