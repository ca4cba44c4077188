// The human report `hasim run` prints: timeline, availability, leaders, failovers, expectations.
import { attributionTable, availabilityTable, failoversTable, leadersTable, sec, type Table } from './tables.ts';
import type { ExpectResult } from './values.ts';
import type { Report } from './metrics.ts';
import { renderLoad } from './load.ts';

function table({ head, rows: body }: Table): string {
  const rows = [head, ...body];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const indent = (text: string): string => text.replace(/^/gm, '  ');

/** `Measured from 8.448s (cluster ready) to 120s; bootstrap took 8.448s.` */
export function windowLine(report: Report): string {
  const w = report.window;
  const why = { ready: 'cluster ready', fault: 'first fault, before the cluster was ready', start: 'run start', time: 'a set time' }[w.from];
  const boot = report.bootstrapSeconds === null ? 'the cluster was never ready' : `bootstrap took ${sec(report.bootstrapSeconds)}`;
  return `Measured from ${sec(w.fromSeconds)} (${why}) to ${sec(w.toSeconds)}; ${boot}.`;
}

export function renderText(report: Report, expectations: ExpectResult[], maxEvents = 60): string {
  const out: string[] = [];
  out.push(`${report.scenario} — seed ${report.seed}, ${report.topology}, Kubernetes ${report.versions.kubernetes} / etcd ${report.versions.etcd}, ${report.durationSeconds}s simulated, ` +
    `${report.eventsProcessed.toLocaleString('en-US')} events in ${report.wallMs} ms, trace ${report.traceHash ?? 'not hashed'}`);
  if (report.truncated) out.push(`WARNING: the run stopped early: ${report.truncatedReason ?? 'it hit its event budget'}; this report covers the time it reached.`);
  if (report.fastForward.jumps > 0) {
    out.push(`Fast-forward skipped ${report.fastForward.skippedSeconds}s of steady state in ${report.fastForward.jumps} jump${report.fastForward.jumps === 1 ? '' : 's'}.`);
  }
  out.push('', 'Timeline');
  const events = report.events;
  const shown = events.length > maxEvents ? events.slice(0, maxEvents) : events;
  for (const e of shown) out.push(`  ${e.at.toFixed(3).padStart(10)}s  ${e.subject.padEnd(30)} ${e.detail}`);
  if (events.length > shown.length) out.push(`  … ${events.length - shown.length} more (see --json)`);
  if (events.length === 0) out.push('  (nothing notable)');
  out.push('', windowLine(report));
  out.push('', 'Availability', indent(table(availabilityTable(report))));
  out.push('', 'Leaders', indent(table(leadersTable(report))));
  if (report.failovers.length > 0) out.push('', 'Failovers', indent(table(failoversTable(report))));
  if (report.attribution.length > 0) out.push('', 'Downtime by cause and mechanism', indent(table(attributionTable(report))));
  if (report.recovery.seconds !== null) out.push('', `Recovery: ${sec(report.recovery.seconds)} after the last healing fault`);
  if (report.load) out.push('', ...renderLoad(report.load, (head, rows) => table({ head, rows })));
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
