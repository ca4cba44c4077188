// `hasim check`: every scenario over its seeds — expectations, safety invariants, golden traces — as a pass/fail table.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectFiles, goldenPath, loadAll, notAScenario, readIfExists, variantName, type LoadedScenario } from '../check/files.ts';
import { notAFile, outputFolder, slug, subFolder } from '../check/slug.ts';
import { describeChanges, diffGolden, goldenText, settingsChanged, summariseChanges } from '../check/golden.ts';
import { observationsToKeep } from '../check/keep.ts';
import { junitXml, type JunitCase, type JunitSuite } from '../check/junit.ts';
import { quote, seedsOption, variants, type Variant } from '../check/matrix.ts';
import { failureLines, junitCase, summaryTable, table, type Result, type Row } from '../check/output.ts';
import { shrink, type Failure } from '../check/shrink.ts';
import { evaluateTourOfRun } from '../check/tour.ts';
import { runScenario } from '../cluster/run.ts';
import { evaluate } from '../check/expect.ts';
import type { Report } from '../report/metrics.ts';
import { formatDuration, parseDuration } from '../scenario/index.ts';
import { intOption, parse, UsageError } from './args.ts';
import { memoryBudget } from './budget.ts';
import { checkOutputPath, writeOutputFile } from './output.ts';
import { terminalSafe, printOut, printErr } from './terminal.ts';

interface Options {
  update: boolean;
  goldenDir: string;
  shrinkDir: string;
  shrinkRuns: number;
  failuresOnly: boolean;
  /** Golden lines whose time moved by at most this much (µs) are not changes. */
  toleranceUs: number;
  /** List runs without a golden trace as skipped JUnit cases (default: left out). */
  junitMissing: boolean;
  seeds?: number[];
}

function options(argv: string[]): { paths: string[]; junit?: string; opts: Options; variants: Variant[] } {
  const { values, positionals } = parse('check', argv, {
    junit: { type: 'string' },
    update: { type: 'boolean' },
    'golden-dir': { type: 'string' },
    'shrink-dir': { type: 'string' },
    'shrink-runs': { type: 'string' },
    topology: { type: 'string' },
    set: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    'failures-only': { type: 'boolean' },
    'junit-missing-goldens': { type: 'boolean' },
    'golden-tolerance': { type: 'string' },
  });
  if (positionals.length === 0) {
    throw new UsageError("hasim check: expected scenario files or directories, e.g. 'hasim check scenarios/'. See 'hasim check --help'.");
  }
  const matrix = variants(values.topology, values.set ?? []);
  if (typeof matrix === 'string') throw new UsageError(`hasim check: ${matrix}.`);
  const seeds = seedsOption(values.seeds);
  if (typeof seeds === 'string') throw new UsageError(`hasim check: ${seeds}.`);
  const opts: Options = {
    update: values.update === true,
    goldenDir: values['golden-dir'] ?? join('test', 'golden'),
    shrinkDir: values['shrink-dir'] ?? 'hasim-shrunk',
    shrinkRuns: intOption('check', 'shrink-runs', values['shrink-runs'], 100_000, 'each is a whole run') ?? 200,
    failuresOnly: values['failures-only'] === true,
    toleranceUs: toleranceOption(values['golden-tolerance']),
    junitMissing: values['junit-missing-goldens'] === true,
    seeds,
  };
  return { paths: positionals, junit: values.junit, opts, variants: matrix };
}

function toleranceOption(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseDuration(text);
  } catch (err) {
    throw new UsageError(`hasim check: --golden-tolerance: ${(err as Error).message}.`);
  }
}

