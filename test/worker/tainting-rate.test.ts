// The node lifecycle controller taints at the configured rates: --node-eviction-rate, and --secondary-node-eviction-rate past --large-cluster-size-threshold.
import { describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import { obs, scenario } from '../etcd/helpers.ts';

/** doNoExecuteTaintingPass runs every 100 ms; a taint is reported when its write returns (a few ms). */
const PASS_S = 0.1;
const WRITE_S = 0.02;

function taintTimes(yaml: string, seed: number): { run: Run; byZone: Map<number, number[]> } {
  const run = new Run(scenario(yaml), { seed });
  const report = run.finish();
  expect(report.invariants.violations, `seed ${seed}`).toEqual([]);
  const zoneOf = new Map<string, number>();
  for (let i = 1; i <= 100; i++) zoneOf.set(`worker-${i}`, ((i - 1) % run.scenario.cluster.zones) + 1);
  const byZone = new Map<number, number[]>();
  for (const o of obs(run, 'node', (x) => x.detail['taint'] === true)) {
    const zone = zoneOf.get(String(o.detail['node']))!;
    byZone.set(zone, [...(byZone.get(zone) ?? []), o.at / 1e6]);
  }
  return { run, byZone };
}

/** Gaps between consecutive taints: one token per 1/rate seconds, taken at the first pass after it is there. */
function expectGaps(times: number[], ratePerS: number, what: string): void {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  expect(gaps.length, what).toBeGreaterThan(2);
  for (const g of gaps) {
    expect(g, what).toBeGreaterThanOrEqual(1 / ratePerS - WRITE_S);
    expect(g, what).toBeLessThanOrEqual(1 / ratePerS + PASS_S + WRITE_S);
  }
}

describe('tainting rate', () => {
  it('a fully disrupted zone beside healthy ones is tainted at --node-eviction-rate', () => {
    for (const seed of [1, 2]) {
      const { run, byZone } = taintTimes(`name: t
duration: 200s
cluster: { masters: 3, workers: 15, zones: 3, pods: 15 }
params: { nodeLifecycle: { nodeEvictionRate: 0.5, tolerationSeconds: 1h } }
faults: [ { at: 60s, kill: zone-3 } ]
`, seed);
      expect(obs(run, 'zone', (o) => o.detail['zone'] === 3 && o.detail['state'] === 'full').length, `seed ${seed}`).toBe(1);
      expect(byZone.get(3)?.length, `seed ${seed}`).toBe(5);
      expectGaps(byZone.get(3)!, 0.5, `seed ${seed}`);
      expect([...byZone.keys()]).toEqual([3]);
    }
  });

  it('a partially disrupted zone larger than --large-cluster-size-threshold is tainted at --secondary-node-eviction-rate', () => {
    const kills = Array.from({ length: 9 }, (_, i) => `{ at: 60s, kill: worker-${i + 4} }`).join(', ');
    const { run, byZone } = taintTimes(`name: t
duration: 200s
cluster: { workers: 12, pods: 12 }
params: { nodeLifecycle: { secondaryNodeEvictionRate: 0.25, largeClusterSizeThreshold: 10, tolerationSeconds: 1h } }
faults: [ ${kills} ]
`, 1);
    const partial = obs(run, 'zone', (o) => o.detail['state'] === 'partial');
    expect(partial.length).toBe(1);
    expect(partial[0]!.detail['taintsPerSecond']).toBe(0.25);
    expect(byZone.get(1)?.length).toBe(9);
    expectGaps(byZone.get(1)!, 0.25, 'partial, large zone');
  });

  it('the same partial disruption in a zone at or below the threshold stops tainting', () => {
    const kills = Array.from({ length: 9 }, (_, i) => `{ at: 60s, kill: worker-${i + 4} }`).join(', ');
    const { run, byZone } = taintTimes(`name: t
duration: 200s
cluster: { workers: 12, pods: 12 }
params: { nodeLifecycle: { secondaryNodeEvictionRate: 0.25, largeClusterSizeThreshold: 12, tolerationSeconds: 1h } }
faults: [ ${kills} ]
`, 1);
    expect(obs(run, 'zone', (o) => o.detail['state'] === 'partial')[0]?.detail['taintsPerSecond']).toBe(0);
    // Nodes that went NotReady before the zone crossed 55 % may have been tainted at the primary rate; none after.
    const partialAt = obs(run, 'zone', (o) => o.detail['state'] === 'partial')[0]!.at / 1e6;
    expect((byZone.get(1) ?? []).filter((t) => t > partialAt + WRITE_S)).toEqual([]);
  });

  it('--unhealthy-zone-threshold decides when a zone is partially disrupted', () => {
    const kills = Array.from({ length: 6 }, (_, i) => `{ at: 60s, kill: worker-${i + 7} }`).join(', ');
    // 6 of 12 NotReady is 50 %: normal under the default 0.55, partial under 0.5.
    const yaml = (threshold: number) => `name: t
duration: 150s
cluster: { workers: 12, pods: 12 }
params: { nodeLifecycle: { unhealthyZoneThreshold: ${threshold}, tolerationSeconds: 1h } }
faults: [ ${kills} ]
`;
    expect(obs(taintTimes(yaml(0.55), 1).run, 'zone', (o) => o.detail['state'] === 'partial')).toEqual([]);
    expect(obs(taintTimes(yaml(0.5), 1).run, 'zone', (o) => o.detail['state'] === 'partial').length).toBe(1);
  });
});
