// The timeline: strips, leader lanes and process lanes over time, fault bands across them all, and the cursor.
import * as d3 from 'd3';
import { fmtTime } from '../../../src/index.ts';
import { explainFault } from '../explain.ts';
import type { FaultMark } from '../lanes.ts';
import type { Store } from '../store.ts';
import { drawLoadRows } from './loadbars.ts';
import { ensurePatterns, holderColour, RED, swatch } from './palette.ts';
import { faultLabels, lanePieces } from './pieces.ts';
import { buildRows, type Row } from './rows.ts';
import { axisFormat, niceTicks } from './ticks.ts';
import type { Tooltip } from './tooltip.ts';

const LABEL_W = 206;
const ROW_H = 15;
const SECTION_H = 19;
/** A load lane is taller: its bar height is the apiserver's CPU. */
const LOAD_H = 28;
const AXIS_H = 22;
const FAULT_H = 18;
const PAD_R = 14;
const REDRAW_MS = 200;
/** The narrowest zoom. */
const MIN_SPAN_US = 200;
export interface TimelineHandlers {
  seek(t: number): void;
}

export class TimelineView {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly x = d3.scaleLinear();
  private zoom: [number, number] | null = null;
  private rows: Row[] = [];
  private rowY: number[] = [];
  private drawnVersion = -1;
  private drawnWidth = 0;
  private lastDraw = 0;
  private store: Store | null = null;
  private height = 0;
  private t = 0;
  private readonly cursor: HTMLDivElement;
  private readonly cursorLabel: HTMLSpanElement;
  private cursorKey = '';
  /** The host's width, kept by a ResizeObserver (reading clientWidth each frame would force a layout). */
  private width = 0;

  constructor(host: HTMLElement, private readonly handlers: TimelineHandlers, private readonly tooltip: Tooltip, private readonly compact = false) {
    const wrap = d3.select(host).append('div').attr('class', 'tl-wrap');
    this.svg = wrap.append('svg').attr('class', 'timeline').attr('data-testid', compact ? 'timeline-compact' : 'timeline');
    ensurePatterns();
    for (const name of ['axis', 'backdrop', 'labels', 'lanes', 'loads', 'texts', 'faults']) this.svg.append('g').attr('class', name);
    // The cursor is an HTML layer moved by a transform: moving it never repaints the (large) SVG.
    this.cursor = wrap.append('div').attr('class', 'tl-cursor').node()!;
    this.cursorLabel = d3.select(this.cursor).append('span').node()!;
    this.listen();
    this.width = host.clientWidth;
    new ResizeObserver((entries) => {
      for (const e of entries) this.width = Math.floor(e.contentRect.width);
    }).observe(host);
  }

  /** Redraw when data arrived (at most every REDRAW_MS while a run computes), then move the cursor. */
  update(store: Store, t: number, force = false): void {
    const width = this.width;
    const stale = store !== this.store || store.version !== this.drawnVersion || width !== this.drawnWidth;
    const now = performance.now();
    if (force || (stale && (store !== this.store || store.done || width !== this.drawnWidth || now - this.lastDraw > REDRAW_MS))) {
      this.store = store;
      this.redraw(store, width);
      this.lastDraw = performance.now();
    }
    this.moveCursor(t);
  }

  /** Nothing to draw (the scenario does not run). */
  clear(): void {
    this.svg.selectAll('.lanes > *, .loads > *, .labels > *, .texts > *, .faults > *, .backdrop > *').remove();
    this.svg.attr('display', 'none');
    this.store = null;
    this.drawnVersion = -1;
  }

  private redraw(store: Store, width: number): void {
    this.svg.attr('display', null);
    this.drawnVersion = store.version;
    this.drawnWidth = width;
    const duration = Math.max(1, store.duration);
    const [d0, d1] = this.zoom ?? [0, duration];
    this.x.domain([d0, d1]).range([LABEL_W, Math.max(LABEL_W + 50, width - PAD_R)]);
    this.rows = buildRows(store, this.compact);
    let y = AXIS_H + FAULT_H;
    this.rowY = this.rows.map((r) => {
      const top = y;
      y += rowHeight(r);
      return top;
    });
    this.height = y + 4;
    this.svg.attr('width', width).attr('height', this.height).attr('viewBox', `0 0 ${width} ${this.height}`);
    this.drawAxis();
    this.drawLabels();
    this.drawLanes(store);
    this.drawFaults(store);
  }

