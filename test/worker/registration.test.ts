// Kubelets register their Node in a loop of their own (registerWithAPIServer), so at bootstrap the scheduler sees every worker.
import { describe, expect, it } from 'vitest';
import { loose } from '../observations.ts';
import { obs, runWith } from '../etcd/helpers.ts';

/** The datacenter mix's cluster (3 zones, keepalived VIP up at about 3.6 s), no faults. */
const CLUSTER = `name: t
duration: 40s
cluster:
  topology: stacked
  masters: 3
  workers: 3
  zones: 3
  loadBalancer: { count: 2, vip: keepalived }
`;

describe('kubelet node registration', () => {
  it('every worker has registered before the first pods are scheduled, so they spread 4/4/4', () => {
    // Registering only at lease renewals (each kubelet's own 10 s phase) put all 12 pods on the first
    // worker to register in most of these seeds (e.g. seed 10: all on worker-3).
    for (let seed = 1; seed <= 8; seed++) {
      const run = runWith(CLUSTER, seed);
      const perNode = new Map<string, number>();
      for (const o of obs(run, 'pod', (x) => loose(x)['running'] === true)) {
        const node = String(loose(o)['node']);
        perNode.set(node, (perNode.get(node) ?? 0) + 1);
      }
      expect(Object.fromEntries([...perNode].sort()), `seed ${seed}`).toEqual({ 'worker-1': 4, 'worker-2': 4, 'worker-3': 4 });
    }
  });
});
