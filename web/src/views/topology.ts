// The cluster picture: regions (zones or partition sides), machine boxes with their processes, VIP, cuts, packets.
import * as d3 from 'd3';
import { type MachineInfo, machinesOf } from '../../../src/index.ts';
import type { Flight } from '../protocol.ts';
import { machineOf, type ViewState } from '../state.ts';
import type { Store } from '../store.ts';
import { BOX_W, HEADER_H, layout, LINE_H, PILL_GAP, PILL_H, type Box, type Layout, type Region } from './layout.ts';
import { depPath, depsOf, type Dep } from './deps.ts';
import { linesOf, pillOf, type Line, type Pill } from './machine.ts';
import { ensurePatterns, RED, swatch } from './palette.ts';
import type { Tooltip } from './tooltip.ts';

export interface TopologyHandlers {
  machine(name: string, e: MouseEvent): void;
  process(id: string, e: MouseEvent): void;
  /** A box was dragged around several machines. */
  select(names: string[], e: MouseEvent): void;
}

/** Packets stay on screen at least this much wall time (real flights last far less than a frame). */
const LINGER_WALL_US = 350_000;
/** Packets are drawn at this speed and slower. */
export const FLIGHT_MAX_SPEED = 2;

type G = d3.Selection<SVGGElement, Box, null, undefined>;

export class TopologyView {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private lay: Layout | null = null;
  private machines: MachineInfo[] = [];
  private machinesFor: unknown = null;

  constructor(host: HTMLElement, private readonly handlers: TopologyHandlers | null, private readonly tooltip: Tooltip) {
    this.svg = d3.select(host).append('svg').attr('class', 'topology').attr('data-testid', 'topology');
    ensurePatterns();
    for (const name of ['regions', 'brush', 'deps-between', 'cuts', 'machines', 'deps-local', 'flights']) this.svg.append('g').attr('class', name);
    if (handlers) this.setupBrush();
  }

  render(store: Store, s: ViewState, t: number, speed: number): void {
    const scenario = store.scenario;
    if (!scenario) return;
    this.t = t;
    if (this.machinesFor !== scenario) {
      this.machinesFor = scenario;
      this.machines = machinesOf(scenario.cluster);
    }
    const processesOf = (m: MachineInfo) => {
      const ids = m.components.map((c) => `${m.name}/${c}`);
      for (const id of Object.keys(s.processes)) if (machineOf(id) === m.name && !ids.includes(id)) ids.push(id);
      return ids;
    };
    const lay = layout(this.machines, processesOf, s, scenario.cluster.zones, (lb) => Object.keys(s.backends[lb] ?? {}).length);
    const moved = this.lay !== null && this.lay.signature !== lay.signature;
    this.svg.attr('display', null);
    this.lay = lay;
    const pad = 8;
    const viewBox = `${-pad} ${-pad} ${Math.max(lay.width, 400) + 2 * pad} ${lay.height + 2 * pad}`;
    if (viewBox !== this.svg.attr('viewBox')) {
      this.svg.attr('viewBox', viewBox);
      this.brushExtent();
    }
    this.drawRegions(lay.regions);
    this.drawMachines(lay.boxes, s, store, moved);
    this.drawCuts(s);
    this.drawDeps(depsOf(scenario, s, lay.boxes), lay.boxes);
    this.drawFlights(speed <= FLIGHT_MAX_SPEED ? store.flightsAt(t, speed * LINGER_WALL_US, 150) : [], t, speed);
  }

  private drawRegions(regions: Region[]): void {
    const g = this.svg.select('.regions').selectAll<SVGGElement, Region>('g.region').data(regions, (r) => r.key).join((enter) => {
      const e = enter.append('g').attr('class', 'region');
      e.append('rect');
      e.append('text');
      return e;
    });
    g.attr('data-kind', (r) => r.kind);
    g.select('rect').attr('x', (r) => r.x).attr('y', (r) => r.y).attr('width', (r) => r.w).attr('height', (r) => r.h).attr('rx', 10);
    g.select('text').attr('x', (r) => r.x + 12).attr('y', (r) => r.y + 16).text((r) => (r.kind === 'side' || r.kind === 'isolated' ? `✂ ${r.title}` : r.title));
  }

