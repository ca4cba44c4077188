// The load lanes in pixels: one bar per sample period (height = CPU), a red cap where 429s were sent, merged below a pixel.
import type * as d3 from 'd3';
import type { LoadSample } from '../loadlanes.ts';
import { RED } from './palette.ts';

/** One drawn bar: pixels a..b, the highest CPU and the 429s of the samples it stands for. */
export interface LoadBar {
  a: number;
  b: number;
  utilisation: number;
  rejected: number;
}

/** CPU at or above this draws as saturated (the apiserver's requests queue for CPU). */
export const SATURATED = 0.95;
/** CPU at or above this (and below SATURATED) draws as busy. */
export const BUSY = 0.8;

/**
 * The bars of one lane's samples between times d0..d1 mapped by `x` onto pixels x0..x1. A bar narrower
 * than a pixel takes in the samples after it until it is a pixel wide, keeping the highest CPU and the sum of the 429s:
 * zoomed out, a saturated period or a burst of 429s must not vanish between pixels.
 */
export function loadBars(samples: readonly LoadSample[], x: (t: number) => number, [d0, d1]: [number, number], [x0, x1]: [number, number]): LoadBar[] {
  const bars: LoadBar[] = [];
  for (let k = firstEndingAfter(samples, d0); k < samples.length && samples[k]!.from <= d1; k++) {
    const s = samples[k]!;
    const a = Math.max(x(s.from), x0);
    const b = Math.min(x(s.at), x1);
    if (b < a) continue;
    const last = bars[bars.length - 1];
    if (last && last.b - last.a < 1 && a - last.b < 0.5) {
      last.b = Math.max(last.b, b);
      last.utilisation = Math.max(last.utilisation, s.utilisation);
      last.rejected += s.rejected;
    } else bars.push({ a, b, utilisation: s.utilisation, rejected: s.rejected });
  }
  return bars;
}

/** Index of the first sample whose period ends at or after t (samples are in time order). */
function firstEndingAfter(samples: readonly LoadSample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function loadFill(utilisation: number): string {
  return utilisation >= SATURATED ? '#b3621a' : utilisation >= BUSY ? '#e0a24a' : '#6f9fcf';
}

/** What the load lanes show, in words (the note row above them). */
export const LOAD_NOTE = `bar height: CPU of the machine per sample period (blue below ${BUSY * 100}%, amber to ${SATURATED * 100}%, brown above) · red cap: 429s sent · hover for seats and queues`;

/** Room a label needs in the lanes' 9.5 px bold font, with a little margin. */
const textWidth = (text: string): number => text.length * 6 + 6;

/** The strip at the top of a load lane where 429s are marked, above the tallest bar. */
const CAP_H = 4;

export interface LoadRowDraw {
  top: number;
  height: number;
  samples: readonly LoadSample[];
  /** Stretches in which the apiserver was not running (no samples): labelled, so an empty lane is not read as idle. */
  down: readonly { from: number; to: number }[];
}

/** Draw every load row into `g`: a faint 100% frame, the CPU bars, the 429 caps and the percentage where it fits. */
export function drawLoadRows(
  g: d3.Selection<SVGGElement, unknown, null, undefined>, rows: readonly LoadRowDraw[], x: (t: number) => number, domain: [number, number], range: [number, number],
): void {
  const frames: { top: number; height: number }[] = [];
  const bars: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  const caps: { x: number; y: number; w: number }[] = [];
  const texts: { x: number; y: number; text: string; ink: string }[] = [];
  for (const row of rows) {
    frames.push({ top: row.top, height: row.height });
    const barsH = row.height - CAP_H - 1;
    for (const bar of loadBars(row.samples, x, domain, range)) {
      const w = Math.max(bar.b - bar.a, 1);
      const h = Math.max(1, Math.round(bar.utilisation * barsH));
      bars.push({ x: bar.a, y: row.top + row.height - h, w, h, fill: loadFill(bar.utilisation) });
      if (bar.rejected > 0) caps.push({ x: bar.a, y: row.top, w });
      const short = `${Math.round(bar.utilisation * 100)}%`;
      const long = `${short} · ${bar.rejected}×429`;
      const text = bar.rejected > 0 && w > textWidth(long) ? long : short;
      const ink = bar.utilisation >= SATURATED ? '#fff' : '#1d2733';
      if (w > textWidth(text) && texts.length < 600) texts.push({ x: bar.a + w / 2, y: row.top + row.height - 3, text, ink });
    }
    for (const d of row.down) {
      const a = Math.max(x(d.from), range[0]);
      const b = Math.min(x(Math.min(d.to, domain[1])), range[1]);
      if (b - a > 90) texts.push({ x: (a + b) / 2, y: row.top + row.height - 8, text: 'not running: no samples', ink: '#6b7785' });
    }
  }
  // One layer each, in drawing order: elements joined in a later redraw must not cover an earlier layer.
  const layer = (name: string) => g.selectAll<SVGGElement, string>(`g.${name}`).data([name]).join('g').attr('class', name);
  layer('load-frames').selectAll<SVGRectElement, (typeof frames)[number]>('rect.load-frame').data(frames).join('rect').attr('class', 'load-frame')
    .attr('x', range[0]).attr('width', Math.max(0, range[1] - range[0])).attr('y', (f) => f.top).attr('height', (f) => f.height);
  layer('load-bars').selectAll<SVGRectElement, (typeof bars)[number]>('rect.load-bar').data(bars).join('rect').attr('class', 'load-bar').attr('data-testid', 'load-bar')
    .attr('x', (b) => b.x.toFixed(1)).attr('y', (b) => b.y).attr('width', (b) => b.w.toFixed(1)).attr('height', (b) => b.h).attr('fill', (b) => b.fill);
  layer('load-caps').selectAll<SVGRectElement, (typeof caps)[number]>('rect.load-429').data(caps).join('rect').attr('class', 'load-429').attr('data-testid', 'load-429')
    .attr('x', (c) => c.x.toFixed(1)).attr('y', (c) => c.y).attr('width', (c) => c.w.toFixed(1)).attr('height', CAP_H).attr('fill', RED);
  layer('load-texts').selectAll<SVGTextElement, (typeof texts)[number]>('text.load-text').data(texts).join('text').attr('class', 'load-text')
    .attr('x', (t) => t.x).attr('y', (t) => t.y).attr('fill', (t) => t.ink).text((t) => t.text);
}
