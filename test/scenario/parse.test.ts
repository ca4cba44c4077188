// Valid scenarios: the SPEC §2 example, defaults, normalized faults and expectations, JSON = YAML, --set overrides.
import { describe, expect, it } from 'vitest';
import { MS, S } from '../../src/scenario/duration.ts';
import { stringify } from 'yaml';
import { applySets, parseScenarioText, readScenarioData, ScenarioSchema, type Fault, type Scenario } from '../../src/scenario/index.ts';

const SPEC_EXAMPLE = `
name: kill-etcd-leader
description: Kill the etcd raft leader in a stacked 3-master cluster and watch the re-election.
duration: 120s
seed: 1                      # default seed; \`seeds: [1, 2, 3]\` for check
cluster:
  topology: stacked          # stacked | external
  masters: 3
  workers: 3
  zones: 1                   # machines spread round-robin over zones
  pods: 12                   # replicas of one sample Deployment
  loadBalancer: { count: 1, vip: none, check: readyz }   # vip: none|keepalived; check: readyz|healthz|tcp
  apiserverEtcd: default     # default (stacked→local, external→all) | local | all | lb | first-endpoint-bug
  componentsApi: local       # how controller-manager/scheduler reach an apiserver: local (kubeadm) | lb
params:                      # every field optional; defaults are the upstream defaults
  etcd: { heartbeatInterval: 100ms, electionTimeout: 1000ms, preVote: true, requestTimeout: 7s, fsync: 1ms }
  leaderElection: { enabled: true, leaseDuration: 15s, renewDeadline: 10s, retryPeriod: 2s }   # also per component:
  kubeScheduler: { releaseOnCancel: true }      # kubeControllerManager: { leaseDuration: … }
  apiserver: { etcdCheckTimeout: 2s, livenessRestart: true }
  haproxy: { inter: 2s, fall: 3, rise: 2, timeoutServer: 20s }
  keepalived: { advertInt: 1s }
  kubelet: { nodeLeaseDuration: 40s }
  nodeLifecycle: { monitorPeriod: 5s, gracePeriod: 50s, tolerationSeconds: 300s }
  network: { latency: 500us, jitter: 200us, loss: 0 }
  probe: { interval: 1s, timeout: 5s }          # the synthetic kubectl client behind the LB/VIP
faults:
  - { at: 30s, kill: "etcd:leader" }
  - { at: 60s, start: "etcd:killed" }
expect:
  - { metric: leaders.etcd.maxLeaderlessSeconds, max: 2.5 }
  - { metric: availability.apiWrite, min: 0.97 }
`;

const election = { leaseDuration: 15 * S, renewDeadline: 10 * S, retryPeriod: 2 * S };

/** What a scenario with only name and duration parses to (durations in µs). */
const DEFAULTS: Omit<Scenario, 'name' | 'duration'> = {
  description: '',
  seed: 1,
  seeds: [1],
  measure: { from: 'ready' },
  cluster: {
    topology: 'stacked',
    masters: 3,
    etcdMembers: 3,
    workers: 3,
    zones: 1,
    pods: 12,
    loadBalancer: { count: 1, vip: 'none', check: 'readyz', placement: 'dedicated' },
    apiserverEtcd: 'local',
    componentsApi: 'local',
    versions: { kubernetes: '1.32', etcd: '3.5' },
  },
  params: {
    etcd: { heartbeatInterval: 100 * MS, electionTimeout: 1000 * MS, preVote: true, requestTimeout: 7 * S, fsync: 1 * MS },
    leaderElection: { enabled: true, ...election },
    kubeScheduler: { releaseOnCancel: true, ...election },
    kubeControllerManager: { releaseOnCancel: false, ...election },
    apiserver: { etcdCheckTimeout: 2 * S, livenessRestart: true },
    haproxy: { inter: 2 * S, fall: 3, rise: 2, timeoutServer: 20 * S, timeoutConnect: 5 * S },
    keepalived: { advertInt: 1 * S },
    kubelet: { nodeLeaseDuration: 40 * S },
    nodeLifecycle: {
      monitorPeriod: 5 * S, gracePeriod: 50 * S, tolerationSeconds: 300 * S,
      nodeEvictionRate: 0.1, secondaryNodeEvictionRate: 0.01, largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55,
    },
    network: { latency: 500, jitter: 200, loss: 0 },
    probe: { interval: 1 * S, timeout: 5 * S },
  },
  faults: [],
  expect: [],
  tour: [],
};

