// The compare view's cut-set panel: which machines and pairs of machines take each service down, per topology.
import { sourceOf, type RunConfig } from '../config.ts';
import type { FromCuts, ToCuts } from '../cuts.worker.ts';
import { CUT_SERVICES, SERVICE_TEXT, sizeTable } from '../../../src/index.ts';
import { button, el, table } from './dom.ts';

export class CutsPanel {
  private worker: Worker | null = null;
  private id = 0;
  private readonly out = el('div', { 'data-testid': 'cuts-result' });
  private cfg: RunConfig | null = null;
  private library: Readonly<Record<string, string>> = {};

  constructor(host: HTMLElement) {
    const run = button('Cut sets: every machine and pair', 'kill every machine and every pair of machines at 30 s for 60 s, in both topologies (hasim cuts --max-failures 2)', () => this.run(), { 'data-testid': 'cuts-run' });
    host.append(el('div', { class: 'panel cuts', 'data-testid': 'cuts' }, el('h2', {}, 'Failure-domain cut sets'), run, this.out));
  }

  /** The scenario the panes show; a new one clears the last result. */
  setSource(cfg: RunConfig, library: Readonly<Record<string, string>>): void {
    this.cfg = cfg;
    this.library = library;
    this.id++;
    this.out.replaceChildren();
  }

  private run(): void {
    if (!this.cfg) return;
    this.worker ??= new Worker(new URL('../cuts.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromCuts>) => this.receive(e.data);
    const id = ++this.id;
    try {
      this.worker.postMessage({ type: 'cuts', id, source: sourceOf({ ...this.cfg, topology: null }, this.library) } satisfies ToCuts);
      this.out.replaceChildren(el('p', { class: 'quiet' }, 'running…'));
    } catch (err) {
      this.out.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    }
  }

  private receive(m: FromCuts): void {
    if (m.id !== this.id) return;
    if (m.type === 'progress') {
      this.out.replaceChildren(el('p', { class: 'quiet' }, `running set ${m.done} of ${m.total}…`));
    } else if (m.type === 'failed') {
      this.out.replaceChildren(el('p', { class: 'error' }, m.message));
    } else {
      const parts = Object.entries(m.topologies).flatMap(([topology, t]) => [
        el('h3', {}, `${topology}: ${t.run} of ${t.total} sets${t.sampled ? ' (sampled)' : ''}`),
        table(['size', 'sets', ...CUT_SERVICES.map((s) => `${SERVICE_TEXT[s]} down`)], sizeTable(t, m.options.maxFailures),
          { class: 'report-table', 'data-testid': `cuts-${topology}` }),
        el('ul', {}, ...CUT_SERVICES.map((s) => el('li', {}, `${SERVICE_TEXT[s]}: `,
          t.minimal[s].length === 0 ? 'no cut set' : t.minimal[s].map((d) => `{${d.join(', ')}}`).join(' ')))),
      ]);
      this.out.replaceChildren(el('p', { class: 'quiet' }, 'DOWN: out at least 30 s longer than without the failure (minimal cut sets listed)'), ...parts);
    }
  }
}
