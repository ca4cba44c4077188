// `hasim check` output: the rows of the table, the per-scenario summary over seeds, failure details, JUnit cases.
import type { JunitCase } from './junit.ts';

export type Result = 'PASS' | 'FAIL' | 'SKIP' | 'UPDATED';

export interface Row {
  /** Scenario name with its matrix variant: `master-power-off [external]`. */
  scenario: string;
  seed: number;
  assertion: string;
  bound: string;
  value: string;
  /** The checked number (a metric, eventually's delay, the longest stretch of a `for:` form), for the summary. */
  numeric: number | null;
  result: Result;
  /** Lines printed under the table (golden diffs). */
  details?: string[];
  /** `hasim run … --seed N`, on failures. */
  reproduce?: string;
}

export function table(rows: readonly Row[]): string {
  const cells = [['scenario', 'seed', 'assertion', 'bound', 'value', 'result'], ...rows.map((r) => [r.scenario, String(r.seed), r.assertion, r.bound, r.value, r.result])];
  const widths = cells[0]!.map((_, i) => Math.min(60, Math.max(...cells.map((c) => c[i]!.length))));
  return cells.map((c) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ')).join('\n');
}

const num = (x: number): string => String(Math.round(x * 1000) / 1000);

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One line per scenario (variant) and assertion over its seeds: how many passed, and min / median / max of the
 * checked value where there is one. Golden traces are left out.
 */
export function summaryTable(rows: readonly Row[]): string {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    // Golden traces have no value to sum up; their failures are listed with the diff.
    if (r.result === 'SKIP' || r.assertion === 'golden trace') continue;
    const key = `${r.scenario}\u0000${r.assertion}\u0000${r.bound}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const cells = [['scenario', 'assertion', 'bound', 'passed', 'min', 'median', 'max']];
  for (const list of groups.values()) {
    const first = list[0]!;
    const values = list.map((r) => r.numeric).filter((x): x is number => x !== null).sort((a, b) => a - b);
    const passed = list.filter((r) => r.result !== 'FAIL').length;
    const stats = values.length === 0 ? ['', '', ''] : [num(values[0]!), num(median(values)), num(values[values.length - 1]!)];
    cells.push([first.scenario, first.assertion, first.bound, `${passed}/${list.length}`, ...stats]);
  }
  const widths = cells[0]!.map((_, i) => Math.min(60, Math.max(...cells.map((c) => c[i]!.length))));
  return cells.map((c) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** Failure text: the assertion and its bound, what happened when, and the command that reproduces the seed. */
export function failureLines(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.result !== 'FAIL') continue;
    out.push(`FAIL ${r.scenario} seed ${r.seed}: ${r.assertion}${r.bound ? ` ${r.bound}` : ''} — got ${r.value}`);
    if (r.reproduce) out.push(`  reproduce: ${r.reproduce}`);
  }
  return out;
}

/** The JUnit case of a row: name with the seed, message with the bound and the value, body with the reproduce line. */
export function junitCase(r: Row, seconds: number): JunitCase {
  const bound = r.bound ? ` ${r.bound}` : '';
  return {
    name: `seed ${r.seed}: ${r.assertion}${bound}`,
    pass: r.result !== 'FAIL',
    skipped: r.result === 'SKIP',
    message: r.result === 'FAIL' ? `expected ${r.assertion}${bound}, got ${r.value}` : r.result === 'SKIP' ? r.value : undefined,
    body: [...(r.details ?? []), ...(r.reproduce ? [`reproduce: ${r.reproduce}`] : [])].join('\n') || undefined,
    seconds,
  };
}
