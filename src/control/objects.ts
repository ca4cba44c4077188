// The worker-side API objects: node Leases, Node records, pods of the sample Deployment, and bindings per node.
import type { ApiActor, ApiList, ApiOp, ApiRequestBody } from './api.ts';
import type { HttpClient, HttpResponse } from '../net/http.ts';
import type { Informers } from '../control/informers.ts';

export const NODE_LEASE_PREFIX = '/registry/leases/kube-node-lease/';
export const NODES_PREFIX = '/registry/nodes/';
export const PODS_PREFIX = '/registry/pods/default/';
/**
 * Pods bound to a node, one object per node (what the kubelet's field-selected pod watch would
 * deliver): the kubelet reads one key instead of listing every pod.
 */
export const BINDINGS_PREFIX = '/registry/hasim-bindings/';

export const nodeLeaseKey = (node: string): string => `${NODE_LEASE_PREFIX}${node}`;
export const nodeKey = (node: string): string => `${NODES_PREFIX}${node}`;
export const podKey = (pod: string): string => `${PODS_PREFIX}${pod}`;
export const bindingsKey = (node: string): string => `${BINDINGS_PREFIX}${node}`;
export const lastSegment = (key: string): string => key.slice(key.lastIndexOf('/') + 1);

/** coordination.k8s.io Lease of a node; renewTime is the kubelet's local clock (µs). */
export interface NodeLease {
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewTime: number;
}

/** The parts of a Node the model uses: its zone label, Ready condition and the unreachable taint. */
export interface NodeObject {
  zone: number;
  ready: boolean;
  /** `node.kubernetes.io/unreachable:NoExecute`, with its timeAdded on the tainting controller's clock. */
  unreachableSince: number | null;
}

export interface PodObject {
  deployment: string;
  phase: 'Pending' | 'Running';
}

export interface Bindings {
  pods: string[];
}

/** The Deployment's name and the default pod start-up time (image present, container start). */
export const DEPLOYMENT = 'web';
export const POD_STARTUP_US = 2_000_000;

/** A small API client for controllers: storage ops over HTTP, writes tagged as leader actions. */
export class Api {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoint: string,
    private readonly timeoutUs: number,
    private readonly actor?: ApiActor,
    /** The process's informers: lists are read from them (kept current by watches), not from the apiserver. */
    readonly informers?: Informers,
  ) {}

  call(op: ApiOp, cb: (resp: HttpResponse) => void, conn?: string): void {
    const write = op.verb !== 'get' && op.verb !== 'list';
    const body: ApiRequestBody = write && this.actor ? { ...op, actor: this.actor, action: true } : op;
    const method = op.verb === 'get' || op.verb === 'list' ? 'GET' : op.verb === 'create' ? 'POST' : op.verb === 'delete' ? 'DELETE' : 'PUT';
    const req = conn === undefined ? { method, path: '/api', body } as const : { method, path: '/api', body, conn } as const;
    this.http.request(this.endpoint, req, this.timeoutUs, cb);
  }

  /** The informers a controller reads, started with it (upstream: taken from the informer factory in its constructor). */
  inform(...prefixes: string[]): void {
    for (const prefix of prefixes) this.informers?.list(prefix);
  }

  /** Run `handler` when the informer of `prefix` changes (without informers: never). */
  onChange(prefix: string, handler: () => void): void {
    this.informers?.subscribe(prefix, handler);
  }

  list(prefix: string, cb: (list: ApiList | null) => void): void {
    // Controllers read through informers: a local store a watch keeps current.
    if (this.informers) return cb(this.informers.list(prefix));
    this.call({ verb: 'list', prefix, cached: true }, (r) => cb(r.status === 200 ? (r.body as ApiList) : null));
  }
}