const parse = (text: string, sets?: string[]) => parseScenarioText(text, 'scenarios/x.yaml', { sets });

describe('the SPEC §2 example', () => {
  const s = parse(SPEC_EXAMPLE);
  it('parses durations to integer µs and fills defaults', () => {
    expect(s).toEqual({
      ...DEFAULTS,
      name: 'kill-etcd-leader',
      description: 'Kill the etcd raft leader in a stacked 3-master cluster and watch the re-election.',
      duration: 120 * S,
      faults: [
        { index: 0, at: 30 * S, verb: 'kill', target: 'etcd:leader', scope: 'process' },
        { index: 1, at: 60 * S, verb: 'start', target: 'etcd:killed', scope: 'process' },
      ],
      expect: [
        { index: 0, kind: 'bound', metric: 'leaders.etcd.maxLeaderlessSeconds', max: 2.5 },
        { index: 1, kind: 'bound', metric: 'availability.apiWrite', min: 0.97 },
      ],
    });
  });
  it('is the same scenario when written as JSON', () => {
    const json = JSON.stringify(readScenarioData(SPEC_EXAMPLE, 'x.yaml'));
    expect(parseScenarioText(json, 'scenarios/x.json')).toEqual(s);
    expect(parseScenarioText(json, 'pasted')).toEqual(s); // text starting with "{" is read as JSON
  });
  it('round-trips through YAML with the same result', () => {
    expect(parse(stringify(readScenarioData(SPEC_EXAMPLE, 'x.yaml')))).toEqual(s);
  });
});


describe('defaults', () => {
  it('a minimal scenario is fully populated', () => {
    expect(parse('name: t\nduration: 10s\n')).toEqual({ ...DEFAULTS, name: 't', duration: 10 * S });
  });
  it('external topology defaults to 3 etcd members and apiserverEtcd all', () => {
    const s = parse('name: t\nduration: 10s\ncluster: { topology: external, masters: 5 }\n');
    expect(s.cluster.etcdMembers).toBe(3);
    expect(s.cluster.apiserverEtcd).toBe('all');
  });
  it('stacked etcdMembers equals masters', () => {
    expect(parse('name: t\nduration: 10s\ncluster: { masters: 5 }\n').cluster.etcdMembers).toBe(5);
  });
  it('an explicit apiserverEtcd is kept', () => {
    expect(parse('name: t\nduration: 10s\ncluster: { apiserverEtcd: first-endpoint-bug }\n').cluster.apiserverEtcd).toBe('first-endpoint-bug');
  });
  it('seeds default to [seed]; explicit seeds are kept', () => {
    expect(parse('name: t\nduration: 10s\nseed: 7\n').seeds).toEqual([7]);
    expect(parse('name: t\nduration: 10s\nseeds: [1, 2, 3]\n').seeds).toEqual([1, 2, 3]);
  });
  it('per-component leader election: overrides win, the rest comes from leaderElection', () => {
    const s = parse('name: t\nduration: 10s\nparams:\n  leaderElection: { leaseDuration: 20s }\n  kubeControllerManager: { leaseDuration: 60s, renewDeadline: 40s }\n');
    expect(s.params.kubeScheduler).toEqual({ releaseOnCancel: true, leaseDuration: 20 * S, renewDeadline: 10 * S, retryPeriod: 2 * S });
    expect(s.params.kubeControllerManager).toEqual({ releaseOnCancel: false, leaseDuration: 60 * S, renewDeadline: 40 * S, retryPeriod: 2 * S });
  });
  it('disabled leader election skips the lease timing rules', () => {
    expect(() => parse('name: t\nduration: 10s\nparams:\n  leaderElection: { enabled: false, renewDeadline: 1s }\n')).not.toThrow();
  });
});

