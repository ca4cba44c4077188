// The slice of the Kubernetes API the model needs: storage operations, Lease records, well-known keys.

/** The Lease-elected groups (defined once, beside the observation types). */
import type { LeaseGroup } from '../kernel/observations.ts';

export type LeaderGroup = LeaseGroup;

/** An API request body: one storage operation (what a REST verb becomes inside kube-apiserver). */
export type ApiOp =
  /** `cached`: served from the apiserver's watch cache (an informer or a resourceVersion=0 read): no quorum round, may be stale. */
  | { verb: 'get'; key: string; cached?: boolean }
  | { verb: 'create'; key: string; value: unknown }
  /** Optimistic concurrency: succeeds only if the object still has `resourceVersion` (else 409). */
  | { verb: 'update'; key: string; value: unknown; resourceVersion: number }
  /** Unconditional write (the probe client's). */
  | { verb: 'put'; key: string; value: unknown }
  /** Every object whose key starts with `prefix` (answer: `ApiList`). */
  | { verb: 'list'; prefix: string; cached?: boolean }
  /**
   * Changes after `resourceVersion` to one key or every key under a prefix, from the apiserver's watch
   * cache, streamed until the watch times out (answer chunks: `WatchChunk`).
   */
  | { verb: 'watch'; key?: string; prefix?: string; resourceVersion: number }
  /** Delete (404 if absent); with `resourceVersion`, only if the object still has it (else 409). */
  | { verb: 'delete'; key: string; resourceVersion?: number };

/** Who is acting, so checkers can tell a leader's work from a stale leader's (SPEC §4 staleLeaderActions). */
export interface ApiActor {
  group: LeaderGroup;
  identity: string;
}

export type ApiRequestBody = ApiOp & { actor?: ApiActor; action?: boolean };

export interface ApiObject {
  value: unknown;
  resourceVersion: number;
}

/** The answer to a `list`: the objects in key order, and the store's revision. */
export interface ApiList {
  items: { key: string; value: unknown; resourceVersion: number }[];
  resourceVersion: number;
}

/** One change a watch delivers (a DELETED event has `deleted` and no value). */
export interface ApiWatchEvent {
  key: string;
  value: unknown;
  resourceVersion: number;
  deleted: boolean;
}

/** A watch's answer: chunks of events; the final answer (`closed`) ends it (the client re-watches). */
export interface WatchChunk {
  events: ApiWatchEvent[];
  closed?: boolean;
}

/** coordination.k8s.io/v1 LeaseSpec as client-go's LeaderElectionRecord sees it (times on the writer's local clock, µs). */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

export function leaseKey(group: LeaderGroup): string {
  return `/registry/leases/kube-system/${group}`;
}

export const PROBE_KEY = '/registry/configmaps/default/hasim-probe';

export function workKey(group: LeaderGroup): string {
  return `/registry/hasim-work/${group}`;
}

/** Which leader group a lease key belongs to, if any. */
export function groupOfLeaseKey(key: string): LeaderGroup | null {
  if (key === leaseKey('kube-scheduler')) return 'kube-scheduler';
  if (key === leaseKey('kube-controller-manager')) return 'kube-controller-manager';
  return null;
}
