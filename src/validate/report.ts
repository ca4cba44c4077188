// The validation table as text, JSON and a self-contained HTML page (values escaped, no scenario text inserted).
import type { Summary } from './stats.ts';
import { TOLERANCE, type CaseResult, type MetricResult } from './types.ts';

function num(x: number, unit: MetricResult['unit']): string {
  if (!Number.isFinite(x)) return '—';
  return unit === 'count' ? String(Math.round(x * 10) / 10) : x.toFixed(3);
}

function dist(s: Summary, unit: MetricResult['unit']): string[] {
  return [s.min, s.p50, s.p95, s.max].map((x) => num(x, unit));
}

const HEAD = ['case', 'metric', 'n', 'real min', 'p50', 'p95', 'max', 'model min', 'p50', 'p95', 'max', 'model/real', 'KS D (5% crit)', 'result'];

function metricRow(c: CaseResult, m: MetricResult): string[] {
  const verdict = m.pass ? 'ok' : m.known ? 'KNOWN' : 'FAIL';
  return [
    c.id, m.name, `${m.real.length}/${m.model.length}`, ...dist(m.realSummary, m.unit), ...dist(m.modelSummary, m.unit),
    Number.isFinite(m.ratio) ? m.ratio.toFixed(2) : '—',
    Number.isFinite(m.ks) ? `${m.ks.toFixed(2)} (${m.ksCritical.toFixed(2)})` : '—',
    m.gated ? verdict : m.expectRealZero ? (m.pass ? 'ok (real 0)' : 'FAIL (real ≠ 0)') : 'info',
  ];
}

export function tableRows(results: CaseResult[]): string[][] {
  const rows: string[][] = [];
  for (const c of results) {
    if (c.metrics.length === 0) rows.push([c.id, c.status.toUpperCase(), '', '', '', '', '', '', '', '', '', '', '', c.message ?? '']);
    for (const m of c.metrics) rows.push(metricRow(c, m));
  }
  return rows;
}

const RULE = `Rule: a gated metric passes when the model median is within ±${TOLERANCE * 100}% of the real median, or within the real measurement's resolution where a case states one (etcd log timestamps: 1 ms). KS D is printed with its 5% critical value as a guide.`;

const SAMPLED_RULE = 'This run used the sampled-median rule (few real trials): the real median must lie within the central 99.8% of medians of as many draws from the model runs, widened by ±20%.';

/** A plain-text table with aligned columns, then one line per case with its verdict and notes. */
export function formatText(results: CaseResult[]): string {
  const rows = [HEAD, ...tableRows(results)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ''];
  for (const c of results) {
    out.push(`${c.id}: ${c.status.toUpperCase()} (${c.wallSeconds} s)${c.message ? ` — ${c.message}` : ''}`);
    for (const n of c.notes) out.push(`    ${n}`);
  }
  out.push('', RULE);
  if (results.some((c) => c.metrics.some((m) => m.rule === 'sampled-median'))) out.push(SAMPLED_RULE);
  return out.join('\n');
}

/** A Markdown table (the README's). */
export function formatMarkdown(results: CaseResult[]): string {
  const rows = [HEAD, HEAD.map(() => '---'), ...tableRows(results)];
  return rows.map((r) => `| ${r.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

export function toJson(results: CaseResult[], meta: Record<string, unknown>): string {
  return JSON.stringify({ ...meta, tolerance: TOLERANCE, cases: results }, null, 2);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function toHtml(results: CaseResult[], meta: Record<string, string>): string {
  const cells = (r: string[], tag: string) => `<tr>${r.map((x) => `<${tag}>${esc(x)}</${tag}>`).join('')}</tr>`;
  const notes = results.map((c) => `<li><b>${esc(c.id)}</b>: ${esc(c.status)}${c.message ? ` — ${esc(c.message)}` : ''}${c.notes.map((n) => `<br><small>${esc(n)}</small>`).join('')}</li>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>hasim validate</title>
<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:nth-child(-n+2){text-align:left}</style></head><body>
<h1>hasim validate: model beside real etcd, haproxy and keepalived</h1>
<p>${Object.entries(meta).map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(' · ')}</p>
<table>${cells(HEAD, 'th')}${tableRows(results).map((r) => cells(r, 'td')).join('\n')}</table>
<ul>${notes}</ul>
<p>${esc(RULE)}</p>
</body></html>
`;
}
