// `hasim check`: every scenario over its seeds — expectations, safety invariants, golden traces — as a pass/fail table.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectFiles, goldenPath, loadAll, readIfExists, type LoadedScenario } from '../check/files.ts';
import { notAFile, outputFolder, slug, subFolder } from '../check/slug.ts';
import { describeChanges, diffGolden, goldenText } from '../check/golden.ts';
import { observationsToKeep } from '../check/keep.ts';
import { junitXml, type JunitCase, type JunitSuite } from '../check/junit.ts';
import { shrink, type Failure } from '../check/shrink.ts';
import { runScenario } from '../cluster/run.ts';
import { evaluate } from '../report/expect.ts';
import { intOption, parse, UsageError } from './args.ts';
import { checkOutputPath, writeOutputFile } from './output.ts';
import { terminalSafe, printOut, printErr } from './terminal.ts';

type Result = 'PASS' | 'FAIL' | 'SKIP' | 'UPDATED';

interface Row {
  scenario: string;
  seed: number;
  assertion: string;
  bound: string;
  value: string;
  result: Result;
  /** Lines printed under the table (golden diffs). */
  details?: string[];
}

interface Options {
  update: boolean;
  goldenDir: string;
  shrinkDir: string;
  shrinkRuns: number;
}

function options(argv: string[]): { paths: string[]; junit?: string; opts: Options } {
  const { values, positionals } = parse('check', argv, {
    junit: { type: 'string' },
    update: { type: 'boolean' },
    'golden-dir': { type: 'string' },
    'shrink-dir': { type: 'string' },
    'shrink-runs': { type: 'string' },
  });
  if (positionals.length === 0) {
    throw new UsageError("hasim check: expected scenario files or directories, e.g. 'hasim check scenarios/'. See 'hasim check --help'.");
  }
  const opts: Options = {
    update: values.update === true,
    goldenDir: values['golden-dir'] ?? join('test', 'golden'),
    shrinkDir: values['shrink-dir'] ?? 'hasim-shrunk',
    shrinkRuns: intOption('check', 'shrink-runs', values['shrink-runs'], 100_000, 'each is a whole run') ?? 200,
  };
  return { paths: positionals, junit: values.junit, opts };
}

