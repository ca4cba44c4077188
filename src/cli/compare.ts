// `hasim compare`: Monte Carlo comparison of topologies (SPEC §1).
import { runJobs, jobsFor } from '../study/pool.ts';
import { compareResult, compareScenarios, compareVariants, newCompareData, renderCompare, TOPOLOGIES } from '../study/compare.ts';
import { canonicalOrder, seedsOf } from '../study/study.ts';
import { parse, UsageError } from './args.ts';
import { htmlReport } from './html.ts';
import { progressBar } from './progress.ts';
import { OutputSet } from './output.ts';
import { oneScenario, rawScenario, runsOption, shardOption, workersOption, STUDY_OPTIONS } from './study-common.ts';
import { terminalSafe, printOut } from './terminal.ts';

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('compare', argv, {
    topologies: { type: 'string' },
    ...STUDY_OPTIONS,
  });
  const file = oneScenario('compare', positionals);
  const topologies = (values.topologies ?? TOPOLOGIES.join(',')).split(',').map((t) => t.trim());
  for (const t of topologies) {
    if (!(TOPOLOGIES as readonly string[]).includes(t)) {
      throw new UsageError(`hasim compare: unknown topology "${t}" in --topologies; expected a comma-separated list of ${TOPOLOGIES.join(', ')}.`);
    }
  }
  if (new Set(topologies).size !== topologies.length) throw new UsageError(`hasim compare: --topologies lists a topology twice: ${topologies.join(',')}.`);
  const runs = runsOption('compare', values.runs, 100);
  const workers = workersOption('compare', values.workers);
  const shard = shardOption('compare', values.shard);
  const sets = values.set ?? [];
  const outputs = new OutputSet([values.json, values.html]);

  const raw = rawScenario(file);
  const { variants, notes } = compareVariants(raw, topologies, sets);
  const fastForward = values['no-fast-forward'] !== true;
  for (const v of variants) v.fastForward = fastForward;
  const scenarios = compareScenarios(variants, file);
  const seeds = seedsOf(runs, shard);
  const progress = progressBar(terminalSafe(`compare ${scenarios[0]!.name}`));
  let records;
  try {
    records = await runJobs({ file, variants, scenarios, jobs: jobsFor(variants.length, seeds), workers, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
  const result = compareResult(newCompareData({
    scenario: scenarios[0]!.name, file, sets: [...sets], fastForward, runs, seeds, shard, topologies, notes,
    records: canonicalOrder(records, topologies),
  }));
  outputs.runSync(() => {
    if (values.json !== undefined) outputs.text(values.json, `${JSON.stringify(result)}\n`);
    if (values.html !== undefined) outputs.text(values.html, htmlReport(result));
  });
  if (!values.quiet && values.json !== '-') printOut(`${renderCompare(result)}\n`);
  const violations = Object.values(result.summary.topologies).some((s) => s.invariantViolations > 0);
  return violations ? 1 : 0;
}
