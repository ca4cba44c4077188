// API write downtime per mechanism across a study's runs: seconds per run with a 95 % CI, and share of the downtime.
import type { RunRecord } from './record.ts';
import { pairedDiff, summarize, type PairedDiff } from './stats.ts';
import { fmt, table } from './study.ts';

export interface MechanismSummary {
  mechanism: string;
  /** Mean seconds of API write downtime per run attributed to this mechanism (runs without it count 0). */
  meanSeconds: number;
  /** 95 % CI of that mean: mean ± 1.96·sd/√n over runs. */
  low: number | null;
  high: number | null;
  /** Share of the variant's total attributed API write downtime. */
  share: number;
  /** Runs in which the mechanism caused any downtime. */
  runs: number;
}

/** Per mechanism, over the runs of one variant (records that predate attribution are skipped). */
export function summarizeAttribution(records: readonly RunRecord[]): MechanismSummary[] {
  const withData = records.filter((r) => r.attribution !== undefined);
  const names = [...new Set(withData.flatMap((r) => Object.keys(r.attribution!)))].sort();
  const totalMean = withData.length === 0 ? 0 : withData.reduce((s, r) => s + Object.values(r.attribution!).reduce((a, b) => a + b, 0), 0) / withData.length;
  const out = names.map((mechanism) => {
    const xs = withData.map((r) => r.attribution![mechanism] ?? 0);
    const s = summarize(xs);
    const sd = xs.length < 2 ? null : Math.sqrt(xs.reduce((acc, x) => acc + (x - s.mean!) ** 2, 0) / (xs.length - 1));
    const half = sd === null ? null : (1.96 * sd) / Math.sqrt(xs.length);
    return {
      mechanism, meanSeconds: s.mean ?? 0, low: half === null ? null : s.mean! - half, high: half === null ? null : s.mean! + half,
      share: totalMean > 0 ? (s.mean ?? 0) / totalMean : 0, runs: xs.filter((x) => x > 0).length,
    };
  });
  return out.sort((a, b) => b.meanSeconds - a.meanSeconds || a.mechanism.localeCompare(b.mechanism));
}

/** The text table `compare` prints per topology. */
export function renderAttribution(rows: readonly MechanismSummary[], runs: number): string {
  return table(['mechanism', 's per run', '95% CI', 'share', 'runs with it'], rows.map((m) => [
    m.mechanism, fmt(m.meanSeconds, 'seconds'), m.low === null ? '–' : `[${fmt(m.low, 'seconds')}, ${fmt(m.high, 'seconds')}]`,
    `${(m.share * 100).toFixed(1)}%`, `${m.runs}/${runs}`,
  ]));
}

export interface MechanismDiff {
  mechanism: string;
  /** b − a of the seconds per run, paired by seed. */
  diff: PairedDiff;
}

/** Paired differences per mechanism between two variants' runs (same seeds; a run without the mechanism counts 0). */
export function attributionDiffs(a: readonly RunRecord[], b: readonly RunRecord[]): MechanismDiff[] {
  const bySeed = new Map(b.filter((r) => r.attribution).map((r) => [r.seed, r.attribution!]));
  const pairs = a.filter((r) => r.attribution && bySeed.has(r.seed)).map((r) => [r.attribution!, bySeed.get(r.seed)!] as const);
  const names = [...new Set(pairs.flatMap(([x, y]) => [...Object.keys(x), ...Object.keys(y)]))].sort();
  return names.map((mechanism) => ({
    mechanism,
    diff: pairedDiff(pairs.map(([x]) => x[mechanism] ?? 0), pairs.map(([, y]) => y[mechanism] ?? 0)),
  }));
}