  private drawMachines(boxes: Box[], s: ViewState, store: Store, moved: boolean): void {
    const sel = this.svg.select('.machines').selectAll<SVGGElement, Box>('g.machine').data(boxes, (b) => b.name).join((enter) => {
      const e = enter.append('g').attr('class', 'machine').attr('transform', (b) => `translate(${b.x},${b.y})`);
      e.append('rect').attr('class', 'box').attr('rx', 6);
      e.append('text').attr('class', 'name').attr('x', 8).attr('y', 15);
      e.append('text').attr('class', 'role').attr('x', 8).attr('y', 29);
      e.append('text').attr('class', 'tag').attr('x', BOX_W - 8).attr('y', 15).attr('text-anchor', 'end');
      e.append('title');
      e.on('click', (ev: MouseEvent, b) => {
        if (b.role !== 'more') this.handlers?.machine(b.name, ev);
      });
      return e;
    }, (update) => update, (exit) => exit.each((b) => this.drawn.delete(b.name)).remove());
    (moved ? sel.transition().duration(450) : sel).attr('transform', (b) => `translate(${b.x},${b.y})`);
    sel.attr('data-machine', (b) => b.name);
    sel.each((b, i, nodes) => {
      const pills = b.processes.map((id) => pillOf(id, s, store, this.t));
      const lines = linesOf(b, s, store, this.t);
      const m = s.machines[b.name];
      const look = { off: m !== undefined && !m.ok, isolated: s.network.isolated.includes(b.name), vip: s.vip?.holder === b.name };
      // Redraw a box only when what it says changed: most frames change one or two boxes, not thirty.
      const key = JSON.stringify([b.w, b.h, look, m?.text, pills, lines]);
      if (this.drawn.get(b.name) === key) return;
      this.drawn.set(b.name, key);
      this.drawBox(d3.select<SVGGElement, Box>(nodes[i]!), b, pills, lines, look);
    });
  }

  private readonly drawn = new Map<string, string>();
  /** The cursor of the last render (the client's probe lines read the strips at it). */
  private t = 0;

