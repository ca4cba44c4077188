// The report metrics an `expect` may name (SPEC §4), so that a typo in a metric name fails loudly.
import { LEADER_GROUPS } from '../kernel/observations.ts';
import { closest } from './suggest.ts';

/** Leader groups of the report (defined once, in kernel/observations.ts); `<group>` in the patterns below stands for one of these. */
export { LEADER_GROUPS, type LeaderGroup } from '../kernel/observations.ts';

const LEADER_FIELDS = ['changes', 'leaderlessSeconds', 'maxLeaderlessSeconds', 'dualLeaderSeconds', 'staleLeaderActions'];

/**
 * Numeric report fields, as dotted paths; `<group>` is any of LEADER_GROUPS. test/report/metrics-folding.test.ts
 * checks this list against the report both ways (window.* and fastForward.* are deliberately not metrics).
 */
export const KNOWN_METRIC_PATTERNS: readonly string[] = [
  'durationSeconds',
  'bootstrapSeconds',
  'faults',
  'faults.<index>.lbDetectionSeconds',
  'eventsProcessed',
  ...['etcdQuorum', 'apiRead', 'apiWrite', 'scheduler', 'controllerManager', 'workloads'].map((f) => `availability.${f}`),
  ...LEADER_FIELDS.map((f) => `leaders.<group>.${f}`),
  ...['apiWrite', 'apiRead'].flatMap((layer) => [`downtime.${layer}.totalSeconds`, `downtime.${layer}.longestSeconds`]),
  'nodes.notReadyTransitions',
  'nodes.evictions',
  'pods.desired',
  'pods.maxRunning',
  'pods.minRunning',
  'recovery.seconds',
  'invariants.violationCount',
  'failovers.count',
  'failovers.<group>.count',
  'failovers.<group>.maxGapSeconds',
  'failovers.<group>.meanGapSeconds',
  // Only with a `load:` section (report/load.ts).
  'load.endSpread',
  'load.verdict.p99WriteMs',
  'load.verdict.rejectedFraction',
  'load.relists',
  // report/etcd-load.ts: the etcd members on machines shared under load.
  'load.etcd.lateHeartbeats',
  'load.etcd.maxHeartbeatGapMs',
  'load.etcd.fsyncMaxMs',
];

/** Every known metric with `<group>` expanded, in pattern order. */
export const KNOWN_METRICS: readonly string[] = KNOWN_METRIC_PATTERNS.filter((p) => !p.includes('<index>')).flatMap((pattern) =>
  pattern.includes('<group>') ? LEADER_GROUPS.map((g) => pattern.replace('<group>', g)) : [pattern],
);

const KNOWN_SET = new Set(KNOWN_METRICS);

/** Per-fault metrics (`faults.<index>.…`): the index is checked against the scenario's faults. */
const FAULT_METRIC = /^faults\.\d+\.lbDetectionSeconds$/;

export function isKnownMetric(path: string): boolean {
  return KNOWN_SET.has(path) || FAULT_METRIC.test(path);
}

/** The known metric closest to a misspelt one, if any is plausibly meant. */
export function closestMetric(path: string): string | undefined {
  return closest(path, KNOWN_METRICS);
}
