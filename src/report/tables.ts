// The report's tables as rows of text: one source for `hasim run`'s text report and the web UI.
import type { Report } from './metrics.ts';

export interface Table {
  head: string[];
  rows: string[][];
}

export const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(3)}%`);
export const sec = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(3)}s`);

export function availabilityTable(r: Report): Table {
  const a = r.availability;
  return {
    head: ['layer', 'available', 'downtime total', 'longest outage'],
    rows: [
      ['etcd quorum', pct(a.etcdQuorum), '', ''],
      ['API reads', pct(a.apiRead), sec(r.downtime.apiRead.totalSeconds), sec(r.downtime.apiRead.longestSeconds)],
      ['API writes', pct(a.apiWrite), sec(r.downtime.apiWrite.totalSeconds), sec(r.downtime.apiWrite.longestSeconds)],
      ['scheduler', pct(a.scheduler), '', ''],
      ['controller-manager', pct(a.controllerManager), '', ''],
      ['workloads', pct(a.workloads), '', ''],
    ],
  };
}

export function leadersTable(r: Report): Table {
  return {
    head: ['group', 'changes', 'leaderless', 'max leaderless', 'dual leader', 'stale actions', 'holders'],
    rows: Object.entries(r.leaders).map(([group, s]) => [
      group, String(s.changes), sec(s.leaderlessSeconds), sec(s.maxLeaderlessSeconds), sec(s.dualLeaderSeconds),
      String(s.staleLeaderActions), [...new Set(s.holders.map((h) => h.holder))].join(', ') || '—',
    ]),
  };
}

export function failoversTable(r: Report): Table {
  return {
    head: ['group', 'lost at', 'recovered at', 'gap', 'cause'],
    rows: r.failovers.map((f) => [f.group, sec(f.lostAt), sec(f.recoveredAt), sec(f.gapSeconds), f.cause]),
  };
}

const MEASURE_TEXT: Record<string, string> = {
  apiWrite: 'API writes', apiRead: 'API reads', lostPodSeconds: 'pods (pod-s)',
};

/** Downtime by fault and mechanism: what was unavailable, why, episodes, seconds and share of that measure's total. */
export function attributionTable(r: Report): Table {
  const totals = new Map<string, number>();
  for (const a of r.attribution) totals.set(a.measure, (totals.get(a.measure) ?? 0) + a.seconds);
  const rows = [...r.attribution].sort((a, b) => a.measure.localeCompare(b.measure) || b.seconds - a.seconds);
  return {
    head: ['unavailable', 'mechanism', 'cause', 'episodes', 'seconds', 'share'],
    rows: rows.map((a) => [
      MEASURE_TEXT[a.measure] ?? a.measure, a.mechanism, a.cause, String(a.episodes), sec(a.seconds),
      `${((a.seconds / (totals.get(a.measure) || 1)) * 100).toFixed(1)}%`,
    ]),
  };
}