const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${terminalSafe(text)}`);
};

/** Compare (or with --update, write) the golden trace of one run. */
function golden(s: LoadedScenario, seed: number, text: string, opts: Options): Row {
  const path = goldenPath(opts.goldenDir, s.scenario.name, seed);
  const before = readIfExists(path);
  const row = { scenario: s.scenario.name, seed, assertion: 'golden trace', bound: path };
  const changes = before === null ? [] : diffGolden(before, text);
  if (opts.update) {
    if (before === text) return { ...row, value: 'unchanged', result: 'PASS' };
    outputFolder('--golden-dir', opts.goldenDir);
    subFolder(opts.goldenDir, slug(s.scenario.name));
    writeOutputFile(path, text);
    if (before === null) return { ...row, value: 'written (new)', result: 'UPDATED' };
    const what = changes.length === 0 ? 'comments only' : `${changes.length} change${changes.length === 1 ? '' : 's'}`;
    return { ...row, value: `rewritten (${what})`, result: 'UPDATED', details: describeChanges(changes) };
  }
  if (before === null) return { ...row, value: 'no golden trace (run with --update)', result: 'SKIP' };
  if (changes.length === 0) return { ...row, value: 'matches', result: 'PASS' };
  return { ...row, value: `${changes.length} change${changes.length === 1 ? '' : 's'}`, result: 'FAIL', details: describeChanges(changes) };
}

/** Shrink the first failing seed of a scenario with random faults; returns the lines to print. */
function shrinkFailure(s: LoadedScenario, seed: number, observations: Parameters<typeof shrink>[0]['observations'], failure: Failure, opts: Options): string[] {
  if (opts.shrinkRuns === 0 || !s.scenario.faults.some((f) => f.verb === 'random')) return [];
  progress(`shrinking ${s.scenario.name} seed ${seed}…`);
  const r = shrink({ raw: s.raw, scenario: s.scenario, seed, observations, failure, maxRuns: opts.shrinkRuns });
  if (!r.reproduced || r.yaml === null) {
    return [`${s.scenario.name} seed ${seed}: not shrunk — with its ${r.drawn} random failures made explicit, the run no longer fails`];
  }
  const path = join(opts.shrinkDir, `${slug(s.scenario.name)}-shrunk-seed${seed}.yaml`);
  outputFolder('--shrink-dir', opts.shrinkDir);
  writeOutputFile(path, r.yaml);
  return [`${s.scenario.name} seed ${seed}: shrunk to ${r.kept} of ${r.drawn} random failures (${r.runs} runs) → ${path}`];
}

/** Every seed of one scenario: rows for the table and cases for JUnit. */
function checkScenario(s: LoadedScenario, opts: Options, notes: string[], step: () => string): { rows: Row[]; cases: JunitCase[] } {
  const rows: Row[] = [];
  const cases: JunitCase[] = [];
  let shrunk = false;
  for (const seed of s.scenario.seeds) {
    progress(`${step()} ${s.scenario.name} seed ${seed}`);
    const t0 = performance.now();
    const { report, run } = runScenario(s.scenario, { seed, keepObservations: observationsToKeep(s.scenario) });
    const observations = run.sim.trace.observations;
    const results = evaluate(report, s.scenario.expect, observations);
    const seconds = (performance.now() - t0) / 1000;
    const seedRows: Row[] = results.map((r) => ({
      scenario: s.scenario.name, seed, assertion: r.subject, bound: r.bound, value: r.note ? `${r.shown} (${r.note})` : r.shown, result: r.pass ? 'PASS' : 'FAIL',
    }));
    const violations = report.invariants.violations;
    seedRows.push({
      scenario: s.scenario.name, seed, assertion: 'safety invariants', bound: 'no violation',
      value: violations.length === 0 ? 'all held' : `${violations.length} violated: ${violations[0]}`, result: violations.length === 0 ? 'PASS' : 'FAIL',
    });
    if (report.truncated) notes.push(`${s.scenario.name} seed ${seed}: WARNING: the run hit its event budget and stopped early`);
    seedRows.push(golden(s, seed, goldenText(report), opts));
    const failed = results.find((r) => !r.pass);
    if (!shrunk && (failed || violations.length > 0)) {
      shrunk = true;
      notes.push(...shrinkFailure(s, seed, observations, failed ? { expect: failed.index } : 'invariants', opts));
    }
    for (const row of seedRows) {
      cases.push({
        name: `seed ${seed}: ${row.assertion}${row.bound ? ` ${row.bound}` : ''}`,
        pass: row.result !== 'FAIL',
        skipped: row.result === 'SKIP',
        message: row.result === 'FAIL' ? `got ${row.value}` : row.result === 'SKIP' ? row.value : undefined,
        body: row.details?.join('\n'),
        seconds: row === seedRows[0] ? seconds : 0,
      });
    }
    rows.push(...seedRows);
  }
  return { rows, cases };
}

function table(rows: Row[]): string {
  const cells = [['scenario', 'seed', 'assertion', 'bound', 'value', 'result'], ...rows.map((r) => [r.scenario, String(r.seed), r.assertion, r.bound, r.value, r.result])];
  const widths = cells[0]!.map((_, i) => Math.min(60, Math.max(...cells.map((c) => c[i]!.length))));
  return cells.map((c) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ')).join('\n');
}

function summary(rows: Row[], scenarios: number, runs: number): string {
  const count = (r: Result): number => rows.filter((x) => x.result === r).length;
  const parts = [`${count('PASS')} passed`, `${count('FAIL')} failed`];
  if (count('SKIP') > 0) parts.push(`${count('SKIP')} without golden trace`);
  if (count('UPDATED') > 0) parts.push(`${count('UPDATED')} golden traces written`);
  return `${scenarios} scenario${scenarios === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function checkCommand(argv: string[]): number {
  const { paths, junit, opts } = options(argv);
  if (junit !== undefined && junit !== '-') {
    outputFolder('--junit', dirname(junit));
    checkOutputPath(junit);
  }
  notAFile('--golden-dir', opts.goldenDir);
  notAFile('--shrink-dir', opts.shrinkDir);
  const collected = collectFiles(paths);
  const { loaded, errors } = loadAll(collected.files);
  const bad = [...collected.errors, ...errors];
  if (bad.length > 0) {
    printErr(`${bad.map((e) => e.message).join('\n')}\nhasim check: ${bad.length} bad input${bad.length === 1 ? '' : 's'}; nothing was run.\n`);
    return 2;
  }
  const runs = loaded.reduce((n, s) => n + s.scenario.seeds.length, 0);
  let done = 0;
  const rows: Row[] = [];
  const suites: JunitSuite[] = [];
  const notes: string[] = [];
  for (const s of loaded) {
    const r = checkScenario(s, opts, notes, () => `[${++done}/${runs}]`);
    rows.push(...r.rows);
    suites.push({ name: s.scenario.name, file: s.file, cases: r.cases });
  }
  progress('');
  const out = [table(rows)];
  for (const r of rows) {
    if (!r.details || r.details.length === 0) continue;
    out.push('', `${r.scenario} seed ${r.seed}: golden trace ${r.result === 'FAIL' ? 'differs from' : 'rewrote'} ${r.bound}:`, ...r.details.map((d) => `  ${d}`));
  }
  if (notes.length > 0) out.push('', ...notes);
  out.push('', summary(rows, loaded.length, runs));
  printOut(`${out.join('\n')}\n`);
  if (junit !== undefined) writeOutputFile(junit, junitXml(suites));
  return rows.some((r) => r.result === 'FAIL') ? 1 : 0;
}
