// The report's load section in the page: per phase the apiservers' CPU, in-flight and 429s and the request classes' latency, as `hasim run` prints them.
import type { Report } from '../../../src/index.ts';
import { el, table } from './dom.ts';

type LoadReport = NonNullable<Report['load']>;

/** As the text report formats a fraction (report/load.ts, renderLoad): one decimal. */
const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The load section, or null when the run had no `load:`. */
export function loadSection(r: Report): HTMLElement | null {
  const load: LoadReport | undefined = r.load;
  if (!load) return null;
  const parts: HTMLElement[] = [el('h3', {}, 'Load')];
  for (const p of load.phases) {
    const title = p.name === 'before' ? 'Before the first fault' : 'After the first fault';
    parts.push(el('p', { 'data-testid': `load-phase-${p.name}` },
      `${title} (${p.fromSeconds}s to ${p.toSeconds}s): 429s ${pct1(p.rejectedFraction)} of apiserver answers, p99 writes ${p.writeP99Ms} ms`));
    const servers = p.apiservers.map((a) => [a.name, pct1(a.utilisation), pct1(a.peakUtilisation), String(a.peakInFlight), String(a.served), String(a.rejected429)]);
    const classes = p.classes.map((c) => [c.class, String(c.requests), `${c.p50Ms} ms`, `${c.p99Ms} ms`, String(c.retried), String(c.failed)]);
    parts.push(el('div', { class: 'tables' },
      el('div', {}, table(['apiserver', 'CPU mean', 'CPU peak', 'peak in-flight', 'served', '429s'], servers, { 'data-testid': `load-servers-${p.name}`, class: 'report-table' })),
      classes.length === 0 ? null : el('div', {}, table(['class', 'requests', 'p50', 'p99', 'retried', 'failed'], classes, { 'data-testid': `load-classes-${p.name}`, class: 'report-table' }))));
  }
  if (load.endUtilisation.length > 0) {
    const each = load.endUtilisation.map((e) => `${e.name.split('/')[0]} ${pct1(e.utilisation)}`).join(', ');
    parts.push(el('p', { 'data-testid': 'load-end' }, `CPU in the last minute: ${each} (spread ${pct1(load.endSpread)})`));
  }
  const v = load.verdict;
  if (v) {
    parts.push(el('p', { class: v.holds ? '' : 'error', 'data-testid': 'load-verdict' },
      `N+1: at this load, after the first fault p99 write latency is ${v.p99WriteMs} ms (limit ${v.limitMs} ms) and 429s ${pct1(v.rejectedFraction)} (limit ${pct1(v.limitFraction)}): ${v.holds ? 'yes' : 'no'}`));
  }
  return el('div', { class: 'load', 'data-testid': 'load-report' }, ...parts);
}
