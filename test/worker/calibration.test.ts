// Worker failure timings over many seeds against k8s-ha-facts §6 (grace 50 s, toleration 300 s), and the disruption modes.
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

const POWER_OFF_SEEDS = 100;

describe('a worker powered off (grace 50 s, toleration 300 s)', () => {
  it('goes NotReady 40–55 s after the crash and its pods are evicted 340–356 s after, then replaced', () => {
    const notReady: number[] = [];
    const evicted: number[] = [];
    for (let seed = 1; seed <= POWER_OFF_SEEDS; seed++) {
      // Vary the crash instant so that it falls anywhere in the kubelet's 10 s renew cycle.
      const killAt = 30 + ((seed * 37) % 100) / 10;
      const { run: r, report } = run(`name: t\nduration: 420s\ncluster: { workers: 3, pods: 6 }\nfaults: [ { at: ${killAt}s, kill: worker-2 } ]\n`, seed);
      const nr = obs(r, 'node', (o) => loose(o)['node'] === 'worker-2' && loose(o)['ready'] === false);
      expect(nr.length, `seed ${seed}`).toBe(1);
      notReady.push(nr[0]!.at / 1e6 - killAt);
      const ev = obs(r, 'pod', (o) => loose(o)['evicted'] === true);
      expect(ev.length, `seed ${seed}`).toBe(2);
      evicted.push(ev[0]!.at / 1e6 - killAt);
      expect(report.nodes.notReadyTransitions).toBe(1);
      expect(report.nodes.evictions).toBe(2);
      expect(report.pods.minRunning, `seed ${seed}`).toBe(4);
      expect(report.pods.maxRunning, `seed ${seed}`).toBe(6);
    }
    expect(Math.min(...notReady)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...notReady)).toBeLessThanOrEqual(55.5);
    expect(Math.min(...evicted)).toBeGreaterThanOrEqual(340);
    expect(Math.max(...evicted)).toBeLessThanOrEqual(357);
    console.log(`worker power-off: NotReady after ${Math.min(...notReady).toFixed(1)}–${Math.max(...notReady).toFixed(1)} s, evictions after ${Math.min(...evicted).toFixed(1)}–${Math.max(...evicted).toFixed(1)} s`);
  });
});

describe('control-plane failures do not evict', () => {
  it('2 of 3 stacked masters killed: no NotReady-driven evictions, workloads stay at 100 %', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { report } = run('name: t\nduration: 300s\ncluster: { workers: 3, pods: 6 }\nfaults: [ { at: 60s, kill: master-2 }, { at: 60s, kill: master-3 } ]\n', seed);
      expect(report.nodes.evictions, `seed ${seed}`).toBe(0);
      expect(report.availability.workloads, `seed ${seed}`).toBe(1);
      expect(report.pods.minRunning, `seed ${seed}`).toBe(6);
    }
  });

  it('the only load balancer lost: nodes go NotReady but master disruption mode prevents eviction', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { run: r, report } = run('name: t\nduration: 500s\ncluster: { workers: 3, pods: 6 }\nfaults: [ { at: 60s, kill: lb-1 } ]\n', seed);
      expect(report.nodes.notReadyTransitions, `seed ${seed}`).toBe(3);
      expect(report.nodes.evictions, `seed ${seed}`).toBe(0);
      expect(report.availability.workloads, `seed ${seed}`).toBe(1);
      expect(obs(r, 'zone', (o) => loose(o)['masterDisruption'] === true).length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('control plane restored: a fresh KCM leader gives every node a new grace period (no evictions), pods never stop', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const faults = ['master-1', 'master-2', 'master-3'].map((m) => `{ at: 60s, kill: ${m}, for: 120s }`).join(', ');
      const { report } = run(`name: t\nduration: 400s\ncluster: { workers: 3, pods: 6 }\nfaults: [ ${faults} ]\n`, seed);
      expect(report.nodes.evictions, `seed ${seed}`).toBe(0);
      expect(report.availability.workloads, `seed ${seed}`).toBe(1);
      const kcm = report.failovers.find((f) => f.group === 'kube-controller-manager');
      // Masters back at 180 s; the old Lease must expire (one lease duration, 15 s) before anyone acquires it.
      expect(kcm?.recoveredAt, `seed ${seed}`).toBeGreaterThanOrEqual(180 + 15);
    }
  });
});

describe('leader election disabled', () => {
  it('every KCM runs its ReplicaSet controller: after a worker is lost they race and create duplicates', () => {
    let worstSurplus = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const { run: r, report } = run('name: t\nduration: 420s\ncluster: { workers: 3, pods: 6 }\nparams: { leaderElection: { enabled: false } }\nfaults: [ { at: 30s, kill: worker-2 } ]\n', seed);
      // After the evictions, more than one controller creates replacements: some controller then sees a surplus and deletes it.
      const evictedAt = obs(r, 'pod', (o) => loose(o)['evicted'] === true)[0]!.at;
      const surplus = obs(r, 'pod', (o) => typeof loose(o)['extras'] === 'number' && o.at >= evictedAt).map((o) => loose(o)['extras'] as number);
      expect(surplus.length, `seed ${seed}`).toBeGreaterThan(0);
      worstSurplus = Math.max(worstSurplus, ...surplus);
      // Each controller sees the duplicates through its watch within milliseconds and deletes them before they are scheduled.
      expect(report.pods.maxRunning, `seed ${seed}`).toBe(6);
    }
    console.log(`no leader election: a controller saw up to ${worstSurplus} pods too many for 6 desired`);
  });
});
