// Machine, process and target names: machine lists per topology, zones round-robin, target checks.
import { describe, expect, it } from 'vitest';
import {
  checkTarget,
  etcdMemberProcess,
  machinesInZone,
  machinesOf,
  parseTarget,
  ROLE_SELECTORS,
  type NamesCluster,
} from '../../src/scenario/names.ts';

const stacked: NamesCluster = {
  topology: 'stacked',
  masters: 3,
  etcdMembers: 3,
  workers: 3,
  zones: 1,
  loadBalancer: { count: 1, vip: 'none', check: 'readyz', placement: 'dedicated' },
  apiserverEtcd: 'local',
};
const external: NamesCluster = {
  topology: 'external',
  masters: 3,
  etcdMembers: 5,
  workers: 4,
  zones: 3,
  loadBalancer: { count: 2, vip: 'keepalived', check: 'readyz', placement: 'dedicated' },
  apiserverEtcd: 'lb',
};
const CONTROL = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'];

describe('machinesOf', () => {
  it('stacked: masters run etcd; one LB; workers; client', () => {
    expect(machinesOf(stacked)).toEqual([
      { name: 'master-1', role: 'master', zone: 1, components: [...CONTROL, 'etcd'] },
      { name: 'master-2', role: 'master', zone: 1, components: [...CONTROL, 'etcd'] },
      { name: 'master-3', role: 'master', zone: 1, components: [...CONTROL, 'etcd'] },
      { name: 'lb-1', role: 'lb', zone: 1, components: ['haproxy'] },
      { name: 'worker-1', role: 'worker', zone: 1, components: ['kubelet'] },
      { name: 'worker-2', role: 'worker', zone: 1, components: ['kubelet'] },
      { name: 'worker-3', role: 'worker', zone: 1, components: ['kubelet'] },
      { name: 'client', role: 'client', zone: null, components: [] },
    ]);
  });
  it('external with keepalived and etcd LBs: every class spread round-robin over zones', () => {
    const byName = Object.fromEntries(machinesOf(external).map((m) => [m.name, m]));
    expect(Object.keys(byName)).toEqual([
      'master-1', 'master-2', 'master-3',
      'etcd-1', 'etcd-2', 'etcd-3', 'etcd-4', 'etcd-5',
      'lb-1', 'lb-2',
      'etcd-lb-1', 'etcd-lb-2', 'etcd-lb-3',
      'worker-1', 'worker-2', 'worker-3', 'worker-4',
      'client',
    ]);
    expect(byName['master-1']!.components).toEqual(CONTROL);
    expect(byName['etcd-4']).toEqual({ name: 'etcd-4', role: 'etcd', zone: 1, components: ['etcd'] });
    expect(byName['lb-2']).toEqual({ name: 'lb-2', role: 'lb', zone: 2, components: ['haproxy', 'keepalived'] });
    expect(byName['etcd-lb-3']).toEqual({ name: 'etcd-lb-3', role: 'etcd-lb', zone: 3, components: ['haproxy'] });
    expect(['etcd-1', 'etcd-2', 'etcd-3', 'etcd-4', 'etcd-5'].map((n) => byName[n]!.zone)).toEqual([1, 2, 3, 1, 2]);
    expect(byName['worker-4']!.zone).toBe(1);
    expect(byName['client']!.zone).toBeNull();
  });
  it('machinesInZone', () => {
    expect(machinesInZone(external, 3)).toEqual(['master-3', 'etcd-3', 'etcd-lb-3', 'worker-3']);
  });
  it('no load balancers, no workers', () => {
    const names = machinesOf({ ...stacked, workers: 0, loadBalancer: { count: 0, vip: 'none', check: 'tcp', placement: 'dedicated' } }).map((m) => m.name);
    expect(names).toEqual(['master-1', 'master-2', 'master-3', 'client']);
  });
});

describe('etcd members', () => {
  it('etcdMemberProcess follows the topology', () => {
    expect(etcdMemberProcess(stacked, 2)).toBe('master-2/etcd');
    expect(etcdMemberProcess(external, 2)).toBe('etcd-2/etcd');
  });
  it('etcd-i is the member in both topologies', () => {
    expect(parseTarget('etcd-2', stacked)).toEqual({ kind: 'etcd-member', index: 2, machine: 'master-2' });
    expect(parseTarget('etcd-2', external)).toEqual({ kind: 'etcd-member', index: 2, machine: 'etcd-2' });
    expect(parseTarget('etcd-4', stacked)).toBeNull();
  });
});

