// Self-contained HTML page of a study: d3 inlined, data as JSON in a <script type="application/json">, charts drawn
// client-side with textContent only (nothing from a scenario file is ever parsed as HTML).
import { LEADER_GROUPS, parseDuration } from '../scenario/index.ts';
import type { CompareResult } from './compare.ts';
import type { SweepResult } from './sweep.ts';
import { quantile } from './stats.ts';
import { byVariant } from './study.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element: no "</script", "<!--" or line separators can end or confuse it. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

interface Distribution { title: string; unit: string; countLabel: string; series: { label: string; values: number[] }[] }
/** A sweep point: mean and p95 of the runs' values, each with its 95 % interval. */
export interface SweepPointStats { x: number; label: string; n: number; mean: number | null; meanLow: number | null; meanHigh: number | null; p95: number | null; p95Low: number | null; p95High: number | null }
interface LineChart { title: string; unit: string; xLabel: string; lines: { label: string; points: SweepPointStats[] }[] }
export interface ChartData { kind: string; title: string; colours: Record<string, string>; distributions: Distribution[]; lines: LineChart[]; stacks?: StackedBars[] }

/** Stacked bars: one bar per variant, split into parts (API write downtime per mechanism). */
interface StackedBars { title: string; unit: string; bars: { label: string; parts: { name: string; value: number }[] }[] }

