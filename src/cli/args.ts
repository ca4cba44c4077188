// Argument parsing for the hasim command (node's util.parseArgs), with usage errors as exit-2 messages.
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { UsageError } from '../errors.ts';

export { UsageError };

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional.*$/s, '');
    throw new UsageError(`hasim ${command}: ${msg}. See 'hasim ${command} --help'.`);
  }
}

/** A whole-number option; at most `max` (by default the largest integer a double holds exactly, as seeds in files). */
export function intOption(command: string, name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER, why = 'the largest whole number hasim holds exactly'): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`hasim ${command}: --${name} expects a non-negative whole number, got "${value}".`);
  const n = Number(value);
  if (n > max) throw new UsageError(`hasim ${command}: --${name} is at most ${max} (${why}), got ${value.length > 24 ? `${value.slice(0, 24)}…` : value}.`);
  return n;
}
