// Request classes, flow-schema matching (bootstrap/default.go) and load-spec validation paths.
import { describe, expect, it } from 'vitest';
import { clientDefaultsFor, cpuWorkUs, flowSchemaFor, REQUEST_CLASSES } from '../../src/load/classes.ts';
import { validateLoadSpec, type LoadSpec } from '../../src/load/spec.ts';

describe('request classes', () => {
  it('every class is costed, and every cost says where it comes from', () => {
    for (const c of Object.values(REQUEST_CLASSES)) {
      expect(c.cpuUs).toBeGreaterThan(0);
      expect(c.cpuSource).toMatch(/assumption|upstream/);
    }
  });

  it('writes go through etcd transactions, GET reads etcd, LIST only asks etcd for the revision, WATCH is long-running', () => {
    expect(REQUEST_CLASSES.create.etcd).toBe('txn');
    expect(REQUEST_CLASSES['pod-status']).toMatchObject({ mutating: true, etcd: 'txn' });
    expect(REQUEST_CLASSES.get.etcd).toBe('range');
    expect(REQUEST_CLASSES.list.etcd).toBe('current-revision');
    expect(REQUEST_CLASSES.watch).toMatchObject({ longRunning: true, etcd: 'none' });
  });

  it('LIST cost grows with the objects returned', () => {
    expect(cpuWorkUs('list', 1000)).toBe(REQUEST_CLASSES.list.cpuUs + 1000 * REQUEST_CLASSES.list.cpuPerObjectUs);
    expect(cpuWorkUs('get')).toBe(REQUEST_CLASSES.get.cpuUs);
  });
});

describe('flow schemas (bootstrap/default.go v0.32.0)', () => {
  it('node leases go to node-high, other kubelet traffic to system', () => {
    expect(flowSchemaFor('kubelet', 'lease-renew')).toEqual({ flowSchema: 'system-node-high', priorityLevel: 'node-high', distinguisher: 'user' });
    expect(flowSchemaFor('kubelet', 'pod-status').priorityLevel).toBe('system');
  });

  it('leader-election leases of controller-manager and scheduler go to leader-election, the rest to workload-high by namespace', () => {
    expect(flowSchemaFor('scheduler', 'lease-renew').priorityLevel).toBe('leader-election');
    expect(flowSchemaFor('controller-manager', 'list')).toEqual({ flowSchema: 'kube-controller-manager', priorityLevel: 'workload-high', distinguisher: 'namespace' });
  });

  it('probes and system:masters are exempt; users land in global-default, pods in workload-low', () => {
    expect(flowSchemaFor('probe', 'get').priorityLevel).toBe('exempt');
    expect(flowSchemaFor('admin', 'create').priorityLevel).toBe('exempt');
    expect(flowSchemaFor('user', 'list').priorityLevel).toBe('global-default');
    expect(flowSchemaFor('service-account', 'get').priorityLevel).toBe('workload-low');
  });

  it('client QPS/burst defaults by kind', () => {
    expect(clientDefaultsFor('kubelet')).toEqual({ qps: 50, burst: 100 });
    expect(clientDefaultsFor('controller-manager')).toEqual({ qps: 20, burst: 30 });
    expect(clientDefaultsFor('user')).toEqual({ qps: 5, burst: 10 });
    expect(clientDefaultsFor('probe')).toBeNull();
  });
});

describe('validateLoadSpec', () => {
  const good: LoadSpec = {
    balance: 'leastconn',
    goawayChance: 0.001,
    machines: { cores: 4 },
    clients: [{ name: 'ci', kind: 'user', qps: 50, burst: 100, requests: [{ class: 'list', perSecond: 20, objects: 500 }, { class: 'create', perSecond: 5 }] }],
  };

  it('a good spec has no problems', () => {
    expect(validateLoadSpec(good)).toEqual([]);
  });

  it('negative rate, unknown class and unknown kind are reported with their field paths', () => {
    const spec: LoadSpec = {
      clients: [
        { name: 'ci', kind: 'robot', requests: [{ class: 'lsit', perSecond: 1 }, { class: 'get', perSecond: -5 }] },
      ],
    };
    expect(validateLoadSpec(spec)).toEqual([
      'load.clients[0].kind: unknown client kind "robot"; known: kubelet, controller-manager, scheduler, service-account, user, admin, probe',
      'load.clients[0].requests[0].class: unknown request class "lsit"; known: get, list, create, update, watch, lease-renew, pod-status',
      'load.clients[0].requests[1].perSecond: must be at least 0 (got -5)',
    ]);
  });

  it('a concurrency limit of 0: both inflight flags 0', () => {
    expect(validateLoadSpec({ apf: { maxRequestsInflight: 0, maxMutatingRequestsInflight: 0 } })).toEqual([
      'load.apf: concurrency limit 0: maxRequestsInflight + maxMutatingRequestsInflight must add up to something positive (got 0)',
    ]);
  });

  it('a concurrency limit of 0: a queuing level with no shares', () => {
    const levels = [
      { name: 'exempt', exempt: true, nominalConcurrencyShares: 0, lendablePercent: 0, limitResponse: 'queue' as const, queues: 0, handSize: 0, queueLengthLimit: 0 },
      { name: 'mine', exempt: false, nominalConcurrencyShares: 0, lendablePercent: 0, limitResponse: 'queue' as const, queues: 8, handSize: 9, queueLengthLimit: 10 },
      { name: 'rest', exempt: false, nominalConcurrencyShares: 10, lendablePercent: 0, limitResponse: 'queue' as const, queues: 8, handSize: 2, queueLengthLimit: 10 },
    ];
    expect(validateLoadSpec({ apf: { levels } })).toEqual([
      'load.apf.levels[1].handSize: must not exceed queues (9 > 8)',
      'load.apf.levels[1].nominalConcurrencyShares: concurrency limit 0 for level "mine": 0 shares of 600 seats round to no seat; give it shares or make it exempt',
    ]);
  });

  it('goaway chance above 0.02, an unknown balance mode, zero cores, burst 0 with a limit, duplicate names', () => {
    const spec: LoadSpec = {
      goawayChance: 0.05,
      balance: 'source',
      machines: { cores: 0 },
      clients: [
        { name: 'a', kind: 'user', qps: 10, burst: 0, requests: [] },
        { name: 'a', kind: 'user', requests: [{ class: 'get', perSecond: Number.NaN }] },
      ],
    };
    expect(validateLoadSpec(spec, 'scenario.load')).toEqual([
      'scenario.load.goawayChance: must be between 0 and 0.02 (got 0.05)',
      'scenario.load.balance: unknown balance mode "source"; known: roundrobin, leastconn',
      'scenario.load.machines.cores: must be greater than 0 (got 0)',
      'scenario.load.clients[0].burst: must be at least 1 (got 0)',
      'scenario.load.clients[1].name: duplicate client name "a"',
      'scenario.load.clients[1].requests[0].perSecond: must be a finite number (got NaN)',
    ]);
  });
});
