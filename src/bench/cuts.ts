// The `cuts-2` benchmark: `hasim cuts --max-failures 2` on the study cluster, both topologies, on every core.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runCuts } from '../cli/cuts.ts';

const STUDY = fileURLToPath(new URL('../../scenarios/study-random-failures.yaml', import.meta.url));

export async function cutsBench(clock: () => number, onProgress?: (done: number, total: number) => void): Promise<Record<string, unknown>> {
  const raw = parseYaml(readFileSync(STUDY, 'utf8')) as unknown;
  const workers = availableParallelism();
  const t0 = clock();
  const cpu0 = process.cpuUsage();
  const r = await runCuts(raw, STUDY, ['stacked', 'external'], [], { maxFailures: 2, forUs: 60e6, atUs: 30e6, domain: 'machine', cap: 500 }, workers, onProgress);
  const cpu = process.cpuUsage(cpu0);
  const sets = Object.values(r.topologies).reduce((n, t) => n + t.run + 1, 0);
  return { name: 'cuts-2', workers, runs: sets, wallMs: Math.round(clock() - t0), cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10 };
}
