// Expectations evaluated against a report: metric bounds, and temporal assertions over the observations (SPEC §2 `expect`).
import { resolveAnchor } from './anchors.ts';
import { evaluateTemporal, type TemporalExpectation } from './temporal.ts';
import type { Observation } from '../kernel/trace.ts';
import { GROUPS } from '../report/leaders.ts';
import { Metrics, type Report } from '../report/metrics.ts';
import { metricValue, type ExpectResult } from '../report/values.ts';
import { formatDuration, type Expectation } from '../scenario/index.ts';

export type { ExpectResult } from '../report/values.ts';

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
  // A run with load folds its load observations over the window too, with the same N+1 limits.
  const v = report.load?.verdict;
  const load = report.load ? { limits: v ? { p99WriteMs: v.limitMs, rejectedFraction: v.limitFraction } : null } : undefined;
  const m = new Metrics(GROUPS, { from: fromUs, untilUs: toUs }, { probeIntervalUs, ...(load ? { load } : {}) });
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
