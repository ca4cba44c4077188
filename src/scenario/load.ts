// Node-only: read a scenario file from disk (kept apart from parse.ts so the browser bundle never sees node:fs).
import { readFileSync, statSync, type Stats } from 'node:fs';
import { InputError } from './errors.ts';
import { parseScenarioText, type ParseOptions } from './parse.ts';
import type { Scenario } from './schema.ts';

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file (permission denied)';
  return `cannot read the file (${(err as Error).message})`;
}

/** The text of a scenario file; every failure is an InputError naming the path as given. */
export function readScenarioFile(path: string): string {
  let stats: Stats;
  let text: string;
  try {
    stats = statSync(path);
    if (stats.isDirectory()) throw InputError.single(path, 'is a directory, expected a scenario file');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.single(path, reason(err));
  }
  if (text.includes('\u0000')) throw InputError.single(path, 'is not a text file, expected a YAML or JSON scenario');
  return text;
}

/** Read, parse and validate a scenario file (YAML, or JSON). Throws InputError for any bad input. */
export function loadScenarioFile(path: string, opts: ParseOptions = {}): Scenario {
  return parseScenarioText(readScenarioFile(path), path, opts);
}