/** API write downtime per run, split by mechanism, one bar per topology. */
export function attributionBars(result: CompareResult): StackedBars {
  return {
    title: 'API write downtime by mechanism (mean seconds per run)', unit: 's',
    bars: result.topologies.map((t) => ({
      label: t,
      // the same order in every bar, so that like segments line up
      parts: (result.summary.attribution?.[t] ?? []).map((m) => ({ name: m.mechanism, value: m.meanSeconds }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    })),
  };
}

/** One colour per series label, fixed for the whole page (legend and marks read the same map). */
const PALETTE = ['#2f6fae', '#d9822b', '#3f8f5a', '#b8413a', '#7a5aa6', '#8c6d3a', '#c25e9b', '#6b6b6b', '#9a9a2e', '#2b9aa8'];
const FIXED: Record<string, string> = { stacked: PALETTE[0]!, external: PALETTE[1]! };

function colourMap(labels: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  for (const l of labels) out[l] = FIXED[l] ?? PALETTE[(2 + i++) % PALETTE.length]!;
  return out;
}

/** Mean ± 1.96·sd/√n, and the p95 with a distribution-free interval (order statistics around rank 0.95·n). */
export function pointStats(values: readonly number[], x: number, label: string): SweepPointStats {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const none = { x, label, n, mean: null, meanLow: null, meanHigh: null, p95: null, p95Low: null, p95High: null };
  if (n === 0) return none;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  const half = sd === null ? null : (1.96 * sd) / Math.sqrt(n);
  // The 1-based ranks 0.95·n ∓ 1.96·√(n·0.95·0.05) bound the p95 with about 95 % confidence (binomial, normal approximation).
  const rank = (r: number) => v[Math.min(n - 1, Math.max(0, r - 1))]!;
  const spread = 1.96 * Math.sqrt(n * 0.95 * 0.05);
  return {
    x, label, n, mean, meanLow: half === null ? null : mean - half, meanHigh: half === null ? null : mean + half,
    p95: quantile(v, 0.95), p95Low: n > 1 ? rank(Math.floor(0.95 * n - spread)) : null, p95High: n > 1 ? rank(Math.ceil(0.95 * n + spread) + 1) : null,
  };
}

export function chartData(result: CompareResult | SweepResult): ChartData {
  const title = `hasim ${result.kind} — ${result.scenario}`;
  if (result.kind === 'compare') {
    const groups = byVariant(result.records);
    const distributions: Distribution[] = LEADER_GROUPS.map((g) => ({
      title: `failover gap: ${g}`, unit: 's', countLabel: 'failovers (count)',
      series: result.topologies.map((t) => ({ label: t, values: (groups.get(t) ?? []).flatMap((r) => r.gaps[g] ?? []) })),
    }));
    const names: Record<string, string> = { 'downtime.apiWrite.totalSeconds': 'API write downtime per run, total', 'downtime.apiWrite.longestSeconds': 'API write downtime per run, longest episode' };
    for (const path of ['downtime.apiWrite.totalSeconds', 'downtime.apiWrite.longestSeconds']) {
      distributions.push({
        title: names[path]!, unit: 's', countLabel: 'runs (count)',
        series: result.topologies.map((t) => ({ label: t, values: (groups.get(t) ?? []).map((r) => r.values[path]).filter((v): v is number => typeof v === 'number') })),
      });
    }
    return { kind: 'compare', title, colours: colourMap(result.topologies), distributions, lines: [], stacks: [attributionBars(result)] };
  }
  const [first, second] = result.vary;
  const xOf = (v: string) => (first!.kind === 'duration' ? parseDuration(v) / 1e6 : Number(v));
  const groups = byVariant(result.records);
  const metrics: { title: string; unit: string; values: (key: string) => number[] }[] = [
    { title: 'API writes available (fraction of time)', unit: 'fraction', values: (k) => (groups.get(k) ?? []).map((r) => r.values['availability.apiWrite']).filter((v): v is number => typeof v === 'number') },
    ...LEADER_GROUPS.flatMap((g) => [
      { title: `failover gap: ${g}`, unit: 's', values: (k: string) => (groups.get(k) ?? []).flatMap((r) => r.gaps[g] ?? []) },
      { title: `${g}: time without a leader per run`, unit: 's', values: (k: string) => (groups.get(k) ?? []).map((r) => r.values[`leaders.${g}.leaderlessSeconds`]).filter((v): v is number => typeof v === 'number') },
    ]),
  ];
  const seriesKeys = second ? second.values : [''];
  const labels = seriesKeys.map((sv) => (second ? `${second.path}=${sv}` : 'all runs'));
  const lines: LineChart[] = metrics.map((m) => ({
    title: m.title, unit: m.unit, xLabel: first!.kind === 'duration' ? `${first!.path} (seconds)` : first!.path,
    lines: seriesKeys.map((sv, i) => ({
      label: labels[i]!,
      points: result.points.filter((p) => p.skipped === null && (!second || p.values[1] === sv))
        .map((p) => pointStats(m.values(p.key), xOf(p.values[0]!), p.values[0]!)),
    })),
  }));
  return { kind: 'sweep', title, colours: colourMap(labels), distributions: [], lines };
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5em;color:#1d2733;max-width:1400px}
#charts{display:flex;flex-wrap:wrap;gap:12px}svg{border:1px solid #ddd;background:#fff}
table.summary{border-collapse:collapse;margin:8px 0;font-size:13px}table.summary th,table.summary td{border-bottom:1px solid #e3e6ea;padding:3px 10px;text-align:right;white-space:nowrap}
table.summary th:first-child,table.summary td:first-child{text-align:left}table.summary td:last-child{text-align:left;white-space:normal}
td.decided{font-weight:600}.answer{font-size:15px;max-width:75em}.description{max-width:75em;color:#333}.options,.quiet{color:#67717c}
#notes p{margin:2px 0;color:#67717c}`;

/**
 * The whole page: the lead (scenario, options, summary table, verdict: src/cli/html-summary.ts) first,
 * then the charts. `d3Source` is d3.min.js and `client` the drawing script (src/cli/html-client.ts), both inlined.
 */
export function renderHtml(result: CompareResult | SweepResult, d3Source: string, client: string, lead = ''): string {
  const data = chartData(result);
  const safeD3 = d3Source.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1 id="title">${escapeHtml(data.title)}</h1>
${lead}
<h2>Charts</h2>
<div id="charts"></div>
<div id="notes"></div>
<p class="quiet">Generated by hasim. Full numbers: <code>hasim ${escapeHtml(result.kind)} … --json</code>.</p>
<script type="application/json" id="study-data">${scriptJson(data)}</script>
<script>${safeD3}</script>
<script>${client.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