  private drawAxis(): void {
    const ticks = niceTicks(this.x.domain() as [number, number], Math.max(2, Math.floor((this.drawnWidth - LABEL_W) / 90)));
    const fmt = axisFormat(this.x.domain() as [number, number], ticks);
    this.svg.select<SVGGElement>('.axis').attr('transform', `translate(0,${AXIS_H - 2})`).call(d3.axisTop(this.x).tickValues(ticks).tickFormat(fmt));
    this.svg.select('.backdrop').selectAll<SVGLineElement, number>('line.grid').data(ticks).join('line')
      .attr('class', 'grid').attr('x1', (d) => this.x(d)).attr('x2', (d) => this.x(d)).attr('y1', AXIS_H).attr('y2', this.height - 4);
  }

  private drawLabels(): void {
    const g = this.svg.select('.labels');
    const rows = this.rows.map((r, i) => ({ r, y: this.rowY[i]! }));
    g.selectAll<SVGTextElement, { r: Row; y: number }>('text.main').data(rows).join('text')
      .attr('class', (d) => `main ${d.r.kind}`).attr('x', 4).attr('y', (d) => d.y + (d.r.kind === 'section' ? 14 : 11)).text((d) => d.r.label);
    g.selectAll<SVGTextElement, { r: Row; y: number }>('text.sub').data(rows.filter((d) => d.r.sub)).join('text')
      .attr('class', 'sub').attr('x', LABEL_W - 6).attr('text-anchor', 'end').attr('y', (d) => d.y + 11).text((d) => d.r.sub);
    g.selectAll<SVGLineElement, { r: Row; y: number }>('line.sep').data(rows.filter((d) => d.r.first || d.r.kind === 'section')).join('line')
      .attr('class', 'sep').attr('x1', 0).attr('x2', this.drawnWidth).attr('y1', (d) => d.y - 0.5).attr('y2', (d) => d.y - 0.5);
  }

  /** Each lane as pixel pieces (sub-pixel pieces merged, the most important state kept), one path per colour. */
  private drawLanes(store: Store): void {
    const x = this.x;
    const [d0, d1] = x.domain() as [number, number];
    const [x0, x1] = x.range() as [number, number];
    const paths = new Map<string, string[]>();
    const texts: { x: number; y: number; text: string; ink: string }[] = [];
    const until = Math.min(store.lanes.until, d1);
    this.rows.forEach((row, i) => {
      if (row.kind === 'section' || row.kind === 'note' || row.kind === 'load') return;
      const top = this.rowY[i]! + 1;
      const h = ROW_H - 2;
      const pieces = lanePieces(row, x, [d0, d1], [x0, x1], until);
      for (const p of pieces) {
        const w = Math.max(p.b - p.a, 1);
        let list = paths.get(p.key);
        if (!list) paths.set(p.key, (list = []));
        list.push(`M${p.a.toFixed(1)},${top}h${w.toFixed(1)}v${h}h${(-w).toFixed(1)}z`);
        const text = row.textOf(p.seg);
        if (text && w > text.length * 6 + 8 && texts.length < 400) {
          texts.push({ x: (p.a + p.b) / 2, y: top + h - 3, text, ink: p.key.startsWith('holder:') ? '#fff' : swatch(p.key).ink });
        }
      }
    });
    const fillOf = (key: string) => (key.startsWith('holder:') ? holderColour(key.slice(7)) : swatch(key).fill);
    this.svg.select('.lanes').selectAll<SVGPathElement, [string, string[]]>('path').data([...paths], (d) => d[0]).join('path')
      .attr('fill', (d) => fillOf(d[0])).attr('d', (d) => d[1].join('')).attr('data-key', (d) => d[0]);
    this.svg.select('.texts').selectAll<SVGTextElement, (typeof texts)[number]>('text').data(texts).join('text')
      .attr('x', (d) => d.x).attr('y', (d) => d.y).attr('fill', (d) => d.ink).text((d) => d.text);
    this.drawMarks();
    const loads = this.rows.flatMap((r, i) => (r.samples ? [{
      top: this.rowY[i]! + 1, height: LOAD_H - 2, samples: r.samples, down: r.track.segs.filter((s) => s.key === 'down'),
    }] : []));
    drawLoadRows(this.svg.select<SVGGElement>('.loads'), loads, x, [d0, Math.min(d1, until)], [x0, x1]);
    const pending = until < d1 ? [{ a: x(Math.max(until, d0)), b: x1 }] : [];
    this.svg.select('.backdrop').selectAll<SVGRectElement, { a: number; b: number }>('rect.pending').data(pending).join('rect')
      .attr('class', 'pending').attr('x', (d) => d.a).attr('width', (d) => Math.max(0, d.b - d.a)).attr('y', AXIS_H).attr('height', this.height - AXIS_H - 4);
    this.svg.select('.backdrop').selectAll<SVGTextElement, { a: number; b: number }>('text.pending').data(pending.filter((d) => d.b - d.a > 90)).join('text')
      .attr('class', 'pending').attr('x', (d) => (d.a + d.b) / 2).attr('y', AXIS_H + FAULT_H + 30).text('simulating…');
  }

