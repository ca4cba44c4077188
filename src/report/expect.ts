// Expectations evaluated against a report: metric bounds, and temporal assertions over the observations (SPEC §2 `expect`).
import { resolveAnchor } from '../check/anchors.ts';
import { evaluateTemporal, type TemporalExpectation } from '../check/temporal.ts';
import type { Observation } from '../kernel/trace.ts';
import { formatDuration, type Expectation } from '../scenario/index.ts';
import { GROUPS } from './leaders.ts';
import { Metrics, type Report } from './metrics.ts';

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

const shownNumber = (x: number | null): string => (x === null ? 'no value' : String(Math.round(x * 1e6) / 1e6));

const us = (seconds: number): number => Math.round(seconds * 1e6);

/**
 * The report measured over an expectation's `after:` / `until:` window: the run's observations replayed into a
 * fresh collector whose window is fixed to those times. A string says why there is none.
 */
function windowedReport(report: Report, e: { after?: string; until?: string }, observations: readonly Observation[] | undefined, probeIntervalUs: number): Report | string {
  if (e.after === undefined && e.until === undefined) return report;
  if (!observations) return 'a windowed metric needs the run\'s observations';
  const times = { endUs: us(report.durationSeconds), readyUs: report.bootstrapSeconds === null ? null : us(report.bootstrapSeconds) };
  const at = (text: string | undefined, otherwise: number): number | string => {
    if (text === undefined) return otherwise;
    const r = resolveAnchor(text, observations, times);
    return 'at' in r ? r.at : r.missing;
  };
  const fromUs = at(e.after, us(report.window.fromSeconds));
  const toUs = at(e.until, times.endUs);
  if (typeof fromUs === 'string') return fromUs;
  if (typeof toUs === 'string') return toUs;
  if (toUs < fromUs) return `the window ends (${e.until}) before it starts (${e.after ?? 'the measurement window'})`;
  const m = new Metrics(GROUPS, { from: fromUs, untilUs: toUs });
  for (const o of observations) m.observe(o);
  const { events: _events, ...rest } = report;
  void _events;
  return m.report(rest, Math.min(toUs, times.endUs), probeIntervalUs);
}

const windowBound = (e: { after?: string; until?: string }): string =>
  [e.after !== undefined ? `after ${e.after}` : '', e.until !== undefined ? `until ${e.until}` : ''].filter(Boolean).join(' ');

function evaluateBound(report: Report, e: Extract<Expectation, { kind: 'bound' }>, observations: readonly Observation[] | undefined, probeIntervalUs: number): ExpectResult {
  const bounds = [e.min !== undefined ? `>= ${e.min}` : '', e.max !== undefined ? `<= ${e.max}` : ''].filter(Boolean);
  const window = windowBound(e);
  const bound = [bounds.join(' and '), window].filter(Boolean).join(' ');
  const text = `${e.metric} ${bound}`;
  const measured = windowedReport(report, e, observations, probeIntervalUs);
  const value = typeof measured === 'string' ? null : metricValue(measured, e.metric);
  const base = { index: e.index, text, value, kind: 'metric' as const, subject: e.metric, bound, shown: shownNumber(value) };
  if (typeof measured === 'string') return { ...base, pass: false, note: `cannot evaluate: ${measured}` };
  if (value === null) return { ...base, pass: false, note: 'this run produced no value for the metric' };
  const pass = (e.min === undefined || value >= e.min) && (e.max === undefined || value <= e.max);
  return { ...base, pass };
}

function temporalText(e: TemporalExpectation): { text: string; subject: string; bound: string } {
  const subject = `${e.kind} ${e.condition}`;
  const parts: string[] = [];
  if ((e.kind === 'always' || e.kind === 'never') && e.for !== undefined) parts.push(`for at most ${formatDuration(e.for)}`);
  if ((e.kind === 'eventually' || e.kind === 'recovers') && e.within !== undefined) parts.push(`within ${formatDuration(e.within)}`);
  if (e.kind === 'eventually' && e.stays === true) parts.push('and stays');
  const window = windowBound(e);
  if (window) parts.push(window);
  const bound = parts.join(' ');
  return { text: bound ? `${subject} ${bound}` : subject, subject, bound };
}

/**
 * Evaluate every expectation of a scenario against a run: bounds read the report; temporal ones fold the run's
 * observations (in time order, as `run.sim.trace.observations` keeps them). Without observations, temporal
 * expectations fail with a note saying so.
 */
export function evaluate(report: Report, expectations: readonly Expectation[], observations?: readonly Observation[], probeIntervalUs = 1_000_000): ExpectResult[] {
  const temporal = expectations.filter((e): e is TemporalExpectation => e.kind !== 'bound');
  const endUs = us(report.durationSeconds);
  const times = { readyUs: report.bootstrapSeconds === null ? null : us(report.bootstrapSeconds), windowFromUs: us(report.window.fromSeconds) };
  const outcomes = observations && temporal.length > 0
    ? evaluateTemporal(temporal, observations, endUs, (path) => metricValue(report, path), times)
    : [];
  return expectations.map((e) => {
    if (e.kind === 'bound') return evaluateBound(report, e, observations, probeIntervalUs);
    const base = { index: e.index, kind: e.kind, ...temporalText(e) };
    const outcome = outcomes[temporal.indexOf(e)];
    if (!outcome) {
      return { ...base, value: null, pass: false, shown: 'not evaluated', note: 'temporal assertions need the run\'s observations' };
    }
    return { ...base, value: outcome.value, pass: outcome.pass, shown: outcome.shown };
  });
}
