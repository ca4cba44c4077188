// Request classes (what a request costs and where it is served) and which APF priority level each client's requests get.
//
// Where each request is served follows kubernetes/apiserver v0.32.0 pkg/storage/cacher/cacher.go:
// - Cacher.Get with resourceVersion "" goes to etcd ("for backward compatibility");
// - Cacher.GetList with resourceVersion "" is served from the watch cache once
//   GetCurrentResourceVersionFromStorage has asked etcd for the current revision
//   (ConsistentListFromCache, beta and on by default since 1.31, pkg/features/kube_features.go);
//   while the cache is (re)initialising after a restart a LIST gets 429 "storage is
//   (re)initializing" with Retry-After 1 (ResilientWatchCacheInitialization);
// - writes (create, update, patch) are etcd transactions through raft;
// - WATCH is served from the watch cache and is a long-running request: APF only holds its seat
//   while the watch initialises (filters/priority-and-fairness.go), it never counts as in-flight.
//
// CPU costs are ASSUMPTIONS, each marked so: upstream publishes no per-request service time. What
// upstream does publish is an SLO to judge the results against (kubernetes/community
// sig-scalability/slos/api_call_latency.md): p99 ≤ 1 s for mutating and single-object calls,
// ≤ 30 s for cluster-scoped LISTs.

import type { PriorityLevelSpec } from './apf-config.ts';
import { CLIENT_DEFAULTS } from './ratelimit.ts';

export type RequestClassName = 'get' | 'list' | 'create' | 'update' | 'watch' | 'lease-renew' | 'pod-status';

/** What the apiserver asks of etcd for one request. */
export type EtcdUse = 'range' | 'current-revision' | 'txn' | 'none';

export interface RequestClass {
  name: RequestClassName;
  mutating: boolean;
  longRunning: boolean;
  etcd: EtcdUse;
  /** apiserver CPU per request, one core, µs. ASSUMPTION unless `cpuSource` says otherwise. */
  cpuUs: number;
  /** Extra apiserver CPU per object returned (LIST) or per event sent (WATCH), µs. ASSUMPTION. */
  cpuPerObjectUs: number;
  cpuSource: string;
}

const ASSUMED = 'assumption: no upstream per-request figure; order of magnitude only';

export const REQUEST_CLASSES: Readonly<Record<RequestClassName, RequestClass>> = Object.freeze({
  get: { name: 'get', mutating: false, longRunning: false, etcd: 'range', cpuUs: 500, cpuPerObjectUs: 0, cpuSource: ASSUMED },
  list: { name: 'list', mutating: false, longRunning: false, etcd: 'current-revision', cpuUs: 2_000, cpuPerObjectUs: 20, cpuSource: ASSUMED },
  create: { name: 'create', mutating: true, longRunning: false, etcd: 'txn', cpuUs: 2_000, cpuPerObjectUs: 0, cpuSource: ASSUMED },
  update: { name: 'update', mutating: true, longRunning: false, etcd: 'txn', cpuUs: 2_000, cpuPerObjectUs: 0, cpuSource: ASSUMED },
  watch: { name: 'watch', mutating: false, longRunning: true, etcd: 'none', cpuUs: 1_000, cpuPerObjectUs: 20, cpuSource: ASSUMED },
  'lease-renew': { name: 'lease-renew', mutating: true, longRunning: false, etcd: 'txn', cpuUs: 1_000, cpuPerObjectUs: 0, cpuSource: ASSUMED },
  'pod-status': { name: 'pod-status', mutating: true, longRunning: false, etcd: 'txn', cpuUs: 1_500, cpuPerObjectUs: 0, cpuSource: ASSUMED },
});

export const REQUEST_CLASS_NAMES = Object.keys(REQUEST_CLASSES) as RequestClassName[];

export function isRequestClass(name: string): name is RequestClassName {
  return Object.prototype.hasOwnProperty.call(REQUEST_CLASSES, name);
}

/** Who sends a request, as APF's flow schemas see the user. */
export type ClientKind = 'kubelet' | 'controller-manager' | 'scheduler' | 'service-account' | 'user' | 'admin' | 'probe';
export const CLIENT_KINDS: readonly ClientKind[] = ['kubelet', 'controller-manager', 'scheduler', 'service-account', 'user', 'admin', 'probe'];

export interface FlowSchemaMatch {
  flowSchema: string;
  priorityLevel: PriorityLevelSpec['name'];
  /** How the flow is told apart (FlowDistinguisherMethod): by user, by namespace, or none (exempt). */
  distinguisher: 'user' | 'namespace' | 'none';
}

/**
 * The flow schema that matches first (lowest matchingPrecedence) in bootstrap/default.go v0.32.0:
 * probes (2, exempt) for /healthz /readyz /livez; exempt (1) for system:masters;
 * system-leader-election (100) for controller-manager and scheduler lease get/create/update;
 * system-node-high (400) for nodes' leases and node objects; system-nodes (500) for the rest of
 * the kubelet; kube-controller-manager and kube-scheduler (800, workload-high, by namespace);
 * service-accounts (9000, workload-low); global-default (9900) for every other authenticated user.
 */
export function flowSchemaFor(client: ClientKind, cls: RequestClassName): FlowSchemaMatch {
  switch (client) {
    case 'probe':
      return { flowSchema: 'probes', priorityLevel: 'exempt', distinguisher: 'none' };
    case 'admin':
      return { flowSchema: 'exempt', priorityLevel: 'exempt', distinguisher: 'none' };
    case 'kubelet':
      return cls === 'lease-renew'
        ? { flowSchema: 'system-node-high', priorityLevel: 'node-high', distinguisher: 'user' }
        : { flowSchema: 'system-nodes', priorityLevel: 'system', distinguisher: 'user' };
    case 'controller-manager':
    case 'scheduler':
      return cls === 'lease-renew'
        ? { flowSchema: 'system-leader-election', priorityLevel: 'leader-election', distinguisher: 'user' }
        : { flowSchema: client === 'scheduler' ? 'kube-scheduler' : 'kube-controller-manager', priorityLevel: 'workload-high', distinguisher: 'namespace' };
    case 'service-account':
      return { flowSchema: 'service-accounts', priorityLevel: 'workload-low', distinguisher: 'user' };
    case 'user':
      return { flowSchema: 'global-default', priorityLevel: 'global-default', distinguisher: 'user' };
  }
}

/** Client QPS/burst by kind (ratelimit.ts CLIENT_DEFAULTS); probes are not rate-limited clients. */
export function clientDefaultsFor(client: ClientKind): { qps: number; burst: number } | null {
  switch (client) {
    case 'kubelet':
      return CLIENT_DEFAULTS.kubelet;
    case 'controller-manager':
      return CLIENT_DEFAULTS.controllerManager;
    case 'scheduler':
      return CLIENT_DEFAULTS.scheduler;
    case 'service-account':
    case 'user':
    case 'admin':
      // Anything built on rest.Config that sets nothing (an operator's tool, a CI job).
      return CLIENT_DEFAULTS.restConfig;
    case 'probe':
      return null;
  }
}

/** apiserver CPU for one request of a class returning `objects` objects (LIST) or events (WATCH). */
export function cpuWorkUs(cls: RequestClassName, objects = 0): number {
  const c = REQUEST_CLASSES[cls];
  return c.cpuUs + c.cpuPerObjectUs * Math.max(0, objects);
}
