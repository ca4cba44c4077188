// `hasim run`: one run of a scenario, human report on stdout, JSON and trace on request.
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluateTourOfRun } from '../check/tour.ts';
import { validateExpectations } from '../check/validate.ts';
import { runScenario } from '../cluster/run.ts';
import { evaluate } from '../report/expect.ts';
import { renderNarration } from '../report/narrate.ts';
import { renderText } from '../report/text.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { intOption, parse, UsageError } from './args.ts';

/** Buffered line writer for large JSONL traces. */
export class LineFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new UsageError(`hasim: cannot write ${path}: ${(err as Error).message}`);
    }
  }

  line(text: string): void {
    this.chunks.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.chunks.length > 0) writeSync(this.fd, `${this.chunks.join('\n')}\n`);
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function writeOutput(target: string, text: string): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  const file = new LineFile(target);
  file.line(text.trimEnd());
  file.close();
}

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
  const trace = values.trace ? new LineFile(values.trace) : undefined;
  const { report, run } = runScenario(scenario, { seed, fastForward: values['fast-forward'] === true, traceSink: trace && ((l) => trace.line(l)) }, () => performance.now());
  trace?.close();
  const results = evaluate(report, scenario.expect, run.sim.trace.observations, scenario.params.probe.interval);
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify({ ...report, expectations: results }, null, 2)}\n`);
  if (values.narrate && values.json !== '-') {
    const times = evaluateTourOfRun(scenario.tour, report, run.sim.trace.observations).steps;
    process.stdout.write(`${renderNarration(report, scenario.tour, times)}\n`);
  } else if (!values.quiet && values.json !== '-') process.stdout.write(`${renderText(report, results)}\n`);
  const failed = results.some((r) => !r.pass) || report.invariants.violations.length > 0;
  return failed ? 1 : 0;
}
