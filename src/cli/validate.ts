// `hasim validate`: the model beside real etcd, haproxy and keepalived under the same faults (see src/validate).
import { spawnSync } from 'node:child_process';
import { exitCode, formatText, MissingBinaries, runValidation, selectCases, toHtml, toJson } from '../validate/index.ts';
import { intOption, parse, UsageError } from './args.ts';
import { OutputSet } from './output.ts';

/** The first line a binary prints for its version (keepalived prints it on stderr). */
function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return 'not installed';
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]!.trim();
}

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('validate', argv, { trials: { type: 'string' }, json: { type: 'string' }, html: { type: 'string' } });
  const trials = intOption('validate', 'trials', values.trials) ?? 20;
  if (trials < 1) throw new UsageError(`hasim validate: --trials must be at least 1, got ${trials}.`);
  const cases = selectCases(positionals);
  if (typeof cases === 'string') throw new UsageError(`hasim validate: ${cases}`);
  const outputs = new OutputSet([values.json, values.html]); // checked before the real processes start
  let results;
  try {
    results = await runValidation(cases, { trials, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (err) {
    if (err instanceof MissingBinaries) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const meta = {
    trials: String(trials),
    etcd: version('etcd', ['--version']),
    haproxy: version('haproxy', ['-v']),
    keepalived: version('keepalived', ['-v']),
    node: process.version,
  };
  process.stdout.write(`${formatText(results)}\n`);
  outputs.runSync(() => {
    if (values.json) outputs.text(values.json, toJson(results, meta));
    if (values.html) outputs.text(values.html, toHtml(results, meta));
  });
  return exitCode(results);
}
