// `hasim compare`: the same scenario and seeds under each topology; distributions per topology and paired
// differences of means with 95 % confidence intervals.
import { InputError, LEADER_GROUPS, type Scenario } from '../scenario/index.ts';
import { AVAILABILITY, RUN_METRICS, scenarioOf, type RunRecord, type VariantSpec } from './record.ts';
import { attributionDiffs, renderAttribution, summarizeAttribution, type MechanismDiff, type MechanismSummary } from './attribution.ts';
import { pairedDiff, runsForHalfWidth, type PairedDiff } from './stats.ts';
import {
  ffText, byVariant, fmt, fmtSigned, type Unit, STATS, statCells, STUDY_FORMAT, STUDY_VERSION, summarizeVariant, table, unitOf,
  type StudyBase, type VariantSummary,
} from './study.ts';

export const TOPOLOGIES = ['stacked', 'external'] as const;

export interface CompareData extends StudyBase {
  kind: 'compare';
  topologies: string[];
  notes: string[];
}

export interface CompareDifference {
  /** b − a, paired by seed. */
  a: string;
  b: string;
  metric: string;
  meanA: number | null;
  meanB: number | null;
  diff: PairedDiff;
}

export interface CompareSummary {
  topologies: Record<string, VariantSummary>;
  /** API write downtime per mechanism, per topology. */
  attribution: Record<string, MechanismSummary[]>;
  differences: CompareDifference[];
  /** API write downtime per mechanism, later topology − first, paired by seed. */
  attributionDifferences: MechanismDiff[];
}

export interface CompareResult extends CompareData {
  summary: CompareSummary;
}

/** Metrics whose differences are reported (per-run values; failover gaps as each run's mean gap). */
export const DIFF_METRICS: readonly string[] = RUN_METRICS.filter((p) => !p.includes('.count'));

/**
 * One variant per topology: the raw scenario with `cluster.topology` forced. A stacked cluster has one etcd member
 * per master, so `cluster.etcdMembers` is dropped from stacked runs (and noted).
 */
export function compareVariants(raw: unknown, topologies: readonly string[], sets: readonly string[]): { variants: VariantSpec[]; notes: string[] } {
  const notes: string[] = [];
  const variants = topologies.map((t) => {
    let data = raw;
    if (t === 'stacked') {
      const cluster = (raw as Record<string, unknown>)['cluster'];
      if (cluster !== null && typeof cluster === 'object' && 'etcdMembers' in cluster) {
        const copy = structuredClone(raw) as Record<string, Record<string, unknown>>;
        delete copy['cluster']!['etcdMembers'];
        data = copy;
        notes.push(`cluster.etcdMembers (${String((cluster as Record<string, unknown>)['etcdMembers'])}) is ignored for stacked runs: stacked has one etcd member per master`);
      }
    }
    let own = [...sets];
    if (t === 'stacked' && sets.some((x) => x.startsWith('cluster.etcdMembers='))) {
      // --set cluster.etcdMembers=N sizes the external cluster; stacked has one member per master
      own = sets.filter((x) => !x.startsWith('cluster.etcdMembers='));
      notes.push('--set cluster.etcdMembers is ignored for stacked runs: stacked has one etcd member per master');
    }
    return { key: t, raw: data, sets: [...own, `cluster.topology=${t}`] };
  });
  return { variants, notes };
}

/** Validate each topology's scenario (InputError, naming the topology, when one cannot be built). */
export function compareScenarios(variants: readonly VariantSpec[], file: string): Scenario[] {
  return variants.map((v) => {
    try {
      return scenarioOf(v, file);
    } catch (err) {
      if (err instanceof InputError) {
        throw new InputError(err.file, err.issues.map((i) => ({ ...i, message: `${i.message} (for topology ${v.key})` })));
      }
      throw err;
    }
  });
}

export function summarizeCompare(topologies: readonly string[], records: readonly RunRecord[]): CompareSummary {
  const groups = byVariant(records);
  const summaries: Record<string, VariantSummary> = {};
  const attribution: Record<string, MechanismSummary[]> = {};
  for (const t of topologies) {
    summaries[t] = summarizeVariant(groups.get(t) ?? []);
    attribution[t] = summarizeAttribution(groups.get(t) ?? []);
  }
  const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  const column = (t: string, path: string) => {
    const bySeed = new Map((groups.get(t) ?? []).map((r) => [r.seed, r.values[path] ?? null]));
    return seeds.map((s) => bySeed.get(s) ?? null);
  };
  const differences: CompareDifference[] = [];
  const base = topologies[0];
  if (base !== undefined) {
    for (const other of topologies.slice(1)) {
      for (const metric of DIFF_METRICS) {
        differences.push({
          a: base, b: other, metric,
          meanA: summaries[base]!.metrics[metric]!.mean,
          meanB: summaries[other]!.metrics[metric]!.mean,
          diff: pairedDiff(column(base, metric), column(other, metric)),
        });
      }
    }
  }
  const attributionDifferences = base !== undefined && topologies[1] !== undefined ? attributionDiffs(groups.get(base) ?? [], groups.get(topologies[1]) ?? []) : [];
  return { topologies: summaries, attribution, differences, attributionDifferences };
}

export function compareResult(data: CompareData): CompareResult {
  return { ...data, summary: summarizeCompare(data.topologies, data.records) };
}

