// The top of a study's HTML page: scenario and options, the summary table and the verdict the 95 % intervals support.
import { LEADER_GROUPS } from '../scenario/index.ts';
import type { CompareResult } from '../study/compare.ts';
import { escapeHtml } from '../study/html.ts';
import { pairedDiff, type PairedDiff } from '../study/stats.ts';
import { byVariant, fmt, fmtSigned, unitOf, type Unit } from '../study/study.ts';
import type { SweepResult } from '../study/sweep.ts';

/** One colour per topology everywhere on the page (charts, legends, table headers). */
export const TOPOLOGY_COLOURS: Readonly<Record<string, string>> = { stacked: '#2f6fae', external: '#d9822b' };

/** Human names of the metrics the summary shows. */
const LABELS: Record<string, string> = {
  'availability.apiWrite': 'API writes available',
  'availability.apiRead': 'API reads available',
  'availability.etcdQuorum': 'etcd has quorum',
  'availability.scheduler': 'a scheduler acts',
  'availability.controllerManager': 'a controller-manager acts',
  'availability.workloads': 'workloads at desired replicas',
  'downtime.apiWrite.totalSeconds': 'API write downtime, total',
  'downtime.apiWrite.longestSeconds': 'API write downtime, longest episode',
  'nodes.evictions': 'pod evictions',
  ...Object.fromEntries(LEADER_GROUPS.flatMap((g) => [
    [`leaders.${g}.leaderlessSeconds`, `${g}: time without a leader`],
    [`failovers.${g}.meanGapSeconds`, `${g}: failover gap (run mean)`],
  ])),
};

export const labelOf = (path: string): string => LABELS[path] ?? path;

/** Higher is better for availability, lower for seconds and counts. */
const higherIsBetter = (path: string): boolean => path.startsWith('availability.');

/** What the interval says about b − a, in words, and which side (if any) it supports as better. */
export function verdict(path: string, a: string, b: string, d: PairedDiff, meanA: number | null, meanB: number | null): { text: string; better: string | null } {
  if (meanA === 0 && meanB === 0 && d.mean === 0) return { text: 'all zero in both', better: null };
  if (d.low === null || d.high === null) return { text: d.n < 2 ? 'too few paired runs for an interval' : 'no interval', better: null };
  if (d.low <= 0 && d.high >= 0) return { text: 'no difference the 95 % CI can show (it includes 0)', better: null };
  const bHigher = d.low > 0;
  const better = bHigher === higherIsBetter(path) ? b : a;
  return { text: `${better} better (the whole 95 % CI is ${bHigher ? 'above' : 'below'} 0)`, better };
}

const ninesText = (x: number | null, mean: number | null): string => (x === null ? (mean === 1 ? ' · no downtime' : '') : ` · ${x.toFixed(2)} nines`);

function cell(text: string, attrs = ''): string {
  return `<td${attrs}>${escapeHtml(text)}</td>`;
}

function optionsLine(result: CompareResult | SweepResult): string {
  const parts = [`${result.runs} runs per ${result.kind === 'compare' ? 'topology' : 'point'} (seeds ${result.seeds[0] ?? '–'}..${result.seeds[result.seeds.length - 1] ?? '–'}, the same seeds in every variant)`];
  if (result.kind === 'compare') parts.unshift(`topologies: ${result.topologies.join(' vs ')}`);
  else parts.unshift(`varying ${result.vary.map((v) => `${v.path} over ${v.values.join(', ')}`).join(' and ')}`);
  if (result.sets.length > 0) parts.push(`--set ${result.sets.join(' ')}`);
  parts.push(result.fastForward ? 'fast-forward through steady state' : 'every event in detail');
  return parts.join('; ');
}

/** The compare summary: per topology its mean (and nines), the paired difference with its 95 % CI, a verdict. */
function compareLead(r: CompareResult): string {
  const [a, b] = [r.topologies[0]!, r.topologies[1]];
  const head = (t: string) => `<th style="color:${TOPOLOGY_COLOURS[t] ?? '#333'}">${escapeHtml(t)} mean</th>`;
  const rows: string[] = [];
  const better = new Map<string, string[]>();
  let undecided = 0;
  for (const d of r.summary.differences) {
    const unit: Unit = unitOf(d.metric);
    const sa = r.summary.topologies[d.a]!;
    const sb = r.summary.topologies[d.b]!;
    const v = verdict(d.metric, d.a, d.b, d.diff, d.meanA, d.meanB);
    if (v.better) better.set(v.better, [...(better.get(v.better) ?? []), `${labelOf(d.metric)} (${fmtSigned(d.diff.mean, unit)})`]);
    else if (v.text !== 'all zero in both') undecided++;
    const ci = d.diff.low === null ? '–' : `[${fmtSigned(d.diff.low, unit)}, ${fmtSigned(d.diff.high, unit)}]`;
    rows.push(`<tr>${cell(labelOf(d.metric))}${cell(fmt(d.meanA, unit) + ninesText(sa.nines[d.metric]?.mean ?? null, d.meanA))}${cell(fmt(d.meanB, unit) + ninesText(sb.nines[d.metric]?.mean ?? null, d.meanB))}${cell(`${fmtSigned(d.diff.mean, unit)} ${ci}`)}${cell(String(d.diff.n))}${cell(v.text, v.better ? ' class="decided"' : '')}</tr>`);
  }
  const said = [...better].map(([t, list]) => `${t} is better on ${list.join(', ')}`);
  const answer = said.length === 0
    ? `No metric differs beyond its 95 % confidence interval: with ${r.seeds.length} paired runs this study cannot tell ${a} from ${b ?? a} in this scenario.`
    : `${said.join('; ')}. ${undecided > 0 ? `The other ${undecided} metric(s) show no difference the 95 % CI can resolve.` : ''}`;
  return `<p class="answer" data-testid="verdict"><b>Answer:</b> ${escapeHtml(answer)}</p>
<table class="summary" data-testid="summary-table"><thead><tr><th>metric</th>${head(a)}${b ? head(b) : ''}<th>${escapeHtml(`${b ?? ''} − ${a}`)} (95 % CI)</th><th>pairs</th><th>verdict</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p class="quiet">Differences are paired by seed (the same faults and timings in both topologies): mean of the per-seed differences ± 1.96·sd/√n. Availability is a fraction of the measured time; nines = −log10(1 − availability).</p>`;
}

