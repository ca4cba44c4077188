// Issue 19's fourth scenario: a stacked etcd member shares its master's disk with the apiserver's audit log; its external twin does not.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { EtcdLoadReport } from '../../src/report/etcd-load.ts';

const DIR = new URL('../../scenarios/', import.meta.url);
/** Common random numbers: both topologies run with the same seeds. */
const SEEDS = [1, 2, 3];

function etcdOf(file: string, seed: number): EtcdLoadReport {
  const r = runScenario(loadScenarioFile(new URL(file, DIR).pathname), { seed }).report;
  expect(r.load?.etcd).toBeDefined();
  return r.load!.etcd!;
}

describe('stacked-etcd-under-load against its external twin (same load, disks and seeds)', () => {
  const runs = SEEDS.map((seed) => ({ seed, stacked: etcdOf('stacked-etcd-under-load.yaml', seed), external: etcdOf('stacked-etcd-under-load-external.yaml', seed) }));

  it.each(SEEDS)('seed %i: the stacked leader\'s heartbeats leave late behind audit writes; the external leader\'s every 100 ms', (seed) => {
    const { stacked, external } = runs.find((r) => r.seed === seed)!;
    // A heartbeat delay: some heartbeat left later than the 100 ms interval (etcd's own warning
    // threshold, twice the interval, is checked across the seeds below).
    expect(stacked.maxHeartbeatGapMs).toBeGreaterThan(100);
    expect(external.maxHeartbeatGapMs).toBe(100);
    // Its fsyncs waited behind audit writes: far above the idle 1 ms.
    expect(stacked.fsyncMaxMs).toBeGreaterThan(100);
    expect(external.lateHeartbeats).toBe(0);
    expect(external.fsyncMaxMs).toBe(1);
    expect(external.members.map((m) => m.name)).toEqual(['etcd-1/etcd', 'etcd-2/etcd', 'etcd-3/etcd']);
  });

  it('etcd warns of late heartbeats in the stacked runs only', () => {
    expect(runs.reduce((n, r) => n + r.stacked.lateHeartbeats, 0)).toBeGreaterThan(0);
    expect(runs.reduce((n, r) => n + r.external.lateHeartbeats, 0)).toBe(0);
  });
});
