// The `load` benchmark: 3 masters, 100 workers, 500 external API requests/s for 10 simulated minutes (issue 19).
import { Run } from '../cluster/run.ts';
import { validateScenario } from '../scenario/index.ts';

export interface LoadBenchResult {
  simulatedSeconds: number;
  workers: number;
  /** Load-client requests finished inside the measuring window. */
  requests: number;
  events: number;
  /** Events per load request: the run's cost should grow with the work asked for, not with time or clients. */
  eventsPerRequest: number;
  wallMs: number;
  eventsPerSec: number;
  rssMiB?: number;
  meanUtilisation: number;
  p99Ms: Record<string, number>;
  traceHash: string | null;
}

/** 50 users at 10 requests/s each (6 get, 3 update, 1 LIST of 100 objects): 500 requests/s. */
const CLIENTS = [{
  name: 'users', kind: 'user', count: 50, qps: 20, burst: 40,
  requests: [{ class: 'get', perSecond: 6 }, { class: 'update', perSecond: 3 }, { class: 'list', perSecond: 1, objects: 100 }],
}];

export function loadBench(clock: () => number, durationOverride?: string): LoadBenchResult {
  const scenario = validateScenario({
    name: 'bench-load', duration: durationOverride ?? '10m',
    cluster: { topology: 'stacked', masters: 3, workers: 100, pods: 200 },
    load: { balance: 'leastconn', clients: CLIENTS },
  }, 'bench-load');
  const run = new Run(scenario, { seed: 1, keepObservations: false });
  const t0 = clock();
  const report = run.finish();
  const wallMs = clock() - t0;
  const phase = report.load!.phases[0]!;
  const requests = phase.classes.reduce((n, c) => n + c.requests, 0);
  const utils = phase.apiservers.map((a) => a.utilisation);
  return {
    simulatedSeconds: report.durationSeconds, workers: scenario.cluster.workers, requests, events: report.eventsProcessed,
    eventsPerRequest: Math.round((report.eventsProcessed / Math.max(1, requests)) * 10) / 10,
    wallMs: Math.round(wallMs), eventsPerSec: Math.round(report.eventsProcessed / (wallMs / 1000)),
    meanUtilisation: Math.round((utils.reduce((a, b) => a + b, 0) / Math.max(1, utils.length)) * 1000) / 1000,
    p99Ms: Object.fromEntries(phase.classes.map((c) => [c.class, c.p99Ms])),
    traceHash: report.traceHash,
  };
}
