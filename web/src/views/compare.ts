// Stacked vs external, side by side: the same scenario, seed and faults in both topologies, with their tables.
import type { RunConfig, Topology } from '../config.ts';
import { Runner } from '../runner.ts';
import type { Store } from '../store.ts';
import { CutsPanel } from './cuts.ts';
import { el } from './dom.ts';
import { renderReport } from './report.ts';
import { renderStatus } from './status.ts';
import { TimelineView } from './timeline.ts';
import type { Tooltip } from './tooltip.ts';
import { TopologyView } from './topology.ts';

interface Pane {
  topology: Topology;
  runner: Runner;
  status: HTMLElement;
  picture: TopologyView;
  timeline: TimelineView;
  report: HTMLElement;
  error: HTMLElement;
  shownReport: unknown;
}

/** What the player needs from the pair: it plays until both are computed. */
export interface PairClock {
  duration: number;
  computedUntil: number;
  done: boolean;
  steps: number[];
}

export class CompareView {
  private readonly panes: Pane[];
  private readonly warning = el('div', { class: 'placement-warning', 'data-testid': 'placement-warning' });
  private readonly cuts: CutsPanel;

  constructor(host: HTMLElement, tooltip: Tooltip, seek: (t: number) => void, changed: () => void) {
    host.append(this.warning);
    this.panes = (['stacked', 'external'] as const).map((topology) => {
      const pane = el('div', { class: 'pane panel', 'data-testid': `compare-${topology}` });
      const status = el('div', { class: 'status-line' });
      const pic = el('div', { class: 'pic' });
      const tl = el('div', { class: 'tl' });
      const report = el('div', { class: 'report' });
      const error = el('div', { class: 'error' });
      pane.append(el('h2', {}, `${topology} etcd`), error, status, pic, tl, report);
      host.append(pane);
      const p: Pane = {
        topology, status, report, error, shownReport: undefined,
        runner: new Runner({ changed, failed: (m) => (p.error.textContent = m) }, false),
        picture: new TopologyView(pic, null, tooltip),
        timeline: new TimelineView(tl, { seek }, tooltip, true),
      };
      return p;
    });
    this.cuts = new CutsPanel(host);
  }

  start(cfg: RunConfig, library: Readonly<Record<string, string>>): void {
    this.cuts.setSource(cfg, library);
    for (const p of this.panes) {
      p.error.textContent = '';
      p.shownReport = undefined;
      p.runner.run({ ...cfg, topology: p.topology }, library);
    }
  }

  stop(): void {
    for (const p of this.panes) p.runner.stop();
  }

  get stores(): Store[] {
    return this.panes.map((p) => p.runner.store);
  }

  clock(): PairClock {
    const s = this.stores;
    // A pane whose scenario does not run (its message is shown) does not hold playback back.
    const finished = this.panes.map((p) => p.runner.store.done || p.runner.error !== null);
    return {
      duration: Math.max(...s.map((x) => x.duration)),
      computedUntil: Math.min(...s.map((x, i) => (finished[i] ? Infinity : x.computedUntil))),
      done: finished.every(Boolean),
      steps: [...new Set(s.flatMap((x) => x.lanes.steps))].sort((a, b) => a - b),
    };
  }

  /**
   * Where each group's first leader landed in each topology. When they differ, a fault aimed at a machine
   * hits a leader in one run and a standby in the other: part of the difference is placement, not topology.
   */
  private placement(): string {
    const firsts = this.panes.map((p) => {
      const out = new Map<string, string>();
      for (const [g, track] of p.runner.store.lanes.holders) {
        const seg = track.segs.find((x) => x.key === 'one');
        if (seg) out.set(g, seg.text.split('/')[0]!);
      }
      return out;
    });
    const differ: string[] = [];
    for (const [g, m] of firsts[0] ?? []) {
      const other = firsts[1]?.get(g);
      // etcd members live on different machines in the two topologies: compare member numbers.
      const num = (x: string) => /-(\d+)$/.exec(x)?.[1];
      if (other !== undefined && num(other) !== num(m)) differ.push(`${g}: ${m} in ${this.panes[0]!.topology}, ${other} in ${this.panes[1]!.topology}`);
    }
    if (differ.length === 0) return '';
    return `Leader placement differs between the two runs (${differ.join('; ')}). A fault aimed at a machine hits a leader in one run and a standby in the other, so part of any difference below is placement, not topology. Aim faults at a role (e.g. kube-scheduler:leader), or try another seed.`;
  }

  render(t: number, speed: number): void {
    const warn = this.placement();
    if (this.warning.textContent !== warn) this.warning.textContent = warn;
    for (const p of this.panes) {
      const store = p.runner.store;
      if (!store.scenario) continue;
      const state = store.stateAt(t);
      renderStatus(p.status, state, store, t);
      p.picture.render(store, state, t, speed);
      p.timeline.update(store, t);
      if (p.shownReport !== store.report) {
        p.shownReport = store.report;
        renderReport(p.report, store.report, 'The tables appear when this run reaches its end.', true);
      }
    }
  }
}
