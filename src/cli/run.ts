// `hasim run`: one run of a scenario, human report on stdout, JSON and trace on request.
import { performance } from 'node:perf_hooks';
import { evaluateTourOfRun } from '../check/tour.ts';
import { observationsToKeep } from '../check/keep.ts';
import { validateExpectations } from '../check/validate.ts';
import { runScenario } from '../cluster/run.ts';
import { evaluate } from '../check/expect.ts';
import { renderNarration } from '../report/narrate.ts';
import { renderText } from '../report/text.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { intOption, parse, UsageError } from './args.ts';
import { memoryBudget } from './budget.ts';
import { OutputSet } from './output.ts';
import { printOut } from './terminal.ts';

export function runCommand(argv: string[]): number {
  const { values, positionals } = parse('run', argv, {
    seed: { type: 'string' },
    topology: { type: 'string' },
    set: { type: 'string', multiple: true },
    json: { type: 'string' },
    trace: { type: 'string' },
    quiet: { type: 'boolean' },
    'fast-forward': { type: 'boolean' },
    narrate: { type: 'boolean' },
  });
  if (positionals.length !== 1) {
    throw new UsageError(`hasim run: expected exactly one scenario file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}. See 'hasim run --help'.`);
  }
  const sets = [...(values.set ?? [])];
  if (values.topology !== undefined) {
    if (values.topology !== 'stacked' && values.topology !== 'external') {
      throw new UsageError(`hasim run: --topology expects stacked or external, got "${values.topology}".`);
    }
    sets.push(`cluster.topology=${values.topology}`);
  }
  const seed = intOption('run', 'seed', values.seed);
  const scenario = loadScenarioFile(positionals[0]!, { sets });
  validateExpectations(scenario, positionals[0]!);
  const outputs = new OutputSet([values.trace, values.json]);
  const { report, results, observations } = outputs.runSync(() => {
    const trace = values.trace !== undefined ? outputs.stream(values.trace) : undefined;
    const done = runScenario(scenario, { seed, keepObservations: observationsToKeep(scenario), stopCheck: memoryBudget(), fastForward: values['fast-forward'] === true ? true : undefined, traceSink: trace && ((l) => trace.line(l)) }, () => performance.now());
    const evaluated = evaluate(done.report, scenario.expect, done.run.sim.trace.observations, scenario.params.probe.interval);
    if (values.json !== undefined) outputs.text(values.json, `${JSON.stringify({ ...done.report, expectations: evaluated }, null, 2)}\n`);
    return { report: done.report, results: evaluated, observations: done.run.sim.trace.observations };
  });
  if (values.narrate && values.json !== '-') {
    const times = evaluateTourOfRun(scenario.tour, report, observations).steps;
    printOut(`${renderNarration(report, scenario.tour, times)}\n`);
  } else if (!values.quiet && values.json !== '-') printOut(`${renderText(report, results)}\n`);
  const failed = results.some((r) => !r.pass) || report.invariants.violations.length > 0;
  return failed ? 1 : 0;
}
