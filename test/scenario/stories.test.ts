// Every shipped scenario's story agrees with its run: pods never exceed what the story allows, and the
// events its description claims happen (issue 20: a lecturer cannot show a tool that contradicts itself).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { Report } from '../../src/report/metrics.ts';
import { Store } from '../../web/src/store.ts';

const DIR = new URL('../../scenarios/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

interface Claim {
  /** What the description says (matched against its text). */
  says: RegExp;
  what: string;
  holds: (obs: readonly Observation[], report: Report) => boolean;
}

/** Claims a description can make about its run, and how to see them in the run. */
const CLAIMS: readonly Claim[] = [
  {
    says: /scheduler releases its lease|writes an empty holder/i, what: 'the kube-scheduler Lease is released (a committed write with an empty holder)',
    holds: (obs) => obs.some((o) => o.kind === 'lease' && o.detail['group'] === 'kube-scheduler' && o.detail['holder'] === ''),
  },
  {
    says: /etcd transfers|transfers (its )?leadership|hands? (its )?leadership/i, what: 'etcd transfers its leadership before shutting down',
    holds: (obs) => obs.some((o) => o.kind === 'etcd-transfer'),
  },
  {
    says: /pods are evicted|evicts the zone's pods|evicted about/i, what: 'pods are evicted',
    holds: (_obs, r) => r.nodes.evictions > 0,
  },
  {
    says: /delete them|deleting/i, what: 'a ReplicaSet controller deletes extra pods',
    holds: (obs) => obs.some((o) => o.kind === 'pod' && typeof o.detail['extras'] === 'number'),
  },
  {
    says: /kubelet restarts them/i, what: 'the kubelet restarts exited processes',
    holds: (obs) => obs.some((o) => o.kind === 'process' && o.detail['state'] === 'backoff'),
  },
];

describe('scenario stories agree with their runs', () => {
  for (const file of FILES) {
    it(file, () => {
      const scenario = loadScenarioFile(new URL(file, DIR).pathname);
      const { report, run } = runScenario(scenario, { seed: 1 });
      const obs = run.sim.trace.observations;
      for (const c of CLAIMS) if (c.says.test(scenario.description)) expect(c.holds(obs, report), `${file} says ${c.what}`).toBe(true);
      if (scenario.cluster.workers === 0) return;
      const desired = scenario.cluster.pods;
      // More pods than desired only where the story says so, as a bound on pods.maxRunning.
      const bound = scenario.expect.find((e) => 'metric' in e && e.metric === 'pods.maxRunning' && 'max' in e && typeof e.max === 'number') as { max: number } | undefined;
      expect(report.pods.maxRunning, `${file}: pods.maxRunning`).toBeLessThanOrEqual(bound?.max ?? desired);
      // What the screen's "pods running" lane ends with: the Deployment's replicas, no more.
      const store = new Store();
      store.start(scenario, 1, run.sim.processes.map((p) => p.id));
      store.append(obs, scenario.duration, 0);
      const last = store.lanes.workload.segs[store.lanes.workload.segs.length - 1]!;
      const running = Number(/^(\d+) of/.exec(last.text)?.[1]);
      expect(running, `${file}: pods running at the end (${last.text})`).toBeLessThanOrEqual(desired);
    });
  }
});