describe('faults are normalized', () => {
  const text = `name: t
duration: 10m
cluster: { topology: external, zones: 2, loadBalancer: { count: 2, vip: keepalived } }
faults:
  - { at: 1s, for: 20s, stop: "kube-scheduler:leader", scope: machine }
  - { at: 2s, pause: master-1/kube-apiserver }
  - { at: 3s, resume: master-1/kube-apiserver }
  - { at: 4s, partition: [[master-1, etcd-1], [zone-2]] }
  - { at: 5s, isolate: lb-1 }
  - { at: 6s, cut: { from: master-1, to: master-2 } }
  - { at: 7s, cut: { from: client, to: [lb-1, lb-2], oneWay: true } }
  - { at: 8s, heal: all }
  - { at: 9s, latency: { between: [master-1, etcd-2], add: 200ms, jitter: 50ms } }
  - { at: 10s, latency: { between: all, add: 1ms } }
  - { at: 11s, loss: { between: all, rate: 0.3 } }
  - { at: 12s, clock: { target: master-2, offset: -5s, rate: 1.3 } }
  - { at: 13s, disk: { target: etcd-1, fsync: 500ms } }
  - { random: { targets: etcd, mtbf: 30d, mttr: 1h } }
  - { at: 14s, kill: zone-1 }
  - { at: 15s, clock: { target: "vip:holder" } }
`;
  const expected: Fault[] = [
    { index: 0, at: 1 * S, for: 20 * S, verb: 'stop', target: 'kube-scheduler:leader', scope: 'machine' },
    { index: 1, at: 2 * S, verb: 'pause', target: 'master-1/kube-apiserver', scope: 'process' },
    { index: 2, at: 3 * S, verb: 'resume', target: 'master-1/kube-apiserver', scope: 'process' },
    { index: 3, at: 4 * S, verb: 'partition', groups: [['master-1', 'etcd-1'], ['zone-2']] },
    { index: 4, at: 5 * S, verb: 'isolate', target: 'lb-1' },
    { index: 5, at: 6 * S, verb: 'cut', from: 'master-1', to: ['master-2'], oneWay: false },
    { index: 6, at: 7 * S, verb: 'cut', from: 'client', to: ['lb-1', 'lb-2'], oneWay: true },
    { index: 7, at: 8 * S, verb: 'heal' },
    { index: 8, at: 9 * S, verb: 'latency', between: ['master-1', 'etcd-2'], add: 200 * MS, jitter: 50 * MS },
    { index: 9, at: 10 * S, verb: 'latency', between: 'all', add: 1 * MS, jitter: 0 },
    { index: 10, at: 11 * S, verb: 'loss', between: 'all', rate: 0.3 },
    { index: 11, at: 12 * S, verb: 'clock', target: 'master-2', offset: -5 * S, rate: 1.3 },
    { index: 12, at: 13 * S, verb: 'disk', target: 'etcd-1', fsync: 500 * MS },
    { index: 13, at: 0, verb: 'random', targets: 'etcd', mtbf: 30 * 86_400 * S, mttr: 3600 * S, randomVerb: 'kill' },
    { index: 14, at: 14 * S, verb: 'kill', target: 'zone-1', scope: 'process' },
    { index: 15, at: 15 * S, verb: 'clock', target: 'vip:holder', offset: 0, rate: 1 },
  ];
  it('every verb', () => {
    expect(parse(text).faults).toEqual(expected);
  });
  it('omits `for` when not given (no undefined keys)', () => {
    expect(Object.keys(parse(text).faults[1]!)).not.toContain('for');
  });
});

