// Node-only: read a scenario file from disk (kept apart from parse.ts so the browser bundle never sees node:fs).
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { InputError } from './errors.ts';
import { parseScenarioText, type ParseOptions } from './parse.ts';
import type { Scenario } from './schema.ts';

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file (permission denied)';
  return `cannot read the file (${(err as Error).message})`;
}

/** Largest scenario file read, in bytes (256 KiB, as MAX_SCENARIO_CHARS; the largest shipped scenario is a few kB). */
export const MAX_SCENARIO_BYTES = 256 * 1024;

/**
 * At most `cap` bytes of a file, read in chunks so that /dev/zero, a pipe that never ends or a 150 MB file is
 * refused after reading cap + 1 bytes rather than read whole.
 */
function readCapped(path: string, cap: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(cap + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > cap) throw InputError.single(path, `the file is larger than ${cap / 1024} KiB, the most a scenario may be (is it a scenario file?)`);
    }
    return buf.subarray(0, size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The text of a scenario file; every failure is an InputError naming the path as given. */
export function readScenarioFile(path: string): string {
  let stats: Stats;
  let text: string;
  try {
    stats = statSync(path);
    if (stats.isDirectory()) throw InputError.single(path, 'is a directory, expected a scenario file');
    text = readCapped(path, MAX_SCENARIO_BYTES);
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
