// Anchors of expectation windows (`after:` / `until:`): start, end, ready, lastFault, fault:<i>, fault:<i>.end or a time.
import type { Observation } from '../kernel/trace.ts';
import { parseDuration, type Fault } from '../scenario/index.ts';

export type Anchor =
  | { kind: 'start' | 'end' | 'ready' | 'lastFault' }
  | { kind: 'fault'; index: number; end: boolean }
  | { kind: 'time'; us: number };

export const ANCHOR_FORMS = 'start, ready, lastFault, fault:<index>, fault:<index>.end, end or a time like 30s';

/** The anchor a text names, or null when it names none. */
export function parseAnchor(text: string): Anchor | null {
  if (text === 'start' || text === 'end' || text === 'ready' || text === 'lastFault') return { kind: text };
  const m = /^fault:(\d+)(\.end)?$/.exec(text);
  if (m) return { kind: 'fault', index: Number(m[1]), end: m[2] !== undefined };
  if (!/^\d/.test(text)) return null;
  try {
    return { kind: 'time', us: parseDuration(text) };
  } catch {
    return null;
  }
}

/** What is wrong with an anchor given the scenario's faults, or null. */
export function anchorProblem(text: string, faults: readonly Fault[]): string | null {
  const a = parseAnchor(text);
  if (a === null) return `unknown anchor "${text}" (expected ${ANCHOR_FORMS})`;
  if (a.kind !== 'fault') return null;
  const f = faults[a.index];
  if (f === undefined) return `fault:${a.index} names no fault (the scenario has ${faults.length} fault${faults.length === 1 ? '' : 's'})`;
  if (a.end && (f.for === undefined || f.verb === 'random')) return `fault:${a.index}.end: faults[${a.index}] has no end (it has no "for:")`;
  return null;
}

/** The run time an anchor stands for when the scenario alone fixes it (null: only the run knows). */
export function staticTime(text: string, faults: readonly Fault[], durationUs: number): number | null {
  const a = parseAnchor(text);
  if (a === null) return null;
  switch (a.kind) {
    case 'start': return 0;
    case 'end': return durationUs;
    case 'time': return a.us;
    case 'fault': {
      const f = faults[a.index];
      if (!f || f.verb === 'random') return null;
      return a.end ? (f.for === undefined ? null : f.at + f.for) : f.at;
    }
    default: return null;
  }
}

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
    case 'fault': {
      const phase = a.end ? 'end' : 'begin';
      const o = observations.find((x) => x.kind === 'fault' && x.detail['index'] === a.index && x.detail['phase'] === phase && x.detail['verb'] !== 'random');
      return o ? { at: o.at } : { missing: `faults[${a.index}] never ${a.end ? 'ended' : 'fired'}` };
    }
  }
}