  private drawBox(g: G, b: Box, pills: Pill[], lines: Line[], look: { off: boolean; isolated: boolean; vip: boolean }): void {
    const { off, isolated, vip } = look;
    g.classed('off', off).classed('isolated', isolated);
    g.select('rect.box').attr('width', b.w).attr('height', b.h);
    g.select('text.name').text(b.role === 'more' ? 'more workers' : b.name);
    g.select('text.role').text(b.role === 'more' ? '' : `${b.role === 'client' ? 'kubectl user (probes)' : b.role}${b.zone !== null ? ` · zone ${b.zone}` : ''}`);
    g.select('text.tag').text(off ? 'POWERED OFF' : vip ? '◆ VIP' : isolated ? 'isolated' : '').classed('vip', vip && !off);
    g.select('title').text(off ? `${b.name} is powered off. Click to start it again.` : `${b.name}: click to kill, stop, start, pause or isolate it; drag a box around several machines to partition them.`);
    const p = g.selectAll<SVGGElement, Pill>('g.pill').data(pills, (d) => d.id).join((enter) => {
      const e = enter.append('g').attr('class', 'pill');
      e.append('rect').attr('x', 6).attr('width', BOX_W - 12).attr('height', PILL_H).attr('rx', 4);
      e.append('text').attr('class', 'pname').attr('x', 12).attr('y', 13.5);
      e.append('text').attr('class', 'pstate').attr('x', BOX_W - 12).attr('y', 13.5).attr('text-anchor', 'end');
      e.on('click', (ev: MouseEvent, d) => {
        ev.stopPropagation();
        this.handlers?.process(d.id, ev);
      });
      e.on('pointermove', (ev: PointerEvent, d) => this.tooltip.show([d.title, 'Click to kill, stop, start or pause it.'], ev.clientX, ev.clientY));
      e.on('pointerleave', () => this.tooltip.hide());
      return e;
    });
    p.attr('transform', (_, i) => `translate(0,${HEADER_H + i * (PILL_H + PILL_GAP)})`).attr('data-process', (d) => d.id).attr('data-state', (d) => d.key);
    p.select('rect').attr('fill', (d) => swatch(d.key).fill).classed('dashed', (d) => d.key === 'notsim');
    p.select('text.pname').attr('fill', (d) => swatch(d.key).ink).text((d) => d.name);
    p.select('text.pstate').attr('fill', (d) => swatch(d.key).ink).text((d) => d.status);
    const top = HEADER_H + b.processes.length * (PILL_H + PILL_GAP) + 2;
    const l = g.selectAll<SVGGElement, Line>('g.line').data(lines).join((enter) => {
      const e = enter.append('g').attr('class', 'line');
      e.append('rect').attr('x', 8).attr('y', 3).attr('width', 9).attr('height', 9).attr('rx', 2);
      e.append('text').attr('y', 11.5);
      e.append('title');
      return e;
    });
    l.attr('transform', (_, i) => `translate(0,${top + i * LINE_H})`);
    l.select('rect').attr('display', (d) => (d.key ? null : 'none')).attr('fill', (d) => (d.key ? swatch(d.key).fill : 'none'));
    l.select('text').attr('x', (d) => (d.key ? 21 : 8)).text((d) => d.text);
    l.select('title').text((d) => d.title);
  }

  /** Dependency lines: grey while the target answers, red dashed when it does not. */
  private drawDeps(deps: Dep[], boxes: readonly Box[]): void {
    const at = new Map(boxes.map((b) => [b.name, b]));
    const drawn = deps.map((d) => ({ d, path: depPath(d, at) })).filter((x) => x.path !== null);
    for (const local of [true, false]) {
      this.svg.select(local ? '.deps-local' : '.deps-between').selectAll<SVGPathElement, (typeof drawn)[number]>('path')
        .data(drawn.filter((x) => x.d.local === local)).join((e) => e.append('path').call((p) => p.append('title')))
        .attr('class', (x) => `dep ${x.d.ok ? 'ok' : 'broken'}`).attr('d', (x) => x.path!)
        .attr('data-dep', (x) => `${x.d.from}>${x.d.to}`)
        .select('title').text((x) => x.d.title);
    }
  }

  /** One-way and two-way cuts between machines, as red dashed links. */
  private drawCuts(s: ViewState): void {
    const at = new Map((this.lay?.boxes ?? []).map((b) => [b.name, b]));
    const links = s.network.cuts.map((c) => c.split(/→|->|\|/)).filter((p) => p.length === 2 && at.has(p[0]!) && at.has(p[1]!));
    this.svg.select('.cuts').selectAll<SVGLineElement, string[]>('line').data(links).join('line')
      .attr('x1', (d) => at.get(d[0]!)!.x + BOX_W / 2).attr('y1', (d) => at.get(d[0]!)!.y + 18)
      .attr('x2', (d) => at.get(d[1]!)!.x + BOX_W / 2).attr('y2', (d) => at.get(d[1]!)!.y + 18)
      .attr('stroke', RED).attr('stroke-dasharray', '6 4').attr('stroke-width', 2);
  }