const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${terminalSafe(text)}`);
};

/** `hasim run <file> --seed N [--topology …] [--set …]`: the command that reproduces one run. */
function reproduce(s: LoadedScenario, seed: number): string {
  return ['hasim run', quote(s.file), '--seed', String(seed), ...s.variant.runArgs].join(' ');
}

/** What a run's golden folder is named after (slugged by goldenPath): the scenario's name, with its variant. */
function goldenKey(s: LoadedScenario): string {
  return s.variant.label === '' ? s.scenario.name : `${s.scenario.name}@${s.variant.label}`;
}

/** Compare (or with --update, write) the golden trace of one run. */
function golden(s: LoadedScenario, seed: number, report: Report, opts: Options): Row {
  const name = variantName(s);
  const path = goldenPath(opts.goldenDir, goldenKey(s), seed);
  const text = goldenText(report, s.scenario);
  const before = readIfExists(path);
  const row = { scenario: name, seed, assertion: 'golden trace', bound: path, numeric: null };
  const changes = before === null ? [] : diffGolden(before, text, opts.toleranceUs);
  const settings = before === null ? [] : settingsChanged(before, text);
  const why = settings.length === 0 ? [] : [`settings changed: ${settings.join('; ')}`];
  if (opts.update) {
    if (before === text) return { ...row, value: 'unchanged', result: 'PASS' };
    if (before !== null && changes.length === 0 && opts.toleranceUs > 0) return { ...row, value: `within ${formatDuration(opts.toleranceUs)}`, result: 'PASS' };
    outputFolder('--golden-dir', opts.goldenDir);
    subFolder(opts.goldenDir, slug(goldenKey(s)));
    writeOutputFile(path, text);
    if (before === null) return { ...row, value: 'written (new)', result: 'UPDATED' };
    const what = changes.length === 0 ? 'comments only' : summariseChanges(changes);
    return { ...row, value: `rewritten (${what})`, result: 'UPDATED', details: [...why, ...describeChanges(changes)] };
  }
  if (before === null) return { ...row, value: 'no golden trace (run with --update)', result: 'SKIP' };
  if (changes.length === 0) return { ...row, value: 'matches', result: 'PASS' };
  return { ...row, value: summariseChanges(changes), result: 'FAIL', details: [...why, ...describeChanges(changes)] };
}

/** Shrink the first failing seed of a scenario with random faults; returns the lines to print. */
function shrinkFailure(s: LoadedScenario, seed: number, observations: Parameters<typeof shrink>[0]['observations'], failure: Failure, opts: Options): string[] {
  const name = `${variantName(s)} seed ${seed}`;
  if (!s.scenario.faults.some((f) => f.verb === 'random')) return [`${name}: not shrunk — only random failures are shrunk, and this scenario's faults are all explicit`];
  if (opts.shrinkRuns === 0) return [`${name}: not shrunk — --shrink-runs 0`];
  progress(`shrinking ${name}…`);
  const r = shrink({ raw: s.raw, scenario: s.scenario, seed, observations, failure, maxRuns: opts.shrinkRuns });
  if (!r.reproduced || r.yaml === null) {
    return [`${name}: not shrunk — with its ${r.drawn} random failures made explicit, the run no longer fails`];
  }
  const path = join(opts.shrinkDir, `${slug(r.name)}.yaml`);
  outputFolder('--shrink-dir', opts.shrinkDir);
  writeOutputFile(path, r.yaml);
  return [`${name}: shrunk to ${r.kept} of ${r.drawn} random failures (${r.runs} runs) → ${path}`];
}

/** Every seed of one scenario: rows for the table and cases for JUnit. */
function checkScenario(s: LoadedScenario, opts: Options, notes: string[], step: () => string): { rows: Row[]; cases: JunitCase[] } {
  const rows: Row[] = [];
  const cases: JunitCase[] = [];
  let shrunk: number | null = null;
  const name = variantName(s);
  for (const seed of opts.seeds ?? s.scenario.seeds) {
    progress(`${step()} ${name} seed ${seed}`);
    const t0 = performance.now();
    const { report, run } = runScenario(s.scenario, { seed, keepObservations: observationsToKeep(s.scenario), stopCheck: memoryBudget() });
    const observations = run.sim.trace.observations;
    const results = evaluate(report, s.scenario.expect, observations, s.scenario.params.probe.interval);
    const seconds = (performance.now() - t0) / 1000;
    const again = reproduce(s, seed);
    const seedRows: Row[] = results.map((r) => ({
      scenario: name, seed, assertion: r.subject, bound: r.bound, value: r.note ? `${r.shown} (${r.note})` : r.shown,
      numeric: r.value, result: r.pass ? 'PASS' : 'FAIL', reproduce: r.pass ? undefined : again,
    }));
    const violations = report.invariants.violations;
    seedRows.push({
      scenario: name, seed, assertion: 'safety invariants', bound: 'no violation', numeric: violations.length,
      value: violations.length === 0 ? 'all held' : `${violations.length} violated: ${violations[0]}`, result: violations.length === 0 ? 'PASS' : 'FAIL',
      reproduce: violations.length === 0 ? undefined : again,
    });
    if (s.scenario.tour.length > 0) {
      const tour = evaluateTourOfRun(s.scenario.tour, report, observations);
      seedRows.push({ scenario: name, seed, assertion: 'tour', bound: 'every step anchored, in order', value: tour.shown, numeric: null, result: tour.pass ? 'PASS' : 'FAIL', reproduce: tour.pass ? undefined : again });
    }
    if (report.truncated) notes.push(`${name} seed ${seed}: WARNING: the run stopped early: ${report.truncatedReason ?? 'it hit its event budget'}`);
    seedRows.push(golden(s, seed, report, opts));
    const failed = results.find((r) => !r.pass);
    if (failed || violations.length > 0) {
      if (shrunk === null) notes.push(...shrinkFailure(s, seed, observations, failed ? { expect: failed.index } : 'invariants', opts));
      else notes.push(`${name} seed ${seed}: also failed; not shrunk — only the first failing seed of a scenario is (shrink it with --seeds ${seed})`);
      shrunk ??= seed;
    }
    for (const row of seedRows) {
      if (row.result === 'SKIP' && !opts.junitMissing) continue;
      cases.push(junitCase(row, row === seedRows[0] ? seconds : 0));
    }
    rows.push(...seedRows);
  }
  return { rows, cases };
}