  /** Stale leader actions: a small red triangle each on its lane (hover explains). */
  private drawMarks(): void {
    const x = this.x;
    const [d0, d1] = x.domain() as [number, number];
    const marks: { x: number; y: number }[] = [];
    this.rows.forEach((row, i) => {
      for (const m of row.marks ?? []) if (m.at >= d0 && m.at <= d1 && marks.length < 2000) marks.push({ x: x(m.at), y: this.rowY[i]! });
    });
    this.svg.select('.texts').selectAll<SVGPathElement, (typeof marks)[number]>('path.stale').data(marks).join('path')
      .attr('class', 'stale').attr('data-testid', 'stale-mark').attr('fill', RED).attr('stroke', '#fff').attr('stroke-width', 0.6)
      .attr('d', (m) => `M${(m.x - 4).toFixed(1)},${m.y}h8l-4,${ROW_H - 3}z`);
  }

  private drawFaults(store: Store): void {
    const x = this.x;
    const [d0, d1] = x.domain() as [number, number];
    const shown = store.lanes.faults.filter((f) => (f.to ?? f.from) >= d0 && f.from <= d1).slice(0, 500);
    const bottom = this.height - 4;
    const g = this.svg.select('.faults');
    g.selectAll<SVGRectElement, FaultMark>('rect.band').data(shown.filter((f) => f.to !== null)).join('rect')
      .attr('class', 'band').attr('x', (f) => Math.max(x(f.from), LABEL_W)).attr('y', AXIS_H)
      .attr('width', (f) => Math.max(1, Math.min(x(f.to!), x.range()[1]!) - Math.max(x(f.from), LABEL_W))).attr('height', bottom - AXIS_H);
    g.selectAll<SVGLineElement, FaultMark>('line.mark').data(shown).join('line')
      .attr('class', 'mark').attr('x1', (f) => x(f.from)).attr('x2', (f) => x(f.from)).attr('y1', AXIS_H).attr('y2', bottom);
    const labels = faultLabels(shown, x, x.range()[1]!);
    g.selectAll<SVGTextElement, (typeof labels)[number]>('text').data(labels).join('text')
      .attr('x', (l) => x(l.f.from) + 3).attr('y', AXIS_H + 13).attr('fill', RED).text((l) => l.text);
  }