describe('expectations are normalized', () => {
  it('bounds and temporal assertions', () => {
    const s = parse(`name: t
duration: 60s
expect:
  - { metric: failovers.kube-scheduler.maxGapSeconds, min: 0, max: 30 }
  - { always: "etcd quorum" }
  - { never: "two schedulers lead" }
  - { sometimes: "apiWrite fails" }
  - { eventually: "all groups have a leader", within: 30s }
  - { eventually: "writes succeed", within: 1m, after: start }
`);
    expect(s.expect).toEqual([
      { index: 0, kind: 'bound', metric: 'failovers.kube-scheduler.maxGapSeconds', min: 0, max: 30 },
      { index: 1, kind: 'always', condition: 'etcd quorum' },
      { index: 2, kind: 'never', condition: 'two schedulers lead' },
      { index: 3, kind: 'sometimes', condition: 'apiWrite fails' },
      { index: 4, kind: 'eventually', condition: 'all groups have a leader', within: 30 * S, after: 'lastFault' },
      { index: 5, kind: 'eventually', condition: 'writes succeed', within: 60 * S, after: 'start' },
    ]);
  });
});

describe('--set overrides', () => {
  const base = 'name: t\nduration: 120s\nfaults:\n  - { at: 30s, kill: "etcd:leader" }\n';
  it('params.leaderElection.leaseDuration=30s', () => {
    const s = parse(base, ['params.leaderElection.leaseDuration=30s']);
    expect(s.params.leaderElection.leaseDuration).toBe(30 * S);
    expect(s.params.kubeScheduler.leaseDuration).toBe(30 * S);
    expect(s.params.kubeControllerManager.leaseDuration).toBe(30 * S);
  });
  it('faults.0.at=10s', () => {
    expect(parse(base, ['faults.0.at=10s']).faults[0]!.at).toBe(10 * S);
  });
  it('cluster.topology=external', () => {
    const s = parse(base, ['cluster.topology=external']);
    expect(s.cluster.topology).toBe('external');
    expect(s.cluster.etcdMembers).toBe(3);
    expect(s.cluster.apiserverEtcd).toBe('all');
  });
  it('values are YAML scalars and flow values', () => {
    const s = parse(base, ['seed=5', 'params.etcd.preVote=false', 'seeds=[1, 2]', 'description=a b', 'cluster.workers=0']);
    expect(s.seed).toBe(5);
    expect(s.params.etcd.preVote).toBe(false);
    expect(s.seeds).toEqual([1, 2]);
    expect(s.description).toBe('a b');
    expect(s.cluster.workers).toBe(0);
  });
  it('later --set wins, and a list can be appended to', () => {
    const s = parse(base, ['seed=5', 'seed=6', 'faults.1={ at: 40s, start: "etcd:killed" }']);
    expect(s.seed).toBe(6);
    expect(s.faults[1]).toEqual({ index: 1, at: 40 * S, verb: 'start', target: 'etcd:killed', scope: 'process' });
  });
  it('applySets copies: the input is not modified', () => {
    const raw = { name: 't', duration: '1s', params: { etcd: { fsync: '1ms' } } };
    const out = applySets(raw, ['params.etcd.fsync=5ms', 'params.network.loss=0.1'], 'x') as typeof raw;
    expect(raw.params.etcd.fsync).toBe('1ms');
    expect(out.params.etcd.fsync).toBe('5ms');
    expect(out).toMatchObject({ params: { network: { loss: 0.1 } } });
  });
});

describe('ScenarioSchema', () => {
  it('can be used directly (the web UI validates objects it built)', () => {
    const r = ScenarioSchema.safeParse({ name: 't', duration: '1m', faults: [{ at: '2m', kill: 'master-1' }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['faults', 0, 'at']);
  });
  it('accepts 10,000 workers quickly', () => {
    const s = parse('name: t\nduration: 1h\ncluster: { workers: 10000 }\nfaults:\n  - { at: 1s, isolate: worker-10000 }\n');
    expect(s.cluster.workers).toBe(10000);
  });
});
