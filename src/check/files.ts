// Node-only: the scenario files `hasim check` reads (files and directories, sorted) and golden trace files.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { slug } from './slug.ts';
import { readScenarioFile } from '../scenario/load.ts';
import { InputError, readScenarioData, validateScenario, type Scenario } from '../scenario/index.ts';
import { applySets } from '../scenario/sets.ts';
import type { Variant } from './matrix.ts';
import { validateExpectations } from './validate.ts';

const SCENARIO_FILE = /\.(ya?ml|json)$/i;

/** stat of `path` (following links), or null after recording why it cannot be read (broken link, link loop). */
function statOrError(path: string, errors: InputError[]): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a symbolic link loop'
      : code === 'ENOENT' && isLink(path) ? 'a broken symbolic link (its target does not exist)'
        : code === 'ENOENT' ? 'no such file or directory'
          : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'error'})`;
    errors.push(InputError.single(path, why));
    return null;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The scenario files named: files as given, directories expanded to their *.yaml|*.yml|*.json (recursively, sorted). */
export function collectFiles(paths: readonly string[]): { files: string[]; errors: InputError[]; walked: Set<string> } {
  const files: string[] = [];
  const walked = new Set<string>();
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    // A symbolic link back to a folder already walked would loop forever: each real folder is walked once.
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stats = statOrError(path, errors);
      if (stats === null) continue;
      if (stats.isDirectory()) walk(path);
      else if (SCENARIO_FILE.test(name)) {
        files.push(path);
        walked.add(path);
      }
    }
  };
  for (const path of paths) {
    const stats = statOrError(path, errors);
    if (stats === null) continue;
    if (stats.isDirectory()) {
      const before = files.length;
      walk(path);
      if (files.length === before) errors.push(InputError.single(path, 'the directory holds no scenario files (*.yaml, *.yml, *.json)'));
    } else files.push(path);
  }
  return { files: [...new Set(files)], errors, walked };
}

export interface LoadedScenario {
  file: string;
  raw: Record<string, unknown>;
  scenario: Scenario;
  /** The matrix variant (topology, --set) this copy runs: '' when none. */
  variant: Variant;
}

const NO_VARIANT: Variant = { sets: [], label: '', runArgs: [] };

/** Read, validate and check the expectations of one scenario file (with a variant's overrides). Throws InputError. */
export function loadForCheck(file: string, variant: Variant = NO_VARIANT): LoadedScenario {
  const raw = readScenarioData(readScenarioFile(file), file);
  const scenario = validateScenario(raw, file, { sets: variant.sets });
  validateExpectations(scenario, file);
  return { file, raw: (variant.sets.length > 0 ? applySets(raw, variant.sets, file) : raw) as Record<string, unknown>, scenario, variant };
}

/**
 * Whether a file found in a directory is something other than a scenario (CI configs, Helm values, …):
 * data that is not a mapping with `name` or `duration`. Such files are skipped with a note; a file named
 * on the command line is always read as a scenario.
 */
export function notAScenario(file: string): boolean {
  let data: unknown;
  try {
    data = readScenarioData(readScenarioFile(file), file);
  } catch {
    return false;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return true;
  return !('name' in data) && !('duration' in data);
}

/** The name a run's golden trace, JUnit suite and summary carry: the scenario's, with the variant. */
export function variantName(s: LoadedScenario): string {
  return s.variant.label === '' ? s.scenario.name : `${s.scenario.name} [${s.variant.label}]`;
}

/** Load every file in every variant; InputErrors are collected (every bad file is reported), and duplicate names are errors. */
export function loadAll(files: readonly string[], variants: readonly Variant[] = [NO_VARIANT]): { loaded: LoadedScenario[]; errors: InputError[] } {
  const loaded: LoadedScenario[] = [];
  const errors: InputError[] = [];
  const byName = new Map<string, { file: string; name: string }>();
  for (const file of files) for (const variant of variants) {
    try {
      const s = loadForCheck(file, variant);
      if (variant !== variants[0] && byName.get(slug(s.scenario.name))?.file === file) {
        loaded.push(s);
        continue;
      }
      const other = byName.get(slug(s.scenario.name));
      if (other !== undefined) {
        const same = other.name === s.scenario.name ? 'is also the name of' : `gives the same file name (${slug(s.scenario.name)}) as "${other.name}" in`;
        errors.push(InputError.single(file, `"${s.scenario.name}" ${same} ${other.file}; golden traces and shrunk scenarios are stored by name, so names must differ`, 'name'));
        continue;
      }
      byName.set(slug(s.scenario.name), { file, name: s.scenario.name });
      loaded.push(s);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      errors.push(err);
    }
  }
  return { loaded, errors };
}

/** `<dir>/<slug of the scenario name>/seed-<n>.txt`: always inside `dir`. */
export function goldenPath(dir: string, scenarioName: string, seed: number): string {
  return join(dir, slug(scenarioName), `seed-${seed}.txt`);
}

export function readIfExists(path: string): string | null {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : null;
  } catch {
    return null;
  }
}