describe('ROLE_SELECTORS', () => {
  it('has the named roles and <component>:killed for every component', () => {
    expect(ROLE_SELECTORS).toEqual(
      expect.arrayContaining(['etcd:leader', 'etcd:follower', 'kube-scheduler:leader', 'kube-controller-manager:leader', 'vip:holder', 'etcd:killed', 'kubelet:killed', 'haproxy:killed']),
    );
    expect(ROLE_SELECTORS).toHaveLength(12);
  });
});

describe('checkTarget', () => {
  const accepted: [string, NamesCluster, Parameters<typeof checkTarget>[2]][] = [
    ['master-1', stacked, 'process-or-machine'],
    ['master-3/kube-apiserver', stacked, 'process-or-machine'],
    ['master-1/etcd', stacked, 'process-or-machine'],
    ['etcd-3', stacked, 'process-or-machine'],
    ['etcd-3', stacked, 'machine'],
    ['etcd-5/etcd', external, 'process-or-machine'],
    ['lb-2/keepalived', external, 'process-or-machine'],
    ['etcd-lb-1/haproxy', external, 'process-or-machine'],
    ['client', stacked, 'machine'],
    ['zone-3', external, 'machine-or-zone'],
    ['zone-1', stacked, 'process-machine-or-zone'],
    ['etcd:leader', stacked, 'process-or-machine'],
    ['etcd:leader', stacked, 'machine'],
    ['vip:holder', external, 'machine'],
    ['keepalived:killed', external, 'process-or-machine'],
  ];
  it.each(accepted)('accepts %s', (target, cluster, kind) => {
    expect(checkTarget(target, cluster, kind)).toBeNull();
  });

  const rejected: [string, NamesCluster, Parameters<typeof checkTarget>[2], string][] = [
    ['master-4', stacked, 'process-or-machine', 'unknown target "master-4" (machines: master-1..3, lb-1, worker-1..3, client; etcd members: etcd-1..3; processes like master-1/kube-apiserver; roles: etcd:leader, etcd:follower, kube-scheduler:leader, kube-controller-manager:leader, vip:holder, <component>:killed)'],
    ['etcd-1/etcd', stacked, 'process-or-machine', 'unknown target "etcd-1/etcd"'],
    ['master-1/etcd', external, 'process-or-machine', 'unknown target "master-1/etcd" (master-1 runs kube-apiserver, kube-controller-manager, kube-scheduler, kubelet)'],
    ['master-1/kube-apiservr', stacked, 'process-or-machine', 'did you mean master-1/kube-apiserver?'],
    ['client/kubelet', stacked, 'process-or-machine', 'client runs no processes'],
    ['lb-1/keepalived', stacked, 'process-or-machine', 'lb-1 runs haproxy'],
    ['etcd-lb-1', stacked, 'machine', 'unknown target "etcd-lb-1"'],
    ['zone-2', stacked, 'machine-or-zone', 'zones: zone-1'],
    ['zone-1', stacked, 'process-or-machine', '"zone-1" names a zone; expected a process or a machine'],
    ['master-1/etcd', stacked, 'machine', '"master-1/etcd" is a process; expected a machine (for instance master-1)'],
    ['vip:holder', stacked, 'machine', 'vip:holder needs a VIP'],
    ['keepalived:killed', stacked, 'process-or-machine', 'keepalived:killed: no machine of this cluster runs keepalived'],
    ['etcd:follower', { ...stacked, masters: 1, etcdMembers: 1 }, 'process-or-machine', 'etcd:follower needs at least two etcd members'],
    ['mastr-1', stacked, 'machine', 'did you mean master-1?'],
    ['', stacked, 'machine', 'unknown target ""'],
  ];
  it.each(rejected)('rejects %j', (target, cluster, kind, message) => {
    expect(checkTarget(target, cluster, kind)).toContain(message);
  });
});
