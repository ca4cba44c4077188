// `hasim sweep`: a grid over one or two scenario fields (`--vary path=a..b[:step]` or `path=x,y,z`), `runs` seeds per point.
import { formatDuration, InputError, LEADER_GROUPS, parseDuration, type Scenario } from '../scenario/index.ts';
import { forbiddenSegment } from '../scenario/safe-path.ts';
import { scenarioOf, type RunRecord, type VariantSpec } from './record.ts';
import { summarize } from './stats.ts';
import { byVariant, ffText, fmt, STUDY_FORMAT, STUDY_VERSION, summarizeVariant, table, type StudyBase, type VariantSummary } from './study.ts';

export interface Vary {
  path: string;
  /** `list`: values given one by one (strings such as versions, or numbers), each passed to --set as written. */
  kind: 'duration' | 'number' | 'list';
  /** The grid values as --set would write them ("5s", "3", "1.30"). */
  values: string[];
}

export interface SweepPoint {
  key: string;
  /** One value per vary, in vary order. */
  values: string[];
  sets: string[];
  /** Why the point was not run (the scenario it makes is invalid), or null. */
  skipped: string | null;
}

export interface SweepData extends StudyBase {
  kind: 'sweep';
  vary: Vary[];
  points: SweepPoint[];
}

/** A point's N+1 answers over its runs (scenarios with `load.limits` and a fault): where the knee is. */
export interface LoadPointSummary {
  runs: number;
  p99WriteMs: { mean: number | null; p95: number | null };
  rejectedFraction: { mean: number | null; p95: number | null };
  /** Runs whose N+1 verdict held. */
  holds: number;
}

export interface SweepResult extends SweepData {
  summary: { points: Record<string, VariantSummary>; load?: Record<string, LoadPointSummary> };
}

export const MAX_POINTS = 1000;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parse `path=x,y,z`: the values as written, in order (a version, a topology, any --set value). */
function parseList(arg: string): Vary | null {
  const m = /^([^=\s]+)=(.*,.*)$/.exec(arg.trim());
  if (!m || m[2]!.includes('..')) return null;
  const [, path, list] = m as unknown as [string, string, string];
  const fail = (why: string) => new Error(`--vary ${JSON.stringify(arg)}: ${why}`);
  if (path.split('.').some((s) => s === '')) throw fail(`empty field name in path "${path}"`);
  const values = list.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw fail('empty value in the list (expected path=x,y,z)');
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw fail(`${twice} is listed twice`);
  if (values.length > MAX_POINTS) throw fail(`${values.length} points is too many (at most ${MAX_POINTS})`);
  return { path, kind: 'list', values };
}

/**
 * Parse `path=a..b[:step]` or `path=x,y,z`; throws Error with a user-facing message. Without a step: 1 for
 * numbers, 5 equal steps for durations.
 */
export function parseVary(arg: string): Vary {
  const list = parseList(arg);
  if (list) return list;
  const example = 'expected path=a..b[:step] or path=x,y,z, e.g. --vary params.leaderElection.leaseDuration=5s..60s:5s, --vary cluster.masters=3..7 or --vary cluster.versions.kubernetes=1.28,1.32';
  const m = /^([^=\s]+)=(.+?)\.\.([^:]+)(?::([^:]+))?$/.exec(arg.trim());
  if (!m) throw new Error(`--vary ${JSON.stringify(arg)}: ${example}`);
  const [, path, aText, bText, stepText] = m as unknown as [string, string, string, string, string | undefined];
  if (path.split('.').some((s) => s === '')) throw new Error(`--vary ${JSON.stringify(arg)}: empty field name in path "${path}"`);
  const forbidden = forbiddenSegment(path.split('.'));
  if (forbidden !== null) throw new Error(`--vary ${JSON.stringify(arg)}: ${forbidden}`);
  const isNum = NUMBER.test(aText) && NUMBER.test(bText) && (stepText === undefined || NUMBER.test(stepText));
  const fail = (why: string) => new Error(`--vary ${JSON.stringify(arg)}: ${why}`);
  let a: number;
  let b: number;
  let step: number;
  if (isNum) {
    a = Number(aText);
    b = Number(bText);
    step = stepText === undefined ? 1 : Number(stepText);
  } else {
    try {
      a = parseDuration(aText);
      b = parseDuration(bText);
      step = stepText === undefined ? Math.max(1, Math.round((b - a) / 5)) : parseDuration(stepText);
    } catch (err) {
      throw fail(`${(err as Error).message} (the range must be two numbers or two durations; ${example})`);
    }
  }
  if (!(step > 0)) throw fail('the step must be greater than zero');
  if (b < a) throw fail(`the range runs backwards (${aText} > ${bText})`);
  const count = Math.floor((b - a) / step + 1e-9) + 1;
  if (count > MAX_POINTS) throw fail(`${count} points is too many (at most ${MAX_POINTS}); use a larger step`);
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const v = a + i * step;
    values.push(isNum ? String(Math.round(v * 1e9) / 1e9) : formatDuration(Math.round(v)));
  }
  return { path, kind: isNum ? 'number' : 'duration', values };
}

/** The grid (first vary outermost). */
export function sweepPoints(vary: readonly Vary[], sets: readonly string[]): Omit<SweepPoint, 'skipped'>[] {
  let combos: string[][] = [[]];
  for (const v of vary) combos = combos.flatMap((c) => v.values.map((x) => [...c, x]));
  if (combos.length > MAX_POINTS) throw new Error(`the grid has ${combos.length} points (at most ${MAX_POINTS}); use larger steps`);
  return combos.map((values) => {
    const own = vary.map((v, i) => `${v.path}=${values[i]}`);
    return { key: own.join(' '), values, sets: [...sets, ...own] };
  });
}

