// `hasim schema`: the JSON Schema of scenario files.
import { scenarioJsonSchema } from '../scenario/index.ts';
import { parse, UsageError } from './args.ts';

export function schemaCommand(argv: string[]): number {
  const { positionals } = parse('schema', argv, {});
  if (positionals.length > 0) throw new UsageError(`hasim schema: takes no arguments, got "${positionals.join(' ')}".`);
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return 0;
}
