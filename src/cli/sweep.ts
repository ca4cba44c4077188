// `hasim sweep`: parameter sweep over one or two scenario fields (SPEC §1).
import { jobsFor, runJobs } from '../study/pool.ts';
import { canonicalOrder, seedsOf } from '../study/study.ts';
import { newSweepData, parseVary, preparePoints, renderSweep, sweepPoints, sweepResult, variantsOf } from '../study/sweep.ts';
import { parse, UsageError } from './args.ts';
import { htmlReport } from './html.ts';
import { progressBar } from './progress.ts';
import { OutputSet } from './output.ts';
import { oneScenario, rawScenario, runsOption, shardOption, workersOption, STUDY_OPTIONS } from './study-common.ts';
import { terminalSafe, printOut } from './terminal.ts';

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('sweep', argv, {
    vary: { type: 'string', multiple: true },
    ...STUDY_OPTIONS,
  });
  const file = oneScenario('sweep', positionals);
  const varyArgs = values.vary ?? [];
  if (varyArgs.length === 0 || varyArgs.length > 2) {
    throw new UsageError(`hasim sweep: expected one or two --vary path=a..b[:step], got ${varyArgs.length}. See 'hasim sweep --help'.`);
  }
  let vary;
  let grid;
  const sets = values.set ?? [];
  try {
    vary = varyArgs.map(parseVary);
    if (vary.length === 2 && vary[0]!.path === vary[1]!.path) throw new Error(`both --vary options set ${vary[0]!.path}`);
    grid = sweepPoints(vary, sets);
  } catch (err) {
    throw new UsageError(`hasim sweep: ${(err as Error).message}.`);
  }
  const runs = runsOption('sweep', values.runs, 20);
  const workers = workersOption('sweep', values.workers);
  const shard = shardOption('sweep', values.shard);
  const outputs = new OutputSet([values.json, values.html]);

  const raw = rawScenario(file);
  const { points, scenarios } = preparePoints(raw, file, grid);
  const live = scenarios.map((s) => s !== null);
  if (!live.some(Boolean)) {
    const first = points[0]!;
    throw new UsageError(`hasim sweep: ${file}: every point of the grid is an invalid scenario, so nothing would run; at ${first.key}: ${first.skipped}.`);
  }
  const variants = variantsOf(raw, points);
  const fastForward = values['no-fast-forward'] !== true;
  for (const v of variants) v.fastForward = fastForward;
  const seeds = seedsOf(runs, shard);
  const jobs = jobsFor(variants.length, seeds, (v) => !live[v]);
  const name = scenarios.find((s) => s !== null)?.name ?? String((raw as { name?: unknown }).name ?? file);
  const progress = progressBar(terminalSafe(`sweep ${name}`));
  let records;
  try {
    records = await runJobs({ file, workers, jobs, variants, scenarios, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
  const result = sweepResult(newSweepData({
    scenario: name, file, sets: [...sets], fastForward, runs, seeds, shard, vary, points,
    records: canonicalOrder(records, points.map((p) => p.key)),
  }));
  outputs.runSync(() => {
    if (values.json !== undefined) outputs.text(values.json, `${JSON.stringify(result)}\n`);
    if (values.html !== undefined) outputs.text(values.html, htmlReport(result));
  });
  if (!values.quiet && values.json !== '-') printOut(`${renderSweep(result)}\n`);
  const violations = Object.values(result.summary.points).some((s) => s.invariantViolations > 0);
  return violations ? 1 : 0;
}
