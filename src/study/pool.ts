// Runs the (variant, seed) jobs of a study, in this thread or on worker threads; results come back in job order,
// so they are identical whatever the number of workers.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { Scenario } from '../scenario/index.ts';
import { runRecord, type RunRecord, type VariantSpec } from './record.ts';

export type ToWorker =
  | { type: 'init'; file: string; variants: VariantSpec[] }
  | { type: 'job'; id: number; variant: number; seed: number };
export type FromWorker = { id: number; record: RunRecord } | { id: number; error: string };

export interface Job {
  variant: number;
  seed: number;
}

export interface PoolOptions {
  file: string;
  variants: VariantSpec[];
  /** The validated scenario of each variant (same order); null for variants no job uses. */
  scenarios: (Scenario | null)[];
  jobs: Job[];
  workers: number;
  onProgress?: (done: number, total: number) => void;
}

/** Jobs for every seed × variant, seed-major (the order records are kept in). */
export function jobsFor(variantCount: number, seeds: readonly number[], skip: (variant: number) => boolean = () => false): Job[] {
  const jobs: Job[] = [];
  for (const seed of seeds) for (let v = 0; v < variantCount; v++) if (!skip(v)) jobs.push({ variant: v, seed });
  return jobs;
}

export async function runJobs(opts: PoolOptions): Promise<RunRecord[]> {
  const { jobs } = opts;
  const workers = Math.max(1, Math.min(opts.workers, jobs.length));
  if (workers <= 1) {
    const out: RunRecord[] = [];
    for (const job of jobs) {
      out.push(runRecord(opts.variants[job.variant]!, opts.scenarios[job.variant]!, job.seed));
      opts.onProgress?.(out.length, jobs.length);
      // Let the event loop breathe (progress output, signals) between runs.
      await new Promise<void>((resolve) => queueMicrotask(resolve));
    }
    return out;
  }
  return runOnWorkers(opts, workers);
}

let bundled: string | null | undefined;

/**
 * The worker's code as one bundle of plain JavaScript, built once per process (about 0.3 s). A
 * worker that loaded the TypeScript sources through tsx would spend a second or two of every study
 * compiling and resolving them; null when the bundle cannot be built (then workers use tsx).
 */
function workerBundle(): string | null {
  if (bundled !== undefined) return bundled;
  try {
    const out = buildSync({
      entryPoints: [fileURLToPath(new URL('./worker-main.ts', import.meta.url))],
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
    });
    bundled = out.outputFiles[0]!.text;
  } catch {
    bundled = null;
  }
  return bundled;
}

/**
 * A study worker's young generation. A run allocates some 25 MB and keeps its whole cluster alive
 * until it ends; with V8's default young generation that state is promoted to the old generation
 * and has to be marked and compacted there. With room for a few runs it dies young. Measured on
 * compare-1k (200 runs per topology): about 15 % less CPU time, peak memory 330 → 750–960 MiB.
 */
const WORKER_YOUNG_GENERATION_MB = 256;

function startWorker(): Worker {
  const code = workerBundle();
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  return code !== null
    ? new Worker(code, { eval: true, resourceLimits })
    : new Worker(new URL('./worker.mjs', import.meta.url), { resourceLimits });
}

function runOnWorkers(opts: PoolOptions, count: number): Promise<RunRecord[]> {
  const { jobs } = opts;
  const results: (RunRecord | undefined)[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  return new Promise<RunRecord[]>((resolve, reject) => {
    let failed = false;
    const stopAll = () => {
      for (const w of pool) void w.terminate();
    };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (next >= jobs.length) return;
      const id = next++;
      const job = jobs[id]!;
      w.postMessage({ type: 'job', id, variant: job.variant, seed: job.seed } satisfies ToWorker);
    };
    for (let i = 0; i < count; i++) {
      const w = startWorker();
      pool.push(w);
      w.on('error', (err) => fail(err));
      w.on('exit', (code) => {
        if (!failed && done < jobs.length && code !== 0) fail(new Error(`study worker exited with code ${code}`));
      });
      w.on('message', (msg: FromWorker | { ready: true }) => {
        if ('ready' in msg) {
          w.postMessage({ type: 'init', file: opts.file, variants: opts.variants } satisfies ToWorker);
          feed(w);
          return;
        }
        if ('error' in msg) {
          fail(new Error(`study worker failed on job ${msg.id}: ${msg.error}`));
          return;
        }
        results[msg.id] = msg.record;
        done++;
        opts.onProgress?.(done, jobs.length);
        if (done === jobs.length) {
          stopAll();
          resolve(results as RunRecord[]);
        } else {
          feed(w);
        }
      });
    }
  });
}
