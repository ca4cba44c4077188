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
  private readonly cuts: CutsPanel;

  constructor(host: HTMLElement, tooltip: Tooltip, seek: (t: number) => void, changed: () => void) {
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

  render(t: number, speed: number): void {
    for (const p of this.panes) {
      const store = p.runner.store;
      if (!store.scenario) continue;
      const state = store.stateAt(t);
      renderStatus(p.status, state, store);
      p.picture.render(store, state, t, speed);
      p.timeline.update(store, t);
      if (p.shownReport !== store.report) {
        p.shownReport = store.report;
        renderReport(p.report, store.report, 'The tables appear when this run reaches its end.', true);
      }
    }
  }
}
