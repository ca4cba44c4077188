// What the timeline draws, in pixels: a lane's segments cut to the view (sub-pixel pieces merged) and the fault labels.
import type { FaultMark } from '../lanes.ts';
import type { Seg } from '../track.ts';
import type { Row } from './rows.ts';
import { firstIndex } from './ticks.ts';

/** Drawn first when pieces narrower than a pixel are merged: what a reader must not miss. */
const PRIORITY: Record<string, number> = {
  none: 9, fail: 9, hang: 8, down: 8, off: 8, notready: 4, noapi: 4, dual: 7, split: 7, candidate: 6, 'pre-candidate': 6, paused: 5, stopping: 4, backoff: 4,
};
const prio = (k: string) => PRIORITY[k] ?? 0;

/** One drawn stretch of a lane: from pixel a to b, in colour `key`, labelled and explained after `seg`. */
export interface Piece {
  a: number;
  b: number;
  key: string;
  seg: Seg;
}

/**
 * The pieces of one lane between times d0..d1 mapped by `x` onto pixels x0..x1, with data known up to `until`;
 * before its first segment a lane with a fallback key is drawn in it.
 */
export function lanePieces(
  row: Pick<Row, 'track' | 'fallback' | 'keyOf'>, x: (t: number) => number, [d0, d1]: [number, number], [x0, x1]: [number, number], until: number,
): Piece[] {
  const segs = row.track.segs;
  const firstFrom = segs.length > 0 ? segs[0]!.from : until;
  const pieces: Piece[] = [];
  if (row.fallback !== null && firstFrom > d0) {
    pieces.push({ a: x0, b: Math.min(x(Math.min(firstFrom, until)), x1), key: row.fallback, seg: { from: d0, to: Math.min(firstFrom, until), key: row.fallback, text: '' } });
  }
  for (let k = firstIndex(segs, d0); k < segs.length && segs[k]!.from <= d1; k++) {
    const s = segs[k]!;
    const key = row.keyOf(s);
    const a = Math.max(x(s.from), x0);
    const b = Math.min(x(Math.min(s.to, until)), x1);
    if (b < a) continue;
    const last = pieces[pieces.length - 1];
    if (last && b - a < 1 && last.b - last.a < 1.5) {
      // Both narrower than a pixel or so: one piece, drawn in the more important state.
      if (prio(key) > prio(last.key)) last.key = key;
      last.b = Math.max(last.b, b);
    } else if (last && last.key === key && a - last.b < 0.5) {
      // Same state continues (a new term, a new cause): label the piece after its longest part.
      if (b - a > x(last.seg.to) - x(last.seg.from)) last.seg = s;
      last.b = b;
    } else pieces.push({ a, b, key, seg: s });
  }
  return pieces;
}

/**
 * Labels of the faults shown: faults at the same instant (within 2 px) share one label instead of
 * overprinting; each label gets the room up to the next one (shortened with "…"), hover tells the rest.
 */
export function faultLabels(shown: readonly FaultMark[], x: (t: number) => number, right: number): { f: FaultMark; text: string }[] {
  const groups: { f: FaultMark; texts: string[] }[] = [];
  for (const f of shown) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(x(f.from) - x(last.f.from)) < 2) last.texts.push(f.text);
    else groups.push({ f, texts: [f.text] });
  }
  return groups.map((grp, i) => {
    const room = (i + 1 < groups.length ? x(groups[i + 1]!.f.from) : right) - x(grp.f.from) - 8;
    const chars = Math.floor(room / 6);
    const text = `⚡ ${grp.texts.join(' · ')}`;
    return { f: grp.f, text: chars >= text.length ? text : chars >= 6 ? `${text.slice(0, chars - 1)}…` : '' };
  }).filter((l) => l.text !== '');
}
