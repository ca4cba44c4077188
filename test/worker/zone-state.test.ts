// ComputeZoneState (node_lifecycle_controller.go): partial disruption needs more than 2 NotReady nodes and a NotReady share ≥ 0.55.
import { describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import { obs, scenario } from '../etcd/helpers.ts';
import { loose } from '../observations.ts';

function run(yaml: string, seed: number) {
  const r = new Run(scenario(yaml), { seed });
  const report = r.finish();
  expect(report.invariants.violations, `seed ${seed}`).toEqual([]);
  return { run: r, report };
}

describe('zone disruption state', () => {
  it('3 workers, 2 powered off: only 2 NotReady, so the zone stays normal and both are tainted and evicted', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const { run: r, report } = run('name: t\nduration: 420s\ncluster: { workers: 3, pods: 6 }\nfaults: [ { at: 30s, kill: worker-2 }, { at: 30s, kill: worker-3 } ]\n', seed);
      expect(obs(r, 'zone', (o) => loose(o)['state'] === 'partial'), `seed ${seed}`).toEqual([]);
      const tainted = obs(r, 'node', (o) => loose(o)['taint'] === true).map((o) => loose(o)['node']);
      expect(new Set(tainted), `seed ${seed}`).toEqual(new Set(['worker-2', 'worker-3']));
      expect(report.nodes.evictions, `seed ${seed}`).toBe(4);
    }
  });

  it('4 workers, 3 powered off: 3 NotReady of 4 (75 %) is a partial disruption and evictions stop', () => {
    const { run: r, report } = run('name: t\nduration: 420s\ncluster: { workers: 4, pods: 8 }\nfaults: [ { at: 30s, kill: worker-2 }, { at: 30s, kill: worker-3 }, { at: 30s, kill: worker-4 } ]\n', 1);
    expect(obs(r, 'zone', (o) => loose(o)['state'] === 'partial').length).toBeGreaterThan(0);
    expect(report.nodes.evictions).toBeLessThan(6);
  });
});
