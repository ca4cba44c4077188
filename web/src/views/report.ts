// The report: the availability, leader and failover tables `hasim run` prints, with the same numbers, and the traceHash.
import {
  attributionTable as attributionRows, availabilityTable as availabilityRows, failoversTable as failoverRows, leadersTable as leaderRows, type Report, sec,
} from '../../../src/index.ts';
import { el, kids, table } from './dom.ts';
import { loadSection } from './loadreport.ts';

export function availabilityTable(r: Report): HTMLTableElement {
  const t = availabilityRows(r);
  return table(t.head, t.rows, { 'data-testid': 'availability-table', class: 'report-table' });
}

export function leadersTable(r: Report): HTMLTableElement {
  const t = leaderRows(r);
  return table(t.head, t.rows, { 'data-testid': 'leaders-table', class: 'report-table' });
}

function failoversTable(r: Report): HTMLElement {
  if (r.failovers.length === 0) return el('p', { class: 'quiet' }, 'Failovers: none.');
  const t = failoverRows(r);
  return table(t.head, t.rows, { 'data-testid': 'failovers-table', class: 'report-table' });
}

/** Downtime by cause and mechanism (the table `hasim run` prints). */
function attributionTable(r: Report): HTMLElement {
  if ((r.attribution ?? []).length === 0) return el('p', { class: 'quiet' }, 'Downtime by cause: none.');
  const t = attributionRows(r);
  return table(t.head, t.rows, { 'data-testid': 'attribution-table', class: 'report-table' });
}

export function summaryLine(r: Report): HTMLElement {
  return el('p', { class: 'summary' },
    `${r.scenario} — seed ${r.seed}, ${r.topology}, Kubernetes ${r.versions.kubernetes} / etcd ${r.versions.etcd}, ${r.durationSeconds}s simulated, ${r.eventsProcessed.toLocaleString('en-US')} events, trace `,
    el('code', { 'data-testid': 'trace-hash', title: 'same scenario + seed ⇒ the same hash as `hasim run`' }, r.traceHash));
}

/** The whole report; `compact` (the compare view) keeps the summary and the two main tables. */
export function renderReport(host: HTMLElement, r: Report | null, pending: string, compact = false): void {
  if (r === null) {
    host.replaceChildren(el('h2', {}, 'Report'), el('p', { class: 'quiet', 'data-testid': 'report-pending' }, pending));
    return;
  }
  const v = r.invariants.violations;
  host.replaceChildren(...kids(
    el('h2', {}, 'Report', el('span', { class: 'quiet' }, ' — the same numbers `hasim run` prints')),
    summaryLine(r),
    r.truncated ? el('p', { class: 'error' }, `WARNING: the run stopped early: ${r.truncatedReason ?? 'it hit its event budget'}.`) : null,
    el('div', { class: 'tables' },
      el('div', {}, el('h3', {}, 'Availability'), availabilityTable(r)),
      el('div', {}, el('h3', {}, 'Leaders'), leadersTable(r)),
      compact ? null : el('div', { class: 'failovers' }, el('h3', {}, `Failovers (${r.failovers.length})`), failoversTable(r)),
      compact ? null : el('div', { class: 'attribution' }, el('h3', {}, 'Downtime by cause and mechanism'), attributionTable(r))),
    compact ? null : loadSection(r),
    compact || r.recovery.seconds === null ? null : el('p', {}, `Recovery: ${sec(r.recovery.seconds)} after the last healing fault`),
    el('p', { class: v.length === 0 ? 'quiet' : 'error', 'data-testid': 'invariants' },
      v.length === 0 ? 'Safety invariants: all held' : `SAFETY INVARIANTS VIOLATED (${v.length}): ${v.join('; ')}`),
  ));
  host.dataset['testid'] = compact ? 'report-compact' : 'report';
}
