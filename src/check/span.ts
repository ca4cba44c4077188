// The window one temporal expectation is judged over in a run: its after/until anchors resolved to run times.
import type { Observation } from '../kernel/trace.ts';
import type { Expectation } from '../scenario/index.ts';
import { resolveAnchor, type RunTimes } from './anchors.ts';

type TemporalExpectation = Extract<Expectation, { kind: 'always' | 'never' | 'sometimes' | 'eventually' | 'recovers' }>;

export const sec = (us: number): string => `${(us / 1e6).toFixed(3)}s`;

/** The run time span an expectation is judged over, and how to name its start. */
export interface Span {
  fromUs: number;
  toUs: number;
  /** `fault:0 (10.000s)` or '' for the default (the measurement window). */
  label: string;
}

/** The span of one expectation in this run, or why it has none. */
export function spanOf(e: TemporalExpectation, observations: readonly Observation[], times: RunTimes & { windowFromUs: number }): Span | string {
  const at = (text: string): number | string => {
    const r = resolveAnchor(text, observations, times);
    return 'at' in r ? r.at : r.missing;
  };
  let fromUs: number;
  let label = '';
  if (e.after === undefined) {
    fromUs = times.windowFromUs;
  } else {
    const a = at(e.after);
    if (typeof a === 'string') return a;
    fromUs = a;
    label = `${e.after} (${sec(a)})`;
  }
  let toUs = Infinity;
  if (e.until !== undefined) {
    const u = at(e.until);
    if (typeof u === 'string') return u;
    toUs = u;
  }
  if ((e.kind === 'eventually' || e.kind === 'recovers') && e.within !== undefined) toUs = Math.min(toUs, fromUs + e.within);
  if (toUs < fromUs) return `the window ends (${sec(toUs)}, ${e.until}) before it starts (${sec(fromUs)}, ${e.after ?? 'the measurement window'})`;
  return { fromUs, toUs, label };
}
