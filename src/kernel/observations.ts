// The observation contract: every kind the kernel, the models and the fault injector emit, with its detail's shape.
//
// Types only (plus two name lists), importing nothing: the kernel's trace, the domain folders, report/, check/ and
// the web UI all read it. An observation is `{ at, kind, subject, detail }`; `at` is true (run) time in µs.
// Subjects are process ids (`master-1/etcd`), machine names (`worker-2`), `client`, `network` or `kernel`.
// Details are type aliases, not interfaces, so that a detail is also a Record<string, unknown> (tests, JSON).
// The detail's key order is part of the trace hash (it is hashed as JSON): emitters build it in a fixed order.

/** The leader-elected groups: etcd's raft leader and the two client-go leader-elected components. */
export const LEADER_GROUPS = ['etcd', 'kube-scheduler', 'kube-controller-manager'] as const;
export type LeaderGroup = (typeof LEADER_GROUPS)[number];
/** The groups that elect a leader through a Kubernetes Lease (client-go leaderelection). */
export const LEASE_GROUPS = ['kube-scheduler', 'kube-controller-manager'] as const;
export type LeaseGroup = (typeof LEASE_GROUPS)[number];

/** kernel: a process changed state. `cause` says why in words. */
export type ProcessDetail = {
  state: 'up' | 'down' | 'stopping' | 'paused' | 'backoff';
  cause?: string;
  crash?: boolean;
  graceful?: boolean;
  exitCode?: number;
  resumed?: boolean;
  restartInSeconds?: number;
};

/** kernel: a machine was powered off or booted. */
export type MachineDetail = {
  state: 'up' | 'down';
  cause: string;
};

/** kernel: a virtual address (the VIP) now reaches `holder` (gratuitous ARP). Subject: the address. */
export type AddressDetail = {
  holder: string;
  machine: string;
};

/** fault injector: a fault began or ended. Subject is a short label (`kill etcd:leader`) or, for a random failure, its unit. */
export type FaultDetail = {
  /** The scenario verb (`random` for the line that starts a random-failure generator). */
  verb: string;
  /** random-mix: the mix entry's kind (`power-loss`, `disk-stall`…). */
  kind?: string;
  index: number;
  phase: 'begin' | 'end';
  random?: boolean;
  text: string;
  /** What a lifecycle fault resolved to (process ids or machine names). */
  targets?: string[];
  groups?: string[][];
  machines?: string[];
  links?: [string, string][];
  forSeconds?: number;
  /** random-mix: the explicit fault this failure amounts to (for `hasim check`'s shrinking). */
  explicit?: Record<string, unknown>;
};

/** fault injector: the network's state after any change (partitions, cuts, isolated machines). Subject `network`. */
export type NetworkDetail = {
  partition: string[][] | null;
  cuts: string[];
  isolated: string[];
};

/** any leader-elected member: it started or stopped believing it leads its group. */
export type LeaderDetail = {
  group: LeaderGroup;
  leading: boolean;
  cause: string;
  term?: number;
  /** client-go identity (leader-elected components, when they start leading). */
  identity?: string;
};

/** etcd member: its raft role, term or known leader changed. Subject is the member's process. */
export type EtcdDetail = {
  member: string;
  role: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
  term: number;
  /** The member it believes leads (`etcd-2`), or null. */
  leader: string | null;
};

/** etcd member: a graceful stop hands leadership to a follower first. */
export type EtcdTransferDetail = {
  member: string;
  to: string;
  note: string;
};

/** etcd load generator (benchmarks, validation): one request finished. */
export type EtcdLoadDetail = {
  ok: boolean;
  latencyUs: number;
  target: string;
  error?: string;
};

/** kube-apiserver: one of its etcd clients closed a connection (keepalive, TCP_USER_TIMEOUT, refused). */
export type EtcdClientDetail = {
  endpoint: string;
  ready: false;
  /** `etcd client` (requests) or `etcd health-check client`. */
  client: string;
  note: string;
};

/** synthetic client: one probe through the control-plane endpoint. Subject `client`. */
export type ProbeDetail = {
  op: 'read' | 'write';
  ok: boolean;
  latencyMs: number;
  error?: string;
};

/** a safety property broke (the run fails). */
export type InvariantDetail = {
  rule: string;
  message: string;
};

/** haproxy: a backend's health changed (`initial` when the check starts). */
export type LbBackendDetail = {
  backend: string;
  state: 'UP' | 'DOWN';
  reason: string;
  note?: string;
};

/** keepalived: this machine became VRRP MASTER (holder: itself) or left it (holder: null). */
export type VipDetail = {
  holder: string | null;
  state: 'MASTER' | 'BACKUP';
  priority: number;
  note: string;
};

/** keepalived: the tracked script (haproxy alive) changed, and the priority with it. */
export type VrrpScriptDetail = {
  script: string;
  state: 'ok' | 'failed';
  priority: number;
  note: string;
};

/** kube-apiserver: a Lease write committed (every renewal). */
export type LeaseDetail = {
  group: LeaseGroup;
  holder: string;
  transitions: number;
  revision: number;
};

/** kube-apiserver: its readiness (etcd check) changed. */
export type ApiserverDetail = { ready: true } | { ready: false; cause: string };

/** leader-elected component: whether its last API request reached a working apiserver changed. */
export type ComponentApiDetail = {
  group: LeaseGroup;
  ok: boolean;
};

