// The timeline's pixel pieces: sub-pixel segments merge into the most important state; fault labels share and shorten.
import { describe, expect, it } from 'vitest';
import type { FaultMark } from '../../web/src/lanes.ts';
import { Track } from '../../web/src/track.ts';
import { faultLabels, lanePieces } from '../../web/src/views/pieces.ts';

/** 1 px per 1000 µs, the view starting at pixel 0 and time 0. */
const x = (t: number) => t / 1000;
const same = (s: { key: string }) => s.key;

describe('lanePieces', () => {
  it('merges pieces narrower than a pixel, drawn in the state a reader must not miss', () => {
    const t = new Track();
    t.set(0, 'up', '');
    t.set(8_000, 'up', 'term 2');
    t.set(20_000, 'down', 'killed');
    t.set(20_300, 'up', 'restarted');
    t.set(20_600, 'up', '');
    t.extend(40_000);
    const pieces = lanePieces({ track: t, fallback: null, keyOf: same }, x, [0, 40_000], [0, 40], 40_000);
    expect(pieces.map((p) => [p.a, p.b, p.key])).toEqual([[0, 20, 'up'], [20, 20.6, 'down'], [20.6, 40, 'up']]);
    // The continuing "up" is one piece, labelled after its longest part.
    expect(pieces[0]!.seg.text).toBe('term 2');
  });

  it('draws the fallback before the first segment and stops at the data known', () => {
    const t = new Track();
    t.set(5_000, 'up', '');
    t.extend(30_000);
    const pieces = lanePieces({ track: t, fallback: 'notsim', keyOf: same }, x, [0, 40_000], [0, 40], 30_000);
    expect(pieces.map((p) => [p.a, p.b, p.key])).toEqual([[0, 5, 'notsim'], [5, 30, 'up']]);
  });
});

describe('faultLabels', () => {
  const mark = (from: number, text: string): FaultMark => ({ index: 0, verb: 'kill', text, from, to: null });

  it('faults within 2 px share a label; a label is cut to the room before the next', () => {
    const labels = faultLabels([mark(0, 'kill a'), mark(1_000, 'kill b'), mark(200_000, 'kill c')], x, 300);
    expect(labels.map((l) => l.text)).toEqual(['⚡ kill a · kill b', '⚡ kill c']);
    const tight = faultLabels([mark(0, 'kill master-1/kube-apiserver'), mark(60_000, 'x')], x, 300);
    expect(tight[0]!.text).toBe(`${'⚡ kill master-1/kube-apiserver'.slice(0, 7)}…`);
    expect(faultLabels([mark(0, 'a'), mark(10_000, 'b')], x, 300).map((l) => l.text)).toEqual(['⚡ b']);
  });
});
