// Anchors in a run: the run time an expectation window's or a tour step's anchor stands for (parsed and checked
// before the run by src/scenario/anchors.ts).
import type { Observation } from '../kernel/trace.ts';
import { parseAnchor } from '../scenario/anchors.ts';

export { ANCHOR_FORMS, anchorProblem, parseAnchor, staticTime, type Anchor } from '../scenario/anchors.ts';

/** What the run knows that anchors need. */
export interface RunTimes {
  endUs: number;
  /** When the cluster was first ready (null: never). */
  readyUs: number | null;
}

/**
 * The run time of an anchor in this run, or why it has none. `lastFault` is the start of the last fault that
 * began (a fault with `for:` is anchored at its start, not at its heal).
 */
export function resolveAnchor(text: string, observations: readonly Observation[], times: RunTimes): { at: number } | { missing: string } {
  const a = parseAnchor(text);
  if (a === null) return { missing: `unknown anchor "${text}"` };
  switch (a.kind) {
    case 'start': return { at: 0 };
    case 'end': return { at: times.endUs };
    case 'time': return { at: a.us };
    case 'ready': return times.readyUs === null ? { missing: 'the cluster was never ready' } : { at: times.readyUs };
    case 'lastFault': {
      let last: number | null = null;
      for (const o of observations) if (o.kind === 'fault' && o.detail['phase'] === 'begin' && o.detail['verb'] !== 'random') last = o.at;
      return last === null ? { missing: 'no fault fired' } : { at: last };
    }
    case 'step': return { missing: `${text}: a tour step is resolved by the tour` };
    case 'fault': {
      const phase = a.end ? 'end' : 'begin';
      const o = observations.find((x) => x.kind === 'fault' && x.detail['index'] === a.index && x.detail['phase'] === phase && x.detail['verb'] !== 'random');
      return o ? { at: o.at } : { missing: `faults[${a.index}] never ${a.end ? 'ended' : 'fired'}` };
    }
  }
}
