// `hasim bench`: the performance benchmarks of SPEC §6, one line (or JSON object) each.
import { performance } from 'node:perf_hooks';
import { BENCHMARKS } from '../bench/index.ts';
import { parse, UsageError } from './args.ts';

export async function benchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bench', argv, { json: { type: 'boolean' }, simulated: { type: 'string' } });
  const names = positionals.length > 0 ? positionals : Object.keys(BENCHMARKS);
  if (values.simulated !== undefined && !/^\d+(\.\d+)?(ms|s|m|h)$/.test(values.simulated)) {
    throw new UsageError(`hasim bench: --simulated expects a duration like "1h", got "${values.simulated}".`);
  }
  for (const name of names) {
    if (!BENCHMARKS[name]) throw new UsageError(`hasim bench: unknown benchmark "${name}". Benchmarks: ${Object.keys(BENCHMARKS).join(', ')}.`);
  }
  for (const name of names) {
    const result = { ...(await BENCHMARKS[name]!.run(() => performance.now(), { simulated: values.simulated })), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${BENCHMARKS[name]!.summary(result)}\n`);
  }
  return 0;
}