/** Validate every point: valid points get a scenario, invalid ones a skip message (never a crash). */
export function preparePoints(raw: unknown, file: string, points: readonly Omit<SweepPoint, 'skipped'>[]): { points: SweepPoint[]; scenarios: (Scenario | null)[] } {
  const scenarios: (Scenario | null)[] = [];
  const out = points.map((p) => {
    try {
      scenarios.push(scenarioOf({ key: p.key, raw, sets: p.sets }, file));
      return { ...p, skipped: null };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      scenarios.push(null);
      return { ...p, skipped: err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') };
    }
  });
  return { points: out, scenarios };
}

export function variantsOf(raw: unknown, points: readonly SweepPoint[]): VariantSpec[] {
  return points.map((p) => ({ key: p.key, raw, sets: p.sets }));
}

export function newSweepData(fields: Omit<SweepData, 'format' | 'version' | 'kind'>): SweepData {
  return { format: STUDY_FORMAT, version: STUDY_VERSION, kind: 'sweep', ...fields };
}

export function sweepResult(data: SweepData): SweepResult {
  const groups = byVariant(data.records);
  const points: Record<string, VariantSummary> = {};
  const load: Record<string, LoadPointSummary> = {};
  for (const p of data.points) {
    if (p.skipped !== null) continue;
    const records = groups.get(p.key) ?? ([] as RunRecord[]);
    points[p.key] = summarizeVariant(records);
    const withLoad = records.flatMap((r) => (r.load ? [r.load] : []));
    if (withLoad.length > 0) load[p.key] = loadSummary(withLoad);
  }
  return { ...data, summary: Object.keys(load).length > 0 ? { points, load } : { points } };
}

function loadSummary(runs: readonly NonNullable<RunRecord['load']>[]): LoadPointSummary {
  const meanP95 = (xs: number[]) => {
    const s = summarize(xs);
    return { mean: s.mean, p95: s.p95 };
  };
  return {
    runs: runs.length,
    p99WriteMs: meanP95(runs.map((r) => r.p99WriteMs)),
    rejectedFraction: meanP95(runs.map((r) => r.rejectedFraction)),
    holds: runs.filter((r) => r.holds).length,
  };
}

const SHORT: Record<string, string> = { etcd: 'etcd', 'kube-scheduler': 'sched', 'kube-controller-manager': 'kcm' };

/** Key metrics of a sweep, as (column header, "mean / p95") per point. */
function columns(s: VariantSummary, load: LoadPointSummary | undefined): [string, string][] {
  const pair = (x: { mean: number | null; p95: number | null }, unit: 'fraction' | 'seconds') => `${fmt(x.mean, unit)} / ${fmt(x.p95, unit)}`;
  const cols: [string, string][] = [['apiWrite', pair(s.metrics['availability.apiWrite']!, 'fraction')]];
  if (load) {
    const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)}ms`);
    cols.push(['N+1 p99 write', `${ms(load.p99WriteMs.mean)} / ${ms(load.p99WriteMs.p95)}`]);
    cols.push(['N+1 429s', pair(load.rejectedFraction, 'fraction')]);
    cols.push(['N+1 holds', `${load.holds}/${load.runs}`]);
  }
  for (const g of LEADER_GROUPS) cols.push([`gap ${SHORT[g] ?? g}`, pair(s.gaps[g]!, 'seconds')]);
  for (const g of LEADER_GROUPS) cols.push([`leaderless ${SHORT[g] ?? g}`, pair(s.metrics[`leaders.${g}.leaderlessSeconds`]!, 'seconds')]);
  return cols;
}

export function renderSweep(result: SweepResult): string {
  const out: string[] = [];
  const shard = result.shard ? `, shard ${result.shard.index}/${result.shard.count}` : '';
  const ran = result.points.filter((p) => p.skipped === null).length;
  out.push(`sweep ${result.scenario}: ${result.vary.map((v) => v.path).join(' × ')}, ${result.points.length} points (${ran} run, ${result.points.length - ran} skipped), ${result.seeds.length} runs per point${shard}${ffText(result.fastForward)}`);
  const varyHeads = result.vary.map((v) => v.path.split('.').pop()!);
  let header: string[] | null = null;
  const rows: string[][] = [];
  const skipped: string[] = [];
  for (const p of result.points) {
    if (p.skipped !== null) {
      skipped.push(`  ${p.key}: ${p.skipped}`);
      continue;
    }
    const s = result.summary.points[p.key]!;
    const cols = columns(s, result.summary.load?.[p.key]);
    header ??= [...varyHeads, 'runs', ...cols.map(([h]) => h)];
    rows.push([...p.values, String(s.runs), ...cols.map(([, v]) => v)]);
  }
  if (header) {
    out.push('');
    out.push(table(header, rows, 0));
  }
  if (skipped.length > 0) {
    out.push('');
    out.push('skipped (invalid scenario at this point):');
    out.push(...skipped);
  }
  out.push('');
  out.push('each cell: mean / p95 over the runs; gap = failover gap (pooled over runs), leaderless = seconds without a leader per run; sched = kube-scheduler, kcm = kube-controller-manager');
  if (result.summary.load) out.push("N+1 = the scenario's load.limits verdict after its first fault: p99 write latency, share of answers that were 429, runs in which both stayed under the limits");
  return out.join('\n');
}
