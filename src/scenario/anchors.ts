// Anchors, checked before a run: expectation windows (`after:`/`until:`) and tour steps (`after:`) name start, end,
// ready, lastFault, fault:<i>, fault:<i>.end, a time, or (tours) step:<i>. Where a run puts them: src/check/anchors.ts.
import { parseDuration } from './duration.ts';

export type Anchor =
  | { kind: 'start' | 'end' | 'ready' | 'lastFault' }
  | { kind: 'fault'; index: number; end: boolean }
  | { kind: 'time'; us: number }
  | { kind: 'step'; index: number };

export const ANCHOR_FORMS = 'start, ready, lastFault, fault:<index>, fault:<index>.end, end or a time like 30s';
const TOUR_ANCHOR_FORMS = 'start, lastFault, fault:<index>, fault:<index>.end or step:<index>';
const TOUR_KINDS: ReadonlySet<Anchor['kind']> = new Set(['start', 'lastFault', 'fault', 'step']);

/** What an anchor needs of a fault: when it begins and, with `for:`, how long it lasts (µs); random ones have no fixed time. */
export interface AnchorFault {
  at: number;
  for?: number | undefined;
  verb?: string;
}

/** The anchor a text names, or null when it names none. */
export function parseAnchor(text: string): Anchor | null {
  if (text === 'start' || text === 'end' || text === 'ready' || text === 'lastFault') return { kind: text };
  const m = /^fault:(\d+)(\.end)?$/.exec(text);
  if (m) return { kind: 'fault', index: Number(m[1]), end: m[2] !== undefined };
  const step = /^step:(\d+)$/.exec(text);
  if (step) return { kind: 'step', index: Number(step[1]) };
  if (!/^\d/.test(text)) return null;
  try {
    return { kind: 'time', us: parseDuration(text) };
  } catch {
    return null;
  }
}

/**
 * What is wrong with an anchor given the scenario's faults, or null. `tourStep`: the anchor is that tour step's
 * `after:` (tours take start, lastFault, fault and earlier steps); without it, an expectation window's.
 */
export function anchorProblem(text: string, faults: readonly AnchorFault[], tourStep?: number): string | null {
  const a = parseAnchor(text);
  const tour = tourStep !== undefined;
  if (a === null || (tour ? !TOUR_KINDS.has(a.kind) : a.kind === 'step')) {
    return `unknown anchor "${text}" (expected ${tour ? TOUR_ANCHOR_FORMS : ANCHOR_FORMS})`;
  }
  if (a.kind === 'lastFault' && tour && faults.length === 0) return 'lastFault: the scenario has no faults';
  if (a.kind === 'step') return a.index < tourStep! ? null : `step:${a.index} must name an earlier step (this is step ${tourStep})`;
  if (a.kind !== 'fault') return null;
  const f = faults[a.index];
  if (f === undefined) return `fault:${a.index} names no fault (the scenario has ${faults.length} fault${faults.length === 1 ? '' : 's'})`;
  if (a.end && (f.for === undefined || f.verb === 'random')) return `fault:${a.index}.end: faults[${a.index}] has no end (it has no "for:")`;
  return null;
}

/** The run time an anchor stands for when the scenario alone fixes it (null: only the run knows). */
export function staticTime(text: string, faults: readonly AnchorFault[], durationUs: number): number | null {
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
