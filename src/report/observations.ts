// The observation contract: every kind the models and the kernel emit, what reports and the web UI read.
//
// An observation is `{ at, kind, subject, detail }` (src/kernel/trace.ts); `at` is true time in µs.
// Subjects are process ids (`master-1/etcd`), machine names (`worker-2`), or `client`.
// Readers must ignore kinds and fields they do not know: models add to this list as they grow.

/** kernel: a process changed state. `cause` says why in words. */
export interface ProcessDetail {
  state: 'up' | 'down' | 'stopping' | 'paused' | 'backoff';
  cause?: string;
  crash?: boolean;
  graceful?: boolean;
  exitCode?: number;
  resumed?: boolean;
  restartInSeconds?: number;
}

/** kernel: a machine was powered off or booted. */
export interface MachineDetail {
  state: 'up' | 'down';
  cause: string;
}

/** fault injector: a fault began or ended. Subject is a short label (`kill etcd:leader`). */
export interface FaultDetail {
  verb: string;
  index: number;
  phase: 'begin' | 'end';
  text: string;
  /** What a lifecycle fault resolved to (process ids or machine names). */
  targets?: string[];
  forSeconds?: number;
  random?: boolean;
}

/** fault injector: the network's state after any change (partitions, cuts, isolated machines). */
export interface NetworkDetail {
  partition: string[][] | null;
  cuts: string[];
  isolated: string[];
}

/** any leader-elected member: it started or stopped believing it leads its group. */
export interface LeaderDetail {
  group: 'etcd' | 'kube-scheduler' | 'kube-controller-manager';
  leading: boolean;
  cause: string;
  term?: number;
}

/** etcd member: its raft role, term or known leader changed. Subject is the member's process. */
export interface EtcdDetail {
  member: string;
  role: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
  term: number;
  /** The member it believes leads (`etcd-2`), or null. */
  leader: string | null;
}

/** synthetic client: one probe through the control-plane endpoint. */
export interface ProbeDetail {
  op: 'read' | 'write';
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** a safety property broke (the run fails). */
export interface InvariantDetail {
  rule: string;
  message: string;
}

/** kube-controller-manager (node lifecycle): a Node's Ready condition or unreachable taint changed. Subject: the KCM. */
export interface NodeDetail {
  node: string;
  ready?: boolean;
  taint?: boolean;
  note: string;
}

/**
 * Pods, few per change (never per renewal): a kubelet started/stopped one (`running`, subject the
 * kubelet), the scheduler bound it (`scheduled`), the ReplicaSet created it (`created`) or the node
 * lifecycle controller evicted it (`evicted`). Batches of more than 10 come as one summary with a count.
 */
export interface PodDetail {
  pod?: string;
  node?: string;
  running?: boolean;
  scheduled?: boolean | number;
  created?: boolean | number;
  evicted?: boolean;
  extras?: number;
  note?: string;
}

/** node lifecycle: a zone's disruption state changed, or master disruption mode began/ended. */
export interface ZoneDetail {
  zone?: number;
  state?: 'normal' | 'partial' | 'full';
  masterDisruption?: boolean;
  note: string;
}

/** kube-apiserver: one of its etcd clients closed a connection (keepalive, TCP_USER_TIMEOUT, refused). */
export interface EtcdClientDetail {
  endpoint: string;
  ready: false;
  /** `etcd client` (requests) or `etcd health-check client`. */
  client: string;
  note: string;
}

export type ObservationKind =
  | 'process' | 'machine' | 'fault' | 'network' | 'leader' | 'etcd' | 'probe' | 'invariant'
  // control plane and workers (added by their models):
  | 'lb-backend' | 'vip' | 'lease' | 'apiserver' | 'node' | 'pod' | 'zone' | 'stale-action' | 'etcd-client';
