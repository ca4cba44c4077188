// Synthetic observations of the control-plane kinds, in the shapes their models emit (web/src/readers.ts lists them), drawn without running those models.
import type { Observation } from '../../src/kernel/trace.ts';
import { observation } from '../observations.ts';

export const SYNTHETIC_SCENARIO = `name: synthetic-control-plane
description: Real etcd, plus synthetic observations for the rest of the cluster (nodes, pods and apiserver readiness have no model yet).
duration: 60s
cluster:
  topology: stacked
  masters: 3
  workers: 4
  zones: 2
  loadBalancer: { count: 2, vip: keepalived }
faults:
  - { at: 30s, kill: "etcd:leader" }
`;

const S = 1_000_000;

/** Every process of the scenario, with their observations over 60 s: a lease change, a DOWN backend, a partition… */
export function syntheticObservations(): { observations: Observation[]; processes: string[] } {
  const o: Observation[] = [];
  const add = (at: number, kind: string, subject: string, detail: Record<string, unknown>) => o.push(observation(at, kind, subject, detail));
  const masters = [1, 2, 3].map((i) => `master-${i}`);
  const workers = [1, 2, 3, 4].map((i) => `worker-${i}`);
  const processes = [
    ...masters.flatMap((m) => ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'].map((c) => `${m}/${c}`)),
    ...['lb-1', 'lb-2'].flatMap((m) => [`${m}/haproxy`, `${m}/keepalived`]),
    ...workers.map((w) => `${w}/kubelet`),
  ];
  for (const p of processes) add(0, 'process', p, { state: 'up', cause: 'boot' });
  add(2 * S, 'leader', 'master-1/kube-scheduler', { group: 'kube-scheduler', leading: true, cause: 'acquired the lease' });
  add(2 * S, 'lease', 'master-1/kube-apiserver', { group: 'kube-scheduler', holder: 'master-1_0a1b2c3d', transitions: 0, revision: 7 });
  add(3 * S, 'leader', 'master-2/kube-controller-manager', { group: 'kube-controller-manager', leading: true, cause: 'acquired the lease' });
  add(3 * S, 'lease', 'master-1/kube-apiserver', { group: 'kube-controller-manager', holder: 'master-2_5e6f7a8b', transitions: 0, revision: 9 });
  for (const lb of ['lb-1', 'lb-2']) for (const m of masters) add(1 * S, 'lb-backend', `${lb}/haproxy`, { backend: `${m}/kube-apiserver`, state: 'UP', reason: 'initial' });
  add(1 * S, 'vip', 'lb-1/keepalived', { holder: 'lb-1', state: 'MASTER', priority: 101 });
  for (const w of workers) add(1 * S, 'node', 'master-2/kube-controller-manager', { node: w, ready: true, note: `${w} Ready again: its lease is renewed` });
  for (let i = 1; i <= 8; i++) add(4 * S, 'pod', `${workers[(i - 1) % 4]}/kubelet`, { pod: `web-${i}`, node: workers[(i - 1) % 4], running: true });
  for (let t = 1; t < 60; t++) {
    const failing = t >= 30 && t <= 32;
    add(t * S + 1000, 'probe', 'client', { op: 'read', ok: true, latencyMs: 3 });
    add(t * S + 2000, 'probe', 'client', failing ? { op: 'write', ok: false, latencyMs: 5000, error: 'etcdserver: no leader' } : { op: 'write', ok: true, latencyMs: 4 });
  }
  add(34 * S, 'apiserver', 'master-1/kube-apiserver', { ready: false, cause: 'etcd check failed: local member down' });
  add(36 * S, 'lb-backend', 'lb-1/haproxy', { backend: 'master-1/kube-apiserver', state: 'DOWN', reason: 'HTTP 500', note: 'master-1/kube-apiserver marked DOWN after 3 failed /readyz checks (HTTP 500)' });
  add(36 * S, 'lb-backend', 'lb-2/haproxy', { backend: 'master-1/kube-apiserver', state: 'DOWN', reason: 'HTTP 500', note: 'master-1/kube-apiserver marked DOWN after 3 failed /readyz checks (HTTP 500)' });
  add(40 * S, 'vip', 'lb-1/keepalived', { holder: null, state: 'BACKUP', priority: 100 });
  add(40 * S, 'vip', 'lb-2/keepalived', { holder: 'lb-2', state: 'MASTER', priority: 100 });
  add(42 * S, 'fault', 'partition [master-3,worker-2]', { verb: 'partition', index: 1, phase: 'begin', text: 'partition [master-3, worker-2] | [everyone else]', forSeconds: 15 });
  add(42 * S, 'network', 'network', { partition: [['master-3', 'worker-2']], cuts: [], isolated: [] });
  add(44 * S, 'process', 'master-3/kube-scheduler', { state: 'paused', cause: 'synthetic GC pause' });
  add(46 * S, 'node', 'master-2/kube-controller-manager', { node: 'worker-2', ready: false, note: 'worker-2 NotReady: no lease renewal for 40 s' });
  add(57 * S, 'fault', 'partition [master-3,worker-2]', { verb: 'partition', index: 1, phase: 'end', text: 'end of partition' });
  add(57 * S, 'network', 'network', { partition: null, cuts: [], isolated: [] });
  return { observations: o.sort((a, b) => a.at - b.at), processes };
}
