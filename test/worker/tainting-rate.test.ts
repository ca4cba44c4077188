// The node lifecycle controller taints at the configured rates: --node-eviction-rate, and --secondary-node-eviction-rate past --large-cluster-size-threshold.
import { describe, expect, it, vi } from 'vitest';
import { loose } from '../observations.ts';
import { Run } from '../../src/cluster/run.ts';
import { obs, scenario } from '../etcd/helpers.ts';
import { NodeLifecycleController } from '../../src/control/controllers/nodelifecycle.ts';

/** doNoExecuteTaintingPass runs every 100 ms; a taint is reported when its write returns (a few ms). */
const PASS_S = 0.1;
const WRITE_S = 0.02;

interface Taint {
  at: number;
  /** When the node went NotReady (it queues for its taint then). */
  notReadyAt: number;
}

function taintTimes(yaml: string, seed: number): { run: Run; byZone: Map<number, Taint[]> } {
  const run = new Run(scenario(yaml), { seed });
  const report = run.finish();
  expect(report.invariants.violations, `seed ${seed}`).toEqual([]);
  const zoneOf = (node: string) => ((Number(node.slice('worker-'.length)) - 1) % run.scenario.cluster.zones) + 1;
  const notReady = new Map<string, number>();
  for (const o of obs(run, 'node', (x) => loose(x)['ready'] === false)) notReady.set(String(loose(o)['node']), o.at / 1e6);
  const byZone = new Map<number, Taint[]>();
  for (const o of obs(run, 'node', (x) => loose(x)['taint'] === true)) {
    const node = String(loose(o)['node']);
    const zone = zoneOf(node);
    byZone.set(zone, [...(byZone.get(zone) ?? []), { at: o.at / 1e6, notReadyAt: notReady.get(node)! }]);
  }
  return { run, byZone };
}

/**
 * Consecutive taints in one zone at a steady rate: never closer than one token (1/rate); and when the
 * next node was already waiting, no later than its token plus one tainting pass. At least 3 such waits.
 */
function expectRate(taints: Taint[], ratePerS: number, what: string): void {
  let waited = 0;
  for (let i = 0; i + 1 < taints.length; i++) {
    const gap = taints[i + 1]!.at - taints[i]!.at;
    expect(gap, what).toBeGreaterThanOrEqual(1 / ratePerS - WRITE_S);
    const ready = Math.max(taints[i]!.at + 1 / ratePerS, taints[i + 1]!.notReadyAt);
    expect(taints[i + 1]!.at, what).toBeLessThanOrEqual(ready + PASS_S + WRITE_S);
    if (taints[i + 1]!.notReadyAt < taints[i]!.at) waited++;
  }
  expect(waited, `${what}: taints that waited for a token`).toBeGreaterThanOrEqual(3);
}

/** Taints after the zone's last state change (the rate of that state). */
function afterLastState(run: Run, zone: number, taints: Taint[]): Taint[] {
  const changes = obs(run, 'zone', (o) => loose(o)['zone'] === zone);
  const since = changes.length > 0 ? changes.at(-1)!.at / 1e6 : 0;
  return taints.filter((t) => t.at > since);
}

