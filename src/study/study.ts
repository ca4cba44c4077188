// What compare and sweep share: the study file format (the JSON that --json writes and merge reads), shards,
// seeds, per-variant summaries and plain-text tables.
import { LEADER_GROUPS } from '../scenario/index.ts';
import { AVAILABILITY, RUN_METRICS, type RunRecord } from './record.ts';
import { ninesSummary, summarize, type Summary } from './stats.ts';

export const STUDY_FORMAT = 'hasim-study';
export const STUDY_VERSION = 1;

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface StudyBase {
  format: typeof STUDY_FORMAT;
  version: typeof STUDY_VERSION;
  scenario: string;
  file: string;
  /** User --set overrides applied to every run. */
  sets: string[];
  /** Runs skipped steady state (SPEC §6). Absent in files written before it existed: false. */
  fastForward?: boolean;
  /** Runs per variant of the whole study (seeds 1..runs). */
  runs: number;
  /** The seeds this file holds (all of 1..runs, or one shard's). */
  seeds: number[];
  shard: Shard | null;
  /** Per run raw values, seed-major then variant order. */
  records: RunRecord[];
}

export interface VariantSummary {
  runs: number;
  metrics: Record<string, Summary>;
  /** availability.<x> as nines. */
  nines: Record<string, Summary>;
  /** Failover gap seconds per leader group, pooled over runs. */
  gaps: Record<string, Summary>;
  invariantViolations: number;
  truncatedRuns: number;
}

/** "i/n" → shard; seeds s with (s − 1) % n == i − 1. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return null;
  if (m[1]!.length > 9 || m[2]!.length > 9) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return null;
  return { index, count };
}

export function seedsOf(runs: number, shard: Shard | null): number[] {
  const seeds: number[] = [];
  for (let s = 1; s <= runs; s++) if (shard === null || (s - 1) % shard.count === shard.index - 1) seeds.push(s);
  return seeds;
}

export function summarizeVariant(records: readonly RunRecord[]): VariantSummary {
  const sorted = [...records].sort((a, b) => a.seed - b.seed);
  const metrics: Record<string, Summary> = {};
  for (const path of RUN_METRICS) metrics[path] = summarize(sorted.map((r) => r.values[path] ?? null));
  const nines: Record<string, Summary> = {};
  for (const a of AVAILABILITY) nines[`availability.${a}`] = ninesSummary(metrics[`availability.${a}`]!);
  const gaps: Record<string, Summary> = {};
  for (const g of LEADER_GROUPS) gaps[g] = summarize(sorted.flatMap((r) => r.gaps[g] ?? []));
  return {
    runs: sorted.length,
    metrics,
    nines,
    gaps,
    invariantViolations: sorted.reduce((n, r) => n + r.invariantViolations, 0),
    truncatedRuns: sorted.filter((r) => r.truncated).length,
  };
}

/** Records grouped by variant key, each ordered by seed. */
export function byVariant(records: readonly RunRecord[]): Map<string, RunRecord[]> {
  const out = new Map<string, RunRecord[]>();
  for (const r of records) {
    const list = out.get(r.variant) ?? [];
    list.push(r);
    out.set(r.variant, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.seed - b.seed);
  return out;
}

/** Records in canonical order: by seed, then by the variants' order. */
export function canonicalOrder(records: readonly RunRecord[], variantOrder: readonly string[]): RunRecord[] {
  const rank = new Map(variantOrder.map((k, i) => [k, i]));
  return [...records].sort((a, b) => a.seed - b.seed || (rank.get(a.variant) ?? 0) - (rank.get(b.variant) ?? 0));
}

// ---- text tables ----

export function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export type Unit = 'fraction' | 'seconds' | 'count' | 'nines';

export function unitOf(path: string): Unit {
  if (path.startsWith('availability.')) return 'fraction';
  if (path.endsWith('Seconds')) return 'seconds';
  return 'count';
}

/** How the runs treated steady state, for the first line of a study's table. */
export function ffText(fastForward: boolean | undefined): string {
  return fastForward ? ', fast-forward through steady state' : ', every event in detail';
}

export function fmt(x: number | null, unit: Unit): string {
  if (x === null) return '–';
  switch (unit) {
    case 'fraction':
      return `${(x * 100).toFixed(4)}%`;
    case 'seconds':
      return `${x.toFixed(2)}s`;
    case 'nines':
      return x.toFixed(2);
    default:
      return Number.isInteger(x) ? String(x) : x.toFixed(2);
  }
}

/** A signed difference (for the differences table). */
export function fmtSigned(x: number | null, unit: Unit): string {
  if (x === null) return '–';
  const body = unit === 'fraction' ? `${(Math.abs(x) * 100).toFixed(4)}pp` : fmt(Math.abs(x), unit);
  return `${x < 0 ? '−' : '+'}${body}`;
}

export const STATS = ['mean', 'p50', 'p95', 'p99', 'min', 'max'] as const;

export function statCells(s: Summary, unit: Unit): string[] {
  return STATS.map((k) => fmt(s[k], unit));
}
