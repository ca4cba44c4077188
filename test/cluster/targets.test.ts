// Fault targets (Targets): machines, processes, etcd members, zones, role selectors, `<component>:killed`, unknown names.
import { describe, expect, it } from 'vitest';
import { refName, Targets, type Ref } from '../../src/cluster/targets.ts';
import { machinesOf, parseScenarioText } from '../../src/scenario/index.ts';
import { scripted, world } from '../kernel/harness.ts';

/** A sim holding the cluster's machines and idle processes (all up), and Targets over it. */
function cluster(topology: 'stacked' | 'external') {
  const members = topology === 'external' ? 'etcdMembers: 3, ' : '';
  const sc = parseScenarioText(`name: t\nduration: 10s\ncluster: { topology: ${topology}, ${members}masters: 3, zones: 3, workers: 2, loadBalancer: { count: 2, vip: keepalived } }\n`, 't.yaml');
  const sim = world();
  for (const m of machinesOf(sc.cluster)) {
    sim.addMachine({ name: m.name, role: m.role, zone: m.zone });
    for (const c of m.components) sim.addProcess({ machine: m.name, component: c, make: scripted({}) });
  }
  for (const m of sim.machines.values()) sim.lifecycle.startMachine(m, 'boot');
  return { sim, targets: new Targets(sim, sc.cluster) };
}

const names = (refs: Ref[]) => refs.map((r) => `${r.kind}:${refName(r)}`);

describe('Targets', () => {
  it('resolves machines, processes and etcd members; scope: machine widens a process to its machine', () => {
    const { targets } = cluster('external');
    expect(names(targets.resolve('master-2'))).toEqual(['machine:master-2']);
    expect(names(targets.resolve('master-2/kube-apiserver'))).toEqual(['process:master-2/kube-apiserver']);
    expect(names(targets.resolve('master-2/kube-apiserver', 'machine'))).toEqual(['machine:master-2']);
    // etcd-i is the member (a process) in both topologies: on etcd-i when external…
    expect(names(targets.resolve('etcd-2'))).toEqual(['process:etcd-2/etcd']);
    // …on master-i when stacked.
    expect(names(cluster('stacked').targets.resolve('etcd-2'))).toEqual(['process:master-2/etcd']);
  });

  it('a zone is every machine in it (machine i is in zone ((i-1) mod zones)+1)', () => {
    const { targets } = cluster('external');
    expect(names(targets.resolve('zone-1')).sort()).toEqual(['machine:etcd-1', 'machine:lb-1', 'machine:master-1', 'machine:worker-1']);
    expect(targets.machines('zone-3').sort()).toEqual(['etcd-3', 'master-3']);
  });

  it('role selectors resolve when asked, to what the model says now; nothing when nobody holds the role', () => {
    const { targets } = cluster('stacked');
    let leader: string | undefined = 'master-3/etcd';
    targets.defineRole('etcd:leader', () => leader);
    expect(names(targets.resolve('etcd:leader'))).toEqual(['process:master-3/etcd']);
    expect(targets.machines('etcd:leader')).toEqual(['master-3']);
    leader = 'master-1/etcd';
    expect(names(targets.resolve('etcd:leader'))).toEqual(['process:master-1/etcd']);
    leader = undefined;
    expect(targets.resolve('etcd:leader')).toEqual([]);
    // A selector no model defined (no VIP holder here) names nothing.
    expect(targets.resolve('vip:holder')).toEqual([]);
  });

  it('<component>:killed is the latest thing a fault took down that is still down', () => {
    const { sim, targets } = cluster('stacked');
    const a1 = sim.process('master-1/kube-apiserver')!;
    const a2 = sim.process('master-2/kube-apiserver')!;
    expect(targets.resolve('kube-apiserver:killed')).toEqual([]);
    for (const p of [a1, a2]) {
      sim.lifecycle.kill(p, 'fault');
      targets.recordDown([{ kind: 'process', process: p }]);
    }
    expect(names(targets.resolve('kube-apiserver:killed'))).toEqual(['process:master-2/kube-apiserver']);
    // Once that one is back, the earlier one still down is next.
    sim.lifecycle.start(a2, 'fault over');
    expect(names(targets.resolve('kube-apiserver:killed'))).toEqual(['process:master-1/kube-apiserver']);
    sim.lifecycle.start(a1, 'fault over');
    expect(targets.resolve('kube-apiserver:killed')).toEqual([]);
    // A machine taken down stands for each of its components.
    const m3 = sim.machine('master-3')!;
    sim.lifecycle.killMachine(m3, 'fault');
    targets.recordDown([{ kind: 'machine', machine: m3 }]);
    expect(names(targets.resolve('etcd:killed'))).toEqual(['machine:master-3']);
    expect(names(targets.resolve('kube-scheduler:killed'))).toEqual(['machine:master-3']);
  });

  it('throws on names the cluster does not have', () => {
    const { targets } = cluster('external');
    for (const bad of ['master-4', 'zone-4', 'etcd-4', 'master-1/etcd', 'lb-1/kube-apiserver', 'nonsense']) {
      expect(() => targets.resolve(bad), bad).toThrow(`unresolvable target ${bad}`);
    }
  });
});