/** kube-controller-manager (node lifecycle): a Node's Ready condition or unreachable taint changed. Subject: the KCM. */
export type NodeDetail = {
  node: string;
  ready?: boolean;
  taint?: boolean;
  note: string;
};

/**
 * Pods, few per change (never per renewal): a kubelet started/stopped one (`running`, subject the
 * kubelet), the scheduler bound it (`scheduled`), the ReplicaSet created it (`created`) or deleted
 * extras (`extras`), the node lifecycle controller evicted it (`evicted`). Batches come as one
 * summary with a count (`scheduled`/`created` a number).
 */
export type PodDetail = {
  pod?: string;
  node?: string;
  running?: boolean;
  scheduled?: boolean | number;
  created?: boolean | number;
  evicted?: boolean;
  extras?: number;
  note?: string;
};

/** node lifecycle: a zone's disruption state changed, or master disruption mode began/ended. */
export type ZoneDetail = {
  zone?: number;
  state?: 'normal' | 'partial' | 'full';
  notReady?: number;
  nodes?: number;
  masterDisruption?: boolean;
  /** The zone's tainting rate after this change (nodes/s): --node-eviction-rate, the secondary rate or 0. */
  taintsPerSecond?: number;
  note: string;
};

/** fencing checker: a leader action committed while the Lease named someone else. Subject: the apiserver. */
export type StaleActionDetail = {
  group: LeaseGroup;
  /** client-go identity of the stale actor. */
  identity: string;
  /** Identity the Lease named at the action's revision. */
  leaseHolder: string;
  revision: number;
};

/** cluster build: a note about the cluster itself (a single point of failure). Subject: the machine. */
export type NoticeDetail = {
  spof: boolean;
  note: string;
};

/** kube-apiserver with capacity (control/capacity.ts), every sample period: CPU share used, APF seats, 429s since the last sample. */
export type ApiserverLoadDetail = {
  /** Busy core-time over available core-time in the sample period, 0–1. */
  utilisation: number;
  inFlight: number;
  waiting: number;
  served: number;
  rejected: number;
  /** Of `rejected`: 429 "storage is (re)initializing" from a watch cache that is not ready (only when > 0). */
  initialising?: number;
};

/** A load client's request, when it is done (control/load-client.ts). Subject: the client process. */
export type LoadRequestDetail = {
  client: string;
  class: string;
  status: number;
  ok: boolean;
  /** From the first attempt to the final answer, retries included. */
  latencyMs: number;
  retries?: number;
  /** A LIST of a `watch` class's informer (its first list or a re-list). */
  informer?: true;
};

/**
 * etcd leader on a machine with shared resources (scenarios with load): a heartbeat to `to` left
 * more than twice the heartbeat interval after the previous one (etcd server/etcdserver/raft.go
 * processMessages, td = contention.NewTimeoutDetector(2 × heartbeat): "leader failed to send out
 * heartbeat on time; took too long, leader is overloaded likely from slow disk").
 */
export type EtcdHeartbeatLateDetail = {
  to: string;
  /** Time since the previous heartbeat to that follower. */
  gapMs: number;
  /** 2 × heartbeat interval. */
  expectedMs: number;
};

/** etcd member on a machine with shared resources, every sample period: its WAL fsync and apply latency since the last sample. */
export type EtcdLatencyDetail = {
  fsyncs: number;
  /** Disk queueing plus service of each fsync (etcd's wal_fsync_duration_seconds). */
  fsyncMeanMs: number;
  fsyncMaxMs: number;
  applied: number;
  /** From the Ready that brought an entry to this member to its apply. */
  applyMeanMs: number;
  applyMaxMs: number;
  lateHeartbeats: number;
  /** Longest gap between two heartbeats this member sent (as leader) to one follower; 0 when it did not lead. */
  maxHeartbeatGapMs: number;
};

/** fast-forward skipped steady state (subject `kernel`). */
export type FastForwardDetail = {
  seconds: number;
  note: string;
};

/** Every observation kind and its detail. */
export interface ObservationDetails {
  process: ProcessDetail;
  machine: MachineDetail;
  address: AddressDetail;
  fault: FaultDetail;
  network: NetworkDetail;
  leader: LeaderDetail;
  etcd: EtcdDetail;
  'etcd-transfer': EtcdTransferDetail;
  'etcd-load': EtcdLoadDetail;
  'etcd-client': EtcdClientDetail;
  probe: ProbeDetail;
  invariant: InvariantDetail;
  'lb-backend': LbBackendDetail;
  vip: VipDetail;
  'vrrp-script': VrrpScriptDetail;
  lease: LeaseDetail;
  apiserver: ApiserverDetail;
  'component-api': ComponentApiDetail;
  node: NodeDetail;
  pod: PodDetail;
  zone: ZoneDetail;
  'stale-action': StaleActionDetail;
  notice: NoticeDetail;
  'fast-forward': FastForwardDetail;
  'apiserver-load': ApiserverLoadDetail;
  'load-request': LoadRequestDetail;
  'etcd-heartbeat-late': EtcdHeartbeatLateDetail;
  'etcd-latency': EtcdLatencyDetail;
}

export type ObservationKind = keyof ObservationDetails;

/** One observation of kind K. */
export interface ObservationOf<K extends ObservationKind> {
  /** True (run) time in µs. */
  at: number;
  kind: K;
  subject: string;
  detail: ObservationDetails[K];
}

/** An observation an actor or the kernel emits: what reports, checkers and the web UI read (narrow on `kind`). */
export type Observation = { [K in ObservationKind]: ObservationOf<K> }[ObservationKind];
