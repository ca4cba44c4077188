// The human report `hasim run` prints: timeline, availability, leaders, failovers, expectations.
import type { ExpectResult } from './expect.ts';
import type { Report } from './metrics.ts';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(3)}%`);
const sec = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(3)}s`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function renderText(report: Report, expectations: ExpectResult[], maxEvents = 60): string {
  const out: string[] = [];
  out.push(`${report.scenario} — seed ${report.seed}, ${report.topology}, ${report.durationSeconds}s simulated, ` +
    `${report.eventsProcessed.toLocaleString('en-US')} events in ${report.wallMs} ms, trace ${report.traceHash}`);
  if (report.truncated) out.push('WARNING: the run hit its event budget and stopped early.');
  out.push('', 'Timeline');
  const events = report.events;
  const shown = events.length > maxEvents ? events.slice(0, maxEvents) : events;
  for (const e of shown) out.push(`  ${e.at.toFixed(3).padStart(10)}s  ${e.subject.padEnd(30)} ${e.detail}`);
  if (events.length > shown.length) out.push(`  … ${events.length - shown.length} more (see --json)`);
  if (events.length === 0) out.push('  (nothing notable)');
  const a = report.availability;
  out.push('', 'Availability', table([
    ['layer', 'available', 'downtime total', 'longest outage'],
    ['etcd quorum', pct(a.etcdQuorum), '', ''],
    ['API reads', pct(a.apiRead), sec(report.downtime.apiRead.totalSeconds), sec(report.downtime.apiRead.longestSeconds)],
    ['API writes', pct(a.apiWrite), sec(report.downtime.apiWrite.totalSeconds), sec(report.downtime.apiWrite.longestSeconds)],
    ['scheduler', pct(a.scheduler), '', ''],
    ['controller-manager', pct(a.controllerManager), '', ''],
    ['workloads', pct(a.workloads), '', ''],
  ].map((r) => r.map((c) => c || ''))).replace(/^/gm, '  '));
  const leaderRows = [['group', 'changes', 'leaderless', 'max leaderless', 'dual leader', 'stale actions', 'holders']];
  for (const [group, s] of Object.entries(report.leaders)) {
    const holders = [...new Set(s.holders.map((h) => h.holder))].join(', ') || '—';
    leaderRows.push([group, String(s.changes), sec(s.leaderlessSeconds), sec(s.maxLeaderlessSeconds), sec(s.dualLeaderSeconds), String(s.staleLeaderActions), holders]);
  }
  out.push('', 'Leaders', table(leaderRows).replace(/^/gm, '  '));
  if (report.failovers.length > 0) {
    const rows = [['group', 'lost at', 'recovered at', 'gap', 'cause']];
    for (const f of report.failovers) rows.push([f.group, sec(f.lostAt), sec(f.recoveredAt), sec(f.gapSeconds), f.cause]);
    out.push('', 'Failovers', table(rows).replace(/^/gm, '  '));
  }
  if (report.recovery.seconds !== null) out.push('', `Recovery: ${sec(report.recovery.seconds)} after the last healing fault`);
  const v = report.invariants.violations;
  out.push('', v.length === 0 ? 'Safety invariants: all held' : `SAFETY INVARIANTS VIOLATED (${v.length}):\n${v.map((x) => `  ${x}`).join('\n')}`);
  if (expectations.length > 0) {
    out.push('', 'Expectations');
    for (const e of expectations) {
      const got = e.kind === 'metric' ? `(got ${e.shown})` : `— ${e.shown}`;
      out.push(`  ${e.pass ? 'PASS' : 'FAIL'}  ${e.text}  ${got}${e.note ? ` — ${e.note}` : ''}`);
    }
  }
  return out.join('\n');
}
