// Observations the web UI draws: stale leader actions (fencing.ts) and apiserver readiness (apiserver.ts).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { loose } from '../observations.ts';

const run = (name: string) => runScenario(loadScenarioFile(`scenarios/${name}.yaml`), { seed: 1 });

describe('observations for the UI', () => {
  it('each stale leader action is an observation at its commit, as many as the report counts', () => {
    const { report, run: r } = run('paused-lease-holder');
    const stale = r.sim.trace.observations.filter((o) => o.kind === 'stale-action');
    expect(report.leaders['kube-scheduler']!.staleLeaderActions).toBeGreaterThan(0);
    expect(stale.length).toBe(report.leaders['kube-scheduler']!.staleLeaderActions + report.leaders['kube-controller-manager']!.staleLeaderActions);
    for (const o of stale) {
      expect(o.detail['group']).toBe('kube-scheduler');
      expect(String(o.detail['identity'])).toMatch(/^master-1_/);
      expect(String(o.detail['leaseHolder'])).not.toMatch(/^master-1_/);
      expect(o.at).toBeGreaterThanOrEqual(65e6); // after the paused leader woke up
    }
  });

  it('an apiserver whose etcd died reports /readyz failing, and ready again after etcd is back', () => {
    const { run: r } = run('kill-etcd-leader');
    const ready = r.sim.trace.observations.filter((o) => o.kind === 'apiserver' && o.subject === 'master-1/kube-apiserver');
    const down = ready.find((o) => loose(o)['ready'] === false);
    expect(down).toBeDefined();
    expect(down!.at).toBeGreaterThanOrEqual(30e6);
    expect(ready.some((o) => loose(o)['ready'] === true && o.at > 60e6)).toBe(true);
  });
});
