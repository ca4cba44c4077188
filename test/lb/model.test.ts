// The load-balancer models as the topology builder uses them: configuration, endpoints, a full run.
import { describe, expect, it } from 'vitest';
import { MODELS, type BuildContext } from '../../src/cluster/models/index.ts';
import { Run } from '../../src/cluster/run.ts';
import { SECOND } from '../../src/kernel/time.ts';
import { Haproxy } from '../../src/lb/haproxy.ts';
import { Keepalived } from '../../src/lb/keepalived.ts';
import { haproxyModel, keepalivedModel } from '../../src/cluster/models/lb.ts';
import { controlPlaneEndpoint, etcdEndpointFor, etcdTargets, machineByName, parseScenarioText, type Scenario } from '../../src/scenario/index.ts';
import { loose } from '../observations.ts';

function scenario(cluster: string, rest = ''): Scenario {
  return parseScenarioText(`name: t\nduration: 60s\ncluster: ${cluster}\n${rest}`, 'test.yaml');
}

/** The actor a model makes for `machine` (or null). */
function actorOn(model: typeof haproxyModel, sc: Scenario, machine: string): unknown {
  const info = machineByName(machine, sc.cluster)!;
  const make = model.actor(info, { scenario: sc } as BuildContext);
  return make === null ? null : make();
}

describe('endpoints', () => {
  it.each([
    ['{ loadBalancer: { count: 2, vip: keepalived } }', 'vip'],
    ['{ loadBalancer: { count: 1 } }', 'lb-1/haproxy'],
    ['{ loadBalancer: { count: 0 } }', 'master-1/kube-apiserver'],
  ])('controlPlaneEndpoint(%s) = %s', (cluster, endpoint) => {
    expect(controlPlaneEndpoint(scenario(cluster).cluster)).toBe(endpoint);
  });

  it('etcdTargets with apiserverEtcd: lb: master i talks to etcd through its own etcd-lb-i haproxy', () => {
    const c = scenario('{ apiserverEtcd: lb }').cluster;
    expect([1, 2, 3].map((i) => etcdTargets(c, i))).toEqual([[etcdEndpointFor(1)], [etcdEndpointFor(2)], [etcdEndpointFor(3)]]);
    expect(etcdEndpointFor(2)).toBe('etcd-lb-2/haproxy');
  });
});

describe('haproxyModel', () => {
  const sc = scenario('{ topology: external, masters: 3, etcdMembers: 5, loadBalancer: { count: 2, check: healthz }, apiserverEtcd: lb }',
    'params: { haproxy: { inter: 1s, fall: 4, rise: 3, timeoutServer: 30s } }');

  it('on lb-i: every kube-apiserver, with the cluster\'s check and the scenario\'s timings', () => {
    const h = actorOn(haproxyModel, sc, 'lb-2') as Haproxy;
    expect(h.cfg).toMatchObject({
      backends: ['master-1/kube-apiserver', 'master-2/kube-apiserver', 'master-3/kube-apiserver'],
      check: 'healthz', interUs: 1 * SECOND, fall: 4, rise: 3, timeoutServerUs: 30 * SECOND,
      timeoutConnectUs: 5 * SECOND, retries: 1, redispatch: true,
    });
    expect(h.cfg.timeoutCheckUs).toBeUndefined();
  });

  it('on etcd-lb-i: every etcd member, checked with etcd /health', () => {
    const h = actorOn(haproxyModel, sc, 'etcd-lb-1') as Haproxy;
    expect(h.cfg.backends).toEqual([1, 2, 3, 4, 5].map((i) => `etcd-${i}/etcd`));
    expect(h.cfg.check).toBe('etcd-health');
  });

  it('nowhere else', () => {
    expect(actorOn(haproxyModel, sc, 'master-1')).toBeNull();
    expect(actorOn(haproxyModel, sc, 'etcd-1')).toBeNull();
  });
});

describe('keepalivedModel', () => {
  it('priorities 101, 100, 99 (kubeadm example), every other LB a peer, the local haproxy tracked', () => {
    const sc = scenario('{ loadBalancer: { count: 3, vip: keepalived } }', 'params: { keepalived: { advertInt: 2s } }');
    const ks = ['lb-1', 'lb-2', 'lb-3'].map((m) => actorOn(keepalivedModel, sc, m) as Keepalived);
    expect(ks.map((k) => k.cfg.priority)).toEqual([101, 100, 99]);
    expect(ks[1]!.cfg).toMatchObject({
      peers: ['lb-1/keepalived', 'lb-3/keepalived'], advertIntUs: 2 * SECOND, preempt: true, vip: 'vip', vipTarget: 'lb-2/haproxy',
      script: { target: 'lb-2/haproxy', intervalUs: 3 * SECOND, timeoutUs: 2 * SECOND, fall: 10, rise: 2, weight: -2 },
    });
  });

  it('only with vip: keepalived', () => {
    const sc = scenario('{ loadBalancer: { count: 2, vip: none } }');
    expect(actorOn(keepalivedModel, sc, 'lb-1')).toBeNull();
  });
});

describe('in a full run (every model registered)', () => {
  it('the load-balancer models are registered with the topology builder', () => {
    expect(MODELS).toContain(haproxyModel);
    expect(MODELS).toContain(keepalivedModel);
  });

  it('kill vip:holder (scope machine) moves the VIP from lb-1 to lb-2; etcd haproxies see every real etcd member UP after boot', () => {
    const sc = scenario('{ loadBalancer: { count: 2, vip: keepalived }, apiserverEtcd: lb }',
      'faults: [ { at: 20s, kill: "vip:holder", scope: machine } ]');
    const run = new Run(sc);
    run.advance(40 * SECOND);
    const obs = run.sim.trace.observations;
    const vip = obs.filter((o) => o.kind === 'vip' && o.detail['state'] === 'MASTER').map((o) => loose(o)['holder']);
    expect(vip).toEqual(['lb-1', 'lb-2']);
    expect(run.sim.aliases.get('vip')).toBe('lb-2/haproxy');
    const fault = obs.find((o) => o.kind === 'fault' && o.detail['phase'] === 'begin')!;
    expect(loose(fault)['targets']).toEqual(['lb-1']);
    // Booting together, a member checked before etcd elected its first leader answers /health false
    // and, haproxy servers starting at health = rise, is DOWN until two checks pass: only during boot.
    const etcdLb = obs.filter((o) => o.kind === 'lb-backend' && o.subject.startsWith('etcd-lb-'));
    expect(etcdLb.filter((o) => loose(o)['reason'] === 'initial').length).toBe(9); // 3 etcd haproxies × 3 members
    expect(etcdLb.filter((o) => o.at > 10 * SECOND)).toEqual([]);
    const last = new Map(etcdLb.map((o) => [`${o.subject} ${loose(o)['backend']}`, loose(o)['state']]));
    expect([...last.values()].every((s) => s === 'UP')).toBe(true);
  });

  it('vip:holder names the running MASTER\'s keepalived, and nothing while no one holds it', () => {
    const sc = scenario('{ loadBalancer: { count: 2, vip: keepalived } }',
      'faults: [ { at: 1s, kill: "vip:holder" }, { at: 20s, kill: "vip:holder" } ]');
    const run = new Run(sc);
    run.advance(25 * SECOND);
    const faults = run.sim.trace.observations.filter((o) => o.kind === 'fault' && o.detail['phase'] === 'begin');
    expect(faults.map((o) => loose(o)['targets'])).toEqual([[], ['lb-1/keepalived']]);
  });
});