describe('tainting rate', () => {
  it('a fully disrupted zone beside healthy ones is tainted at --node-eviction-rate', () => {
    for (const seed of [1, 2]) {
      const { run, byZone } = taintTimes(`name: t
duration: 200s
cluster: { masters: 3, workers: 30, zones: 3, pods: 30 }
params: { nodeLifecycle: { nodeEvictionRate: 0.5, tolerationSeconds: 1h } }
faults: [ { at: 60s, kill: zone-3 } ]
`, seed);
      expect(obs(run, 'zone', (o) => loose(o)['zone'] === 3 && loose(o)['state'] === 'full').length, `seed ${seed}`).toBe(1);
      expect(byZone.get(3)?.length, `seed ${seed}`).toBe(10);
      expectRate(afterLastState(run, 3, byZone.get(3)!), 0.5, `seed ${seed}`);
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
    const partial = obs(run, 'zone', (o) => loose(o)['state'] === 'partial');
    expect(partial.length).toBe(1);
    expect(loose(partial[0]!)['taintsPerSecond']).toBe(0.25);
    expect(byZone.get(1)?.length).toBe(9);
    expectRate(afterLastState(run, 1, byZone.get(1)!), 0.25, 'partial, large zone');
  });

  it('the same partial disruption in a zone at or below the threshold stops tainting', () => {
    const kills = Array.from({ length: 9 }, (_, i) => `{ at: 60s, kill: worker-${i + 4} }`).join(', ');
    const { run, byZone } = taintTimes(`name: t
duration: 200s
cluster: { workers: 12, pods: 12 }
params: { nodeLifecycle: { secondaryNodeEvictionRate: 0.25, largeClusterSizeThreshold: 12, tolerationSeconds: 1h } }
faults: [ ${kills} ]
`, 1);
    expect(loose(obs(run, 'zone', (o) => loose(o)['state'] === 'partial')[0]!)['taintsPerSecond']).toBe(0);
    // Nodes that went NotReady before the zone crossed 55 % may have been tainted at the primary rate; none after.
    const partialAt = obs(run, 'zone', (o) => loose(o)['state'] === 'partial')[0]!.at / 1e6;
    expect((byZone.get(1) ?? []).filter((t) => t.at > partialAt + WRITE_S)).toEqual([]);
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
    expect(obs(taintTimes(yaml(0.55), 1).run, 'zone', (o) => loose(o)['state'] === 'partial')).toEqual([]);
    expect(obs(taintTimes(yaml(0.5), 1).run, 'zone', (o) => loose(o)['state'] === 'partial').length).toBe(1);
  });
});

/**
 * Run a zone-3 outage (30 workers, a slow tainting rate so zone-3's nodes wait for tokens) with the node lifecycle
 * controller instrumented: `counted` replaces one of its maps at start with a counting one, and `pass` hears each
 * tainting pass with the queue length before it (after it ran).
 */
function instrumentedOutage(durationS: number, counted: 'tokens' | 'nodes', onGet: () => void, pass: (queued: number) => void, beforePass: () => void) {
  const proto = NodeLifecycleController.prototype as unknown as { start(): void; taintPass(): void };
  const start = proto.start;
  const taintPass = proto.taintPass;
  vi.spyOn(proto, 'start').mockImplementation(function (this: Record<string, Map<unknown, unknown>>) {
    const counting = new Map<unknown, unknown>();
    counting.get = (k: unknown) => (onGet(), Map.prototype.get.call(counting, k));
    this[counted] = counting;
    start.call(this);
  });
  vi.spyOn(proto, 'taintPass').mockImplementation(function (this: { taintQueue: Set<string> }) {
    beforePass();
    const queued = this.taintQueue.size;
    taintPass.call(this);
    pass(queued);
  });
  try {
    return new Run(scenario(`name: t
duration: ${durationS}s
cluster: { masters: 3, workers: 30, zones: 3, pods: 30 }
params: { nodeLifecycle: { nodeEvictionRate: 0.05, tolerationSeconds: 1h } }
faults: [ { at: 60s, kill: zone-3 } ]
`), { seed: 1 }).finish();
  } finally {
    vi.restoreAllMocks();
  }
}

describe('tainting pass cost', () => {
  it('a pass looks at a zone out of tokens once, however many of its nodes wait (a whole zone can queue, 10 passes a second)', () => {
    // Count the bucket reads of each pass: the controller's token map replaced by a counting one at start.
    let gets = 0;
    let maxGetsPerPass = 0;
    let passesWithQueue = 0;
    instrumentedOutage(120, 'tokens', () => gets++, (queued) => {
      if (queued >= 5) passesWithQueue++;
      maxGetsPerPass = Math.max(maxGetsPerPass, gets);
    }, () => (gets = 0));
    // zone-3's 10 nodes wait for tokens for many passes; each pass reads zone-3's bucket once (twice when it takes the token), not once per node.
    expect(passesWithQueue).toBeGreaterThan(50);
    expect(maxGetsPerPass).toBeLessThanOrEqual(2);
  });

  it('a pass that would find what the last idle pass found does not walk the queue again', () => {
    // Count the passes that look at any queued node (the controller's node map replaced by a counting one).
    let looked = false;
    let walked = 0;
    let passesWithQueue = 0;
    const report = instrumentedOutage(200, 'nodes', () => (looked = true), (queued) => {
      if (queued < 5) return;
      passesWithQueue++;
      if (looked) walked++;
    }, () => (looked = false));
    expect(report.nodes.notReadyTransitions).toBe(10);
    // ~900 passes with zone-3 queued; a walk follows a monitor pass (every 5 s), a node write, or a new token (every 20 s): ~30.
    expect(passesWithQueue).toBeGreaterThan(600);
    expect(walked).toBeLessThan(60);
  });
});