  /** Packets on the wire, slowed down so the eye can follow them. */
  private drawFlights(flights: Flight[], t: number, speed: number): void {
    const at = new Map((this.lay?.boxes ?? []).map((b) => [b.name, b]));
    const point = (id: string): [number, number] | null => {
      const b = at.get(machineOf(id));
      if (!b) return null;
      const i = b.processes.indexOf(id);
      return [b.x + BOX_W / 2, b.y + (i < 0 ? HEADER_H / 2 : HEADER_H + i * (PILL_H + PILL_GAP) + PILL_H / 2)];
    };
    const linger = speed * LINGER_WALL_US;
    const dots = flights.flatMap(([from, to, type, sent, arrive]) => {
      const a = point(from);
      const b = point(to);
      if (!a || !b) return [];
      const k = Math.min(1, Math.max(0, (t - sent) / Math.max(arrive - sent, linger, 1)));
      // An arc bowing to the right of its direction: a→b and b→a never overlap, nor run through the pills.
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len = Math.hypot(dx, dy) || 1;
      const bow = Math.min(70, len * 0.3);
      const c: [number, number] = [(a[0] + b[0]) / 2 - (dy / len) * bow, (a[1] + b[1]) / 2 + (dx / len) * bow];
      const u = 1 - k;
      return [{ x: u * u * a[0] + 2 * u * k * c[0] + k * k * b[0], y: u * u * a[1] + 2 * u * k * c[1] + k * k * b[1], d: `M${a[0]},${a[1]}Q${c[0]},${c[1]} ${b[0]},${b[1]}`, type, from, to }];
    });
    const g = this.svg.select('.flights');
    g.selectAll<SVGPathElement, (typeof dots)[number]>('path').data(dots).join('path').attr('d', (d) => d.d);
    g.selectAll<SVGCircleElement, (typeof dots)[number]>('circle').data(dots).join((enter) => enter.append('circle').attr('r', 4).call((c) => c.append('title')))
      .attr('cx', (d) => d.x).attr('cy', (d) => d.y)
      .select('title').text((d) => `${d.type}: ${d.from} → ${d.to}`);
    // Name the packets when there are few enough to read, and only where a label does not cover another.
    const placed: { x: number; y: number; w: number }[] = [];
    const named = (dots.length <= 12 ? dots : []).filter((d) => {
      const box = { x: d.x + 6, y: d.y - 14, w: d.type.length * 6.2 };
      if (placed.some((p) => box.x < p.x + p.w && p.x < box.x + box.w && Math.abs(box.y - p.y) < 11)) return false;
      placed.push(box);
      return true;
    });
    g.selectAll<SVGTextElement, (typeof dots)[number]>('text').data(named).join('text')
      .attr('x', (d) => d.x + 6).attr('y', (d) => d.y - 5).text((d) => d.type);
  }

  private setupBrush(): void {
    const brush = d3.brush().on('end', (ev: d3.D3BrushEvent<unknown>) => {
      const sel = ev.selection as [[number, number], [number, number]] | null;
      if (!sel || !this.lay || !ev.sourceEvent) return;
      const [[x0, y0], [x1, y1]] = sel;
      const names = this.lay.boxes.filter((b) => b.role !== 'more' && b.x < x1 && b.x + b.w > x0 && b.y < y1 && b.y + b.h > y0).map((b) => b.name);
      this.svg.select<SVGGElement>('.brush').call(brush.move, null);
      if (names.length > 0) this.handlers?.select(names, ev.sourceEvent as MouseEvent);
    });
    this.svg.select<SVGGElement>('.brush').call(brush);
    this.brushExtent = () => {
      const vb = this.svg.attr('viewBox').split(' ').map(Number);
      brush.extent([[vb[0]!, vb[1]!], [vb[0]! + vb[2]!, vb[1]! + vb[3]!]]);
      this.svg.select<SVGGElement>('.brush').call(brush);
    };
  }

  brushExtent: () => void = () => {};

  /** Nothing to draw (the scenario does not run). */
  clear(): void {
    this.svg.selectAll('.regions > *, .machines > *, .cuts > *, .flights > *, .deps-local > *, .deps-between > *').remove();
    this.drawn.clear();
    this.svg.attr('display', 'none');
    this.lay = null;
  }
}