function summary(rows: Row[], scenarios: number, runs: number): string {
  const count = (r: Result): number => rows.filter((x) => x.result === r).length;
  const parts = [`${count('PASS')} passed`, `${count('FAIL')} failed`];
  if (count('SKIP') > 0) parts.push(`${count('SKIP')} without golden trace (not judged; 'hasim check --update' writes them)`);
  if (count('UPDATED') > 0) parts.push(`${count('UPDATED')} golden traces written`);
  return `${scenarios} scenario${scenarios === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function checkCommand(argv: string[]): number {
  const { paths, junit, opts, variants: matrix } = options(argv);
  if (junit !== undefined && junit !== '-') {
    outputFolder('--junit', dirname(junit));
    checkOutputPath(junit);
  }
  notAFile('--golden-dir', opts.goldenDir);
  notAFile('--shrink-dir', opts.shrinkDir);
  const collected = collectFiles(paths);
  const skipped = collected.files.filter((f) => collected.walked.has(f) && notAScenario(f));
  const { loaded, errors } = loadAll(collected.files.filter((f) => !skipped.includes(f)), matrix);
  const bad = [...collected.errors, ...errors];
  if (bad.length > 0) {
    printErr(`${bad.map((e) => e.message).join('\n')}\nhasim check: ${bad.length} bad input${bad.length === 1 ? '' : 's'}; nothing was run.\n`);
    return 2;
  }
  const runs = loaded.reduce((n, s) => n + (opts.seeds ?? s.scenario.seeds).length, 0);
  let done = 0;
  const rows: Row[] = [];
  const suites: JunitSuite[] = [];
  const notes: string[] = skipped.map((f) => `${f}: skipped — not a scenario (no name or duration at the top level)`);
  for (const s of loaded) {
    const r = checkScenario(s, opts, notes, () => `[${++done}/${runs}]`);
    rows.push(...r.rows);
    suites.push({ name: variantName(s), file: s.file, cases: r.cases });
  }
  progress('');
  const shown = rows.filter((r) => (opts.failuresOnly ? r.result === 'FAIL' : r.result !== 'SKIP'));
  const out = shown.length > 0 ? [table(shown)] : [opts.failuresOnly ? 'No failures.' : 'Nothing judged.'];
  for (const r of rows) {
    if (!r.details || r.details.length === 0 || (opts.failuresOnly && r.result !== 'FAIL')) continue;
    out.push('', `${r.scenario} seed ${r.seed}: golden trace ${r.result === 'FAIL' ? 'differs from' : 'rewrote'} ${r.bound}:`, ...r.details.map((d) => `  ${d}`));
  }
  const failures = failureLines(rows);
  if (failures.length > 0) out.push('', ...failures);
  if (notes.length > 0) out.push('', ...notes);
  out.push('', 'Summary over seeds', summaryTable(rows));
  out.push('', summary(rows, loaded.length, runs));
  printOut(`${out.join('\n')}\n`);
  if (junit !== undefined) writeOutputFile(junit, junitXml(suites));
  return rows.some((r) => r.result === 'FAIL') ? 1 : 0;
}
