// `hasim bench`: the performance benchmarks of SPEC §6, one line (or JSON object) each.
import { performance } from 'node:perf_hooks';
import { BENCHMARKS } from '../bench/index.ts';
import { parseDuration } from '../scenario/index.ts';
import { intOption, parse, UsageError } from './args.ts';
import { progressBar } from './progress.ts';

export async function benchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bench', argv, {
    json: { type: 'boolean' }, simulated: { type: 'string' }, runs: { type: 'string' }, 'no-fast-forward': { type: 'boolean' },
  });
  const runs = intOption('bench', 'runs', values.runs);
  if (runs !== undefined && runs < 1) throw new UsageError(`hasim bench: --runs must be at least 1, got ${runs}.`);
  const names = positionals.length > 0 ? positionals : Object.keys(BENCHMARKS).filter((n) => !BENCHMARKS[n]!.onlyWhenNamed);
  if (values.simulated !== undefined) {
    // The scenario's own duration syntax and rule: a positive duration.
    let us = 0;
    try {
      us = parseDuration(values.simulated);
    } catch (err) {
      throw new UsageError(`hasim bench: --simulated: ${(err as Error).message}.`);
    }
    if (us <= 0) throw new UsageError(`hasim bench: --simulated must be longer than 0, got "${values.simulated}".`);
  }
  for (const name of names) {
    if (!BENCHMARKS[name]) throw new UsageError(`hasim bench: unknown benchmark "${name}". Benchmarks: ${Object.keys(BENCHMARKS).join(', ')}.`);
  }
  for (const name of names) {
    const progress = progressBar(`bench ${name}`);
    let result;
    try {
      result = {
        ...(await BENCHMARKS[name]!.run(() => performance.now(), {
          simulated: values.simulated, runs, noFastForward: values['no-fast-forward'] === true, onProgress: (d, t) => progress.update(d, t),
        })),
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      };
    } finally {
      progress.stop();
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${BENCHMARKS[name]!.summary(result)}\n`);
  }
  return 0;
}