/** Key metrics of a sweep, with the paired difference between the best and the worst point of each. */
const SWEEP_KEYS = ['availability.apiWrite', ...LEADER_GROUPS.map((g) => `failovers.${g}.meanGapSeconds`), ...LEADER_GROUPS.map((g) => `leaders.${g}.leaderlessSeconds`)];

function sweepLead(r: SweepResult): string {
  const points = r.points.filter((p) => p.skipped === null);
  const groups = byVariant(r.records);
  const column = (key: string, path: string) => {
    const bySeed = new Map((groups.get(key) ?? []).map((x) => [x.seed, x.values[path] ?? null]));
    return r.seeds.map((s) => bySeed.get(s) ?? null);
  };
  const rows: string[] = [];
  const answers: string[] = [];
  const name = (p: { values: string[] }) => p.values.join(' / ');
  for (const path of SWEEP_KEYS) {
    const unit = unitOf(path);
    const means = points.map((p) => ({ p, mean: r.summary.points[p.key]?.metrics[path]?.mean ?? null })).filter((x) => x.mean !== null);
    if (means.length === 0) continue;
    const sorted = [...means].sort((x, y) => x.mean! - y.mean!);
    const best = higherIsBetter(path) ? sorted[sorted.length - 1]! : sorted[0]!;
    const worst = higherIsBetter(path) ? sorted[0]! : sorted[sorted.length - 1]!;
    const d = pairedDiff(column(worst.p.key, path), column(best.p.key, path));
    const allZero = means.every((x) => x.mean === 0);
    const allSame = means.every((x) => x.mean === means[0]!.mean);
    const v = allZero ? 'all zero at every point' : allSame ? 'the same at every point' : best.p.key === worst.p.key ? 'one point only'
      : d.low === null ? 'too few paired runs for an interval'
        : d.low <= 0 && d.high! >= 0 ? `no point differs beyond the 95 % CI (best ${name(best.p)} vs worst ${name(worst.p)})`
          : `${name(best.p)} better than ${name(worst.p)}: ${fmtSigned(d.mean, unit)} [${fmtSigned(d.low, unit)}, ${fmtSigned(d.high, unit)}]`;
    if (!allSame && d.low !== null && !(d.low <= 0 && d.high! >= 0)) answers.push(`${labelOf(path)} is best at ${name(best.p)} (${fmt(best.mean, unit)} against ${fmt(worst.mean, unit)} at ${name(worst.p)}; paired difference ${fmtSigned(d.mean, unit)}, 95 % CI [${fmtSigned(d.low, unit)}, ${fmtSigned(d.high, unit)}])`);
    rows.push(`<tr>${cell(labelOf(path))}${points.map((p) => cell(fmt(r.summary.points[p.key]?.metrics[path]?.mean ?? null, unit))).join('')}${cell(v)}</tr>`);
  }
  const answer = answers.length > 0 ? answers.join('; ') : 'No key metric differs between the best and the worst point beyond the 95 % confidence interval.';
  return `<p class="answer" data-testid="verdict"><b>Answer:</b> ${escapeHtml(answer)}</p>
<table class="summary" data-testid="summary-table"><thead><tr><th>metric (mean over runs) · ${escapeHtml(r.vary.map((v) => v.path).join(' / '))} =</th>${points.map((p) => `<th>${escapeHtml(name(p))}</th>`).join('')}<th>best vs worst point (paired, 95 % CI)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/** The lead section: what was studied, then the answer. `description` is the scenario's own text (escaped here). */
export function studyLead(result: CompareResult | SweepResult, description: string): string {
  return `<section class="lead">
<h2>${escapeHtml(result.scenario)}</h2>
${description ? `<p class="description">${escapeHtml(description)}</p>` : ''}
<p class="options">${escapeHtml(optionsLine(result))}</p>
${result.kind === 'compare' ? compareLead(result) : sweepLead(result)}
</section>`;
}
