// File names derived from scenario names: a slug that stays inside its folder (no separators, no "." or "..").
import { mkdirSync, statSync } from 'node:fs';
import { IoError, ioError, UsageError } from '../errors.ts';

const MAX_SLUG = 120;

/**
 * `name` as one path segment: characters other than letters, digits, "_", "-" and "." become "_", a leading "."
 * becomes "_" (so "..", ".git" and hidden files cannot be named), at most 120 characters, never empty.
 */
export function slug(name: string): string {
  const s = name.replace(/[^\w.-]/g, '_').replace(/^\./, '_').slice(0, MAX_SLUG);
  return s === '' ? '_' : s;
}

/** A folder the user named for output: must not be a file; created (with its parents) when missing. */
export function outputFolder(option: string, dir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw ioError(dir, err);
    }
    return;
  }
  if (!isDir) throw new IoError(`hasim: cannot write into ${dir} (${option}): it is a file, not a folder.`);
}

/** Refuse an output folder option that names a file (checked before any run starts). */
export function notAFile(option: string, dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`hasim check: ${option} ${dir} is a file, expected a folder.`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

/** Create `sub` (one segment, already a slug) inside `dir`, which exists. */
export function subFolder(dir: string, sub: string): void {
  if (sub !== slug(sub)) throw new IoError(`hasim: refusing to write outside ${dir}: "${sub}".`);
  try {
    mkdirSync(`${dir}/${sub}`, { recursive: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`${dir}/${sub}`, err);
  }
}
