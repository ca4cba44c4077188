// Expectations evaluated against a report: metric bounds, and temporal assertions over the observations (SPEC §2 `expect`).
import { evaluateTemporal, type TemporalExpectation } from '../check/temporal.ts';
import type { Observation } from '../kernel/trace.ts';
import { formatDuration, type Expectation } from '../scenario/index.ts';
import type { Report } from './metrics.ts';

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

const shownNumber = (x: number | null): string => (x === null ? 'no value' : String(Math.round(x * 1e6) / 1e6));

function evaluateBound(report: Report, e: Extract<Expectation, { kind: 'bound' }>): ExpectResult {
  const bounds = [e.min !== undefined ? `>= ${e.min}` : '', e.max !== undefined ? `<= ${e.max}` : ''].filter(Boolean);
  const bound = bounds.join(' and ');
  const text = `${e.metric} ${bound}`;
  const value = metricValue(report, e.metric);
  const base = { index: e.index, text, value, kind: 'metric' as const, subject: e.metric, bound, shown: shownNumber(value) };
  if (value === null) return { ...base, pass: false, note: 'this run produced no value for the metric' };
  const pass = (e.min === undefined || value >= e.min) && (e.max === undefined || value <= e.max);
  return { ...base, pass };
}

function temporalText(e: TemporalExpectation): { text: string; subject: string; bound: string } {
  const subject = `${e.kind} ${e.condition}`;
  if (e.kind !== 'eventually') return { text: subject, subject, bound: '' };
  const bound = `within ${formatDuration(e.within)} after ${e.after}`;
  return { text: `${subject} ${bound}`, subject, bound };
}

/**
 * Evaluate every expectation of a scenario against a run: bounds read the report; temporal ones fold the run's
 * observations (in time order, as `run.sim.trace.observations` keeps them). Without observations, temporal
 * expectations fail with a note saying so.
 */
export function evaluate(report: Report, expectations: readonly Expectation[], observations?: readonly Observation[]): ExpectResult[] {
  const temporal = expectations.filter((e): e is TemporalExpectation => e.kind !== 'bound');
  const endUs = Math.round(report.durationSeconds * 1e6);
  const outcomes = observations && temporal.length > 0
    ? evaluateTemporal(temporal, observations, endUs, (path) => metricValue(report, path))
    : [];
  return expectations.map((e) => {
    if (e.kind === 'bound') return evaluateBound(report, e);
    const base = { index: e.index, kind: e.kind, ...temporalText(e) };
    const outcome = outcomes[temporal.indexOf(e)];
    if (!outcome) {
      return { ...base, value: null, pass: false, shown: 'not evaluated', note: 'temporal assertions need the run\'s observations' };
    }
    return { ...base, value: outcome.value, pass: outcome.pass, shown: outcome.shown };
  });
}
