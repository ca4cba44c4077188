// Argument parsing for the hasim command (node's util.parseArgs), with usage errors as exit-2 messages.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage problem: printed as one paragraph on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional.*$/s, '');
    throw new UsageError(`hasim ${command}: ${msg}. See 'hasim ${command} --help'.`);
  }
}

export function intOption(command: string, name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`hasim ${command}: --${name} expects a non-negative whole number, got "${value}".`);
  return Number(value);
}