export function newCompareData(fields: Omit<CompareData, 'format' | 'version' | 'kind'>): CompareData {
  return { format: STUDY_FORMAT, version: STUDY_VERSION, kind: 'compare', ...fields };
}

function seedText(seeds: readonly number[]): string {
  if (seeds.length === 0) return 'no seeds';
  const contiguous = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  return contiguous ? `seeds ${seeds[0]}..${seeds[seeds.length - 1]}` : `${seeds.length} seeds (${seeds.slice(0, 5).join(', ')}${seeds.length > 5 ? ', …' : ''})`;
}

/** The precision the "runs for" column plans for: ±0.5 pp of availability, ±1 s, ±0.1 of a count. */
export const TARGET_HALF_WIDTH: Record<Unit, number> = { fraction: 0.005, seconds: 1, count: 0.1, nines: 0.1 };

function halfWidthText(unit: Unit): string {
  return unit === 'fraction' ? '±0.5pp' : unit === 'seconds' ? '±1s' : '±0.1';
}

/** The human report: one distribution table per topology, then the paired differences. */
export function renderCompare(result: CompareResult): string {
  const { summary } = result;
  const out: string[] = [];
  const shard = result.shard ? `, shard ${result.shard.index}/${result.shard.count}` : '';
  out.push(`compare ${result.scenario}: ${result.topologies.join(' vs ')}, ${result.seeds.length} runs per topology (${seedText(result.seeds)}${shard})${ffText(result.fastForward)}`);
  for (const n of result.notes) out.push(`note: ${n}`);
  for (const t of result.topologies) {
    const s = summary.topologies[t]!;
    const rows: string[][] = [];
    for (const a of AVAILABILITY) {
      const path = `availability.${a}`;
      rows.push([path, ...statCells(s.metrics[path]!, 'fraction')]);
      rows.push(['  nines', ...STATS.map((k) => (s.nines[path]![k] === null && s.metrics[path]![k] !== null ? '∞' : fmt(s.nines[path]![k], 'nines')))]);
    }
    for (const path of ['downtime.apiWrite.totalSeconds', 'downtime.apiWrite.longestSeconds']) rows.push([path, ...statCells(s.metrics[path]!, 'seconds')]);
    for (const g of LEADER_GROUPS) rows.push([`leaders.${g}.leaderlessSeconds`, ...statCells(s.metrics[`leaders.${g}.leaderlessSeconds`]!, 'seconds')]);
    for (const g of LEADER_GROUPS) rows.push([`failover gap ${g} (${s.gaps[g]!.n} failovers)`, ...statCells(s.gaps[g]!, 'seconds')]);
    rows.push(['nodes.evictions', ...statCells(s.metrics['nodes.evictions']!, 'count')]);
    out.push('');
    const extra = [
      s.invariantViolations > 0 ? `${s.invariantViolations} INVARIANT VIOLATIONS` : '',
      s.truncatedRuns > 0 ? `${s.truncatedRuns} runs truncated (event budget)` : '',
    ].filter(Boolean);
    out.push(`${t} (${s.runs} runs${extra.length ? `; ${extra.join('; ')}` : ''})`);
    out.push(table(['metric', ...STATS], rows));
    const attr = summary.attribution[t] ?? [];
    if (attr.length > 0) {
      out.push('', `${t}: API write downtime by mechanism (seconds per run, 95 % CI over runs; share of the attributed downtime)`);
      out.push(renderAttribution(attr, s.runs));
    }
  }
  if (summary.differences.length > 0) {
    const rows = summary.differences.map((d) => {
      const unit = unitOf(d.metric);
      const ci = d.diff.low === null ? '–' : `[${fmtSigned(d.diff.low, unit)}, ${fmtSigned(d.diff.high, unit)}]`;
      const se = d.diff.se === null ? '–' : fmt(d.diff.se, unit).replace('%', 'pp');
      const need = runsForHalfWidth(d.diff.sd, TARGET_HALF_WIDTH[unit]);
      return [d.metric, fmt(d.meanA, unit), fmt(d.meanB, unit), fmtSigned(d.diff.mean, unit), ci, se, String(d.diff.n), need === null ? '–' : `${need} (${halfWidthText(unit)})`];
    });
    const { a, b } = summary.differences[0]!;
    out.push('');
    out.push(`differences ${b} − ${a} (paired by seed, common random numbers per failure slot; 95 % CI = mean ± 1.96·se, se = sd/√n;`);
    out.push(`gaps as each run's mean gap; "runs for" = runs per topology a 95 % CI of that half-width would need)`);
    out.push(table(['metric', `${a} mean`, `${b} mean`, 'difference', '95% CI', 'paired se', 'pairs', 'runs for'], rows));
  }
  if (summary.attributionDifferences.length > 0) {
    const { a, b } = summary.differences[0]!;
    out.push('', `API write downtime by mechanism, ${b} − ${a} (seconds per run, paired by seed)`);
    out.push(table(['mechanism', 'difference', '95% CI', 'paired se'], summary.attributionDifferences.map((m) => [
      m.mechanism, fmtSigned(m.diff.mean, 'seconds'), m.diff.low === null ? '–' : `[${fmtSigned(m.diff.low, 'seconds')}, ${fmtSigned(m.diff.high, 'seconds')}]`,
      fmt(m.diff.se, 'seconds'),
    ])));
  }
  return out.join('\n');
}