  private moveCursor(t: number): void {
    this.t = t;
    const x = this.x(t);
    const inside = x >= LABEL_W - 0.5 && x <= (this.x.range()[1] ?? 0) + 0.5;
    const label = fmtTime(Math.round(t));
    const key = `${x.toFixed(1)}|${inside}|${label}|${this.height}`;
    if (key === this.cursorKey) return;
    this.cursorKey = key;
    const c = this.cursor;
    c.style.display = inside ? '' : 'none';
    c.style.height = `${this.height - 4}px`;
    c.style.transform = `translateX(${x.toFixed(1)}px)`;
    c.classList.toggle('flip', x > this.width - 80);
    if (this.cursorLabel.textContent !== label) this.cursorLabel.textContent = label;
  }

  /** Click or drag to seek; hover to explain; wheel to zoom; double-click to see the whole run. */
  private listen(): void {
    const node = this.svg.node()!;
    let dragging = false;
    const timeAt = (e: PointerEvent | WheelEvent) => this.x.invert(d3.pointer(e, node)[0]);
    const clamp = (t: number) => Math.max(0, Math.min(this.store?.duration ?? 0, t));
    node.addEventListener('pointerdown', (e) => {
      if (d3.pointer(e, node)[0] < LABEL_W) return;
      dragging = true;
      node.setPointerCapture(e.pointerId);
      this.handlers.seek(clamp(timeAt(e)));
    });
    node.addEventListener('pointermove', (e) => {
      if (dragging) this.handlers.seek(clamp(timeAt(e)));
      this.hover(e);
    });
    node.addEventListener('pointerup', () => (dragging = false));
    node.addEventListener('pointerleave', () => this.tooltip.hide());
    node.addEventListener('wheel', (e) => {
      if (!this.store || d3.pointer(e, node)[0] < LABEL_W) return;
      e.preventDefault();
      const full = this.store.duration;
      const [a, b] = this.x.domain() as [number, number];
      const at = timeAt(e);
      const k = e.deltaY > 0 ? 1.25 : 0.8;
      // Down to 200 µs across the lanes: an etcd election (a few ms) spreads over the whole width.
      const span = Math.min(full, Math.max(MIN_SPAN_US, (b - a) * k));
      const lo = Math.max(0, Math.min(full - span, at - ((at - a) * span) / (b - a)));
      this.zoom = span >= full ? null : [lo, lo + span];
      this.update(this.store, this.cursorT(), true);
    }, { passive: false });
    node.addEventListener('dblclick', () => {
      this.zoom = null;
      if (this.store) this.update(this.store, this.cursorT(), true);
    });
  }

  private cursorT(): number {
    return this.t;
  }

  private hover(e: PointerEvent): void {
    const [mx, my] = d3.pointer(e, this.svg.node());
    if (mx < LABEL_W || !this.store) return this.tooltip.hide();
    const t = this.x.invert(mx);
    const i = this.rowY.findIndex((y, k) => my >= y && my < y + rowHeight(this.rows[k]!));
    const lines: string[] = [];
    const row = this.rows[i];
    if (row && row.kind !== 'section' && row.kind !== 'note' && t <= this.store.lanes.until) {
      const px0 = (this.x.domain()[1]! - this.x.domain()[0]!) / Math.max(1, this.x.range()[1]! - LABEL_W);
      for (const m of row.marks ?? []) if (Math.abs(m.at - t) <= 4 * px0 && lines.length < 3) lines.push(`${fmtTime(m.at)}: ${m.text}`);
      const seg = row.track.at(t);
      if (seg) lines.push(row.explain(seg));
      else if (row.fallback === 'notsim') lines.push(`${row.label} ${row.sub}: not simulated yet (no model for it in this version).`);
    }
    const px = (this.x.domain()[1]! - this.x.domain()[0]!) / Math.max(1, this.x.range()[1]! - LABEL_W);
    for (const f of this.store.lanes.faults) {
      if (f.to === null ? Math.abs(f.from - t) <= 3 * px : f.from <= t && t <= f.to) lines.push(explainFault(f));
      if (lines.length > 6) break;
    }
    this.tooltip.show(lines, e.clientX, e.clientY);
  }
}

function rowHeight(r: Row): number {
  return r.kind === 'section' || r.kind === 'note' ? SECTION_H : r.kind === 'load' ? LOAD_H : ROW_H;
}
