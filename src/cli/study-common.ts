// Options shared by compare and sweep: runs, workers, shard, scenario loading.
import { availableParallelism } from 'node:os';
import { readScenarioData } from '../scenario/index.ts';
import { readScenarioFile } from '../scenario/load.ts';
import { MAX_STUDY_RUNS } from '../study/shard-schema.ts';
import { parseShard, type Shard } from '../study/study.ts';
import { intOption, UsageError } from './args.ts';

export function runsOption(command: string, value: string | undefined, fallback: number): number {
  const runs = intOption(command, 'runs', value, MAX_STUDY_RUNS, 'a study keeps every run\'s values in memory') ?? fallback;
  if (runs < 1) throw new UsageError(`hasim ${command}: --runs must be at least 1, got ${runs}.`);
  return runs;
}

export function workersOption(command: string, value: string | undefined): number {
  const workers = intOption(command, 'workers', value, 256, 'one thread each') ?? availableParallelism();
  if (workers < 1) throw new UsageError(`hasim ${command}: --workers must be at least 1, got ${workers}.`);
  return workers;
}

export function shardOption(command: string, value: string | undefined): Shard | null {
  if (value === undefined) return null;
  const shard = parseShard(value);
  if (shard !== null && shard.count > MAX_STUDY_RUNS) {
    throw new UsageError(`hasim ${command}: --shard i/n takes n at most ${MAX_STUDY_RUNS} (the most runs a study has), got "${value}".`);
  }
  if (shard === null) throw new UsageError(`hasim ${command}: --shard expects i/n with 1 ≤ i ≤ n (e.g. --shard 2/8), got "${value}".`);
  return shard;
}

export function oneScenario(command: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(`hasim ${command}: expected exactly one scenario file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}. See 'hasim ${command} --help'.`);
  }
  return positionals[0]!;
}

/** The raw (unvalidated) data of a scenario file. */
export function rawScenario(file: string): unknown {
  return readScenarioData(readScenarioFile(file), file);
}

/** Options every study command takes (compare and sweep add their own). */
export const STUDY_OPTIONS = {
  runs: { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  shard: { type: 'string' },
  set: { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  'no-fast-forward': { type: 'boolean' },
} as const;
