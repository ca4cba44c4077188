// Folding a pod observation costs the same at 5,000 nodes as at 5: running counts are kept as sums, the eviction-wait cause is kept until the state moves.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/trace.ts';
import { Attribution } from '../../src/report/attribution.ts';
import { GROUPS, LeaderTracker } from '../../src/report/leaders.ts';
import { WorkloadTracker } from '../../src/report/workloads.ts';

const NODES = 50;
const ob = (at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation => ({ at, kind, subject, detail } as unknown as Observation);
const podOn = (at: number, i: number, running: boolean): Observation => ob(at, 'pod', `worker-${i}/kubelet`, { pod: `p${i}`, node: `worker-${i}`, running });

/** Makes `map.values()` and `map.keys()` throw: a fold that walks the whole map fails the test. */
function noWalk(map: Map<string, unknown>): void {
  map.values = () => { throw new Error('walked every entry'); };
  map.keys = () => { throw new Error('walked every entry'); };
}

describe('report folds stay O(1) per pod observation', () => {
  it('WorkloadTracker keeps the running count as a sum (kubelet down included)', () => {
    const w = new WorkloadTracker(NODES);
    for (let i = 1; i <= NODES; i++) w.observe(podOn(i, i, true));
    noWalk((w as unknown as { byNode: Map<string, unknown> }).byNode);
    w.observe(podOn(100, 3, false));
    w.observe(ob(200, 'process', 'worker-4/kubelet', { state: 'down' }));
    w.observe(podOn(300, 3, true));
    expect(w.pods()).toEqual({ desired: NODES, maxRunning: NODES, minRunning: NODES - 2 });
    // From t=50 (all ran) to 1050: 50 pods until 100, 49 until 200, 48 until 300, 49 after.
    expect(w.fraction(1050)).toBeCloseTo((50 * 50 + 100 * 49 + 100 * 48 + 750 * 49) / (50 * 1000), 12);
  });

  it('Attribution counts running pods without a pass over every node, and reads the dead kubelets once per change of state', () => {
    const a = new Attribution(new Map(GROUPS.map((g) => [g, new LeaderTracker(g)])));
    for (let i = 1; i <= NODES; i++) a.observe(podOn(i, i, true));
    a.observe(ob(60, 'fault', 'kill zone-1', { phase: 'begin', verb: 'kill' }));
    for (let i = 1; i <= 10; i++) a.observe(ob(61, 'process', `worker-${i}/kubelet`, { state: 'down', cause: 'fault: kill zone-1' }));
    const internals = a as unknown as { pods: Map<string, unknown>; state: { dead: Map<string, unknown> } };
    noWalk(internals.pods);
    let deadScans = 0;
    const keys = internals.state.dead.keys.bind(internals.state.dead);
    internals.state.dead.keys = () => (deadScans++, keys());
    for (let i = 11; i <= NODES; i++) a.observe(podOn(100 + i, i, false));
    // The cause was worked out when the last kubelet went down; 40 pod observations later it is still that answer.
    expect(deadScans).toBe(0);
    const lost = a.finish(1000, 1_000_000, NODES).filter((r) => r.measure === 'lostPodSeconds');
    expect(lost.map((r) => r.mechanism)).toEqual(['node down: eviction wait']);
    expect(lost[0]!.cause).toBe('kill zone-1');
  });
});
