// What a report says, read by path: metric values (SPEC §4 names and derived failover figures) and expectation results.
import type { Report } from './metrics.ts';
import type { Expectation } from '../scenario/index.ts';

export interface ExpectResult {
  index: number;
  /** What was expected, as written: `availability.apiWrite >= 0.97`. */
  text: string;
  /** The metric's value; for `eventually`, seconds from the anchor until the condition held. */
  value: number | null;
  pass: boolean;
  note?: string;
  /** `metric` or the temporal kind. */
  kind: 'metric' | Exclude<Expectation['kind'], 'bound'>;
  /** What is asserted: the metric path, or the kind and condition (`always etcd.leadersInTerm <= 1`). */
  subject: string;
  /** What it is held to: `>= 0.97`, `within 30s after lastFault`, or "" (always/never/sometimes). */
  bound: string;
  /** The value for people: a number, or what happened when (`false at 31.204s: leaders.etcd.count = 2`). */
  shown: string;
}

/** The numeric value of a metric path (SPEC §4 names plus the derived failover figures). */
export function metricValue(report: Report, path: string): number | null {
  const parts = path.split('.');
  if (parts[0] === 'invariants' && parts[1] === 'violationCount') return report.invariants.violations.length;
  if (parts[0] === 'failovers') return failoverMetric(report, parts.slice(1));
  if (parts[0] === 'faults' && parts[2] === 'lbDetectionSeconds') return report.lbDetection.find((d) => d.fault === Number(parts[1]))?.seconds ?? null;
  let node: unknown = report;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' ? node : null;
}

function failoverMetric(report: Report, rest: string[]): number | null {
  if (rest[0] === 'count') return report.failovers.length;
  const list = report.failovers.filter((f) => f.group === rest[0]);
  const gaps = list.map((f) => f.gapSeconds ?? report.durationSeconds - f.lostAt);
  switch (rest[1]) {
    case 'count':
      return list.length;
    case 'maxGapSeconds':
      return gaps.length === 0 ? 0 : Math.max(...gaps);
    case 'meanGapSeconds':
      return gaps.length === 0 ? 0 : gaps.reduce((a, b) => a + b, 0) / gaps.length;
    default:
      return null;
  }
}
