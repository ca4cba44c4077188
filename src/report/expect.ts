// Expectations evaluated against a report: metric bounds (SPEC §2 `expect`).
import type { Expectation } from '../scenario/index.ts';
import type { Report } from './metrics.ts';

export interface ExpectResult {
  index: number;
  /** What was expected, as written: `availability.apiWrite >= 0.97`. */
  text: string;
  value: number | null;
  pass: boolean;
  note?: string;
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

export function evaluate(report: Report, expectations: readonly Expectation[]): ExpectResult[] {
  return expectations.map((e) => {
    if (e.kind !== 'bound') {
      return {
        index: e.index, text: `${e.kind} ${e.condition}`, value: null, pass: false,
        note: 'temporal assertions are not evaluated by this version of hasim',
      };
    }
    const bounds = [e.min !== undefined ? `>= ${e.min}` : '', e.max !== undefined ? `<= ${e.max}` : ''].filter(Boolean);
    const text = `${e.metric} ${bounds.join(' and ')}`;
    const value = metricValue(report, e.metric);
    if (value === null) return { index: e.index, text, value, pass: false, note: 'this run produced no value for the metric' };
    const pass = (e.min === undefined || value >= e.min) && (e.max === undefined || value <= e.max);
    return { index: e.index, text, value, pass };
  });
}
