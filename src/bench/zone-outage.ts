// The `zone-outage-5000` benchmark: the shipped 5,000-node zone outage scenario, with fast-forward, wall time and peak memory.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Run } from '../cluster/run.ts';
import type { ClusterBenchResult } from './cluster.ts';
import { parseDuration, parseScenarioText } from '../scenario/index.ts';

/** The cluster benchmarks' figures, with peak (not final) memory and what fast-forward skipped. */
export interface ZoneOutageBenchResult extends Omit<ClusterBenchResult, 'rssMiB' | 'availabilityApiWrite'> {
  fastForwardSkippedSeconds: number;
  /** Peak resident memory of the process during the run (MiB), sampled every million events. */
  peakRssMiB: number;
  evictions: number;
}

export const ZONE_OUTAGE_SCENARIO = fileURLToPath(new URL('../../scenarios/large/zone-outage-5000.yaml', import.meta.url));

/** Runs the scenario once (seed 1, fast-forward as the scenario asks); `simulated` shortens it for quick looks. */
export function zoneOutageBench(clock: () => number, rssBytes: () => number, simulated?: string): ZoneOutageBenchResult {
  const scenario = parseScenarioText(readFileSync(ZONE_OUTAGE_SCENARIO, 'utf8'), ZONE_OUTAGE_SCENARIO);
  if (simulated !== undefined) scenario.duration = parseDuration(simulated);
  let peak = rssBytes();
  // The stop check is asked every 2^20 events: a cheap place to sample memory.
  const run = new Run(scenario, { seed: 1, keepObservations: false, stopCheck: () => { peak = Math.max(peak, rssBytes()); return null; } });
  const t0 = clock();
  const report = run.finish();
  const wallMs = clock() - t0;
  peak = Math.max(peak, rssBytes());
  return {
    name: 'zone-outage-5000', simulatedSeconds: report.durationSeconds, workers: scenario.cluster.workers, events: report.eventsProcessed,
    wallMs: Math.round(wallMs), eventsPerSec: Math.round(report.eventsProcessed / (wallMs / 1000)),
    fastForwardSkippedSeconds: report.fastForward.skippedSeconds, peakRssMiB: Math.round(peak / 2 ** 20),
    evictions: report.nodes.evictions, traceHash: report.traceHash,
  };
}
