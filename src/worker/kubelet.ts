// kubelet on a worker: node Lease renewals (component-helpers lease controller), node registration, and its pods.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { HttpClient, type HttpResponse } from '../net/http.ts';
import type { ApiObject } from '../control/api.ts';
import { Reflector } from '../control/reflector.ts';
import { Api, bindingsKey, nodeKey, nodeLeaseKey, podKey, POD_STARTUP_US, type Bindings, type NodeLease, type NodeObject, type PodObject } from '../control/objects.ts';

export interface KubeletConfig {
  endpoint: string;
  zone: number;
  /** nodeLeaseDurationSeconds (40 s); renewals every 0.25 of it. */
  nodeLeaseDurationUs: number;
}

/** pkg/kubelet/kubelet.go nodeLeaseRenewIntervalFraction; lease/controller.go JitterUntil(…, 0.04, …), maxUpdateRetries. */
const RENEW_FRACTION = 0.25;
const RENEW_JITTER = 0.04;

/** The longest time between two node Lease renewals that succeed (renew interval, jitter included). */
export function longestRenewIntervalUs(nodeLeaseDurationUs: number): number {
  return Math.ceil(nodeLeaseDurationUs * RENEW_FRACTION * (1 + RENEW_JITTER));
}
const MAX_UPDATE_RETRIES = 5;
/** cmd/kubelet/app/server.go: heartbeat client timeout = min(nodeStatusUpdateFrequency 10 s, lease duration). */
const HEARTBEAT_TIMEOUT_US = 10_000_000;
/** kubelet_node_status.go registerWithAPIServer: sleep 100 ms before the first try, doubling after each, at most 7 s. */
const REGISTER_FIRST_STEP_US = 100_000;
const REGISTER_MAX_STEP_US = 7_000_000;

export class Kubelet implements Actor {
  private ctx!: Ctx;
  private http!: HttpClient;
  private api!: Api;
  private node = '';
  /** The connection the kubelet's requests ride on; a new one after repeated heartbeat failures. */
  private conn = '';
  private dials = 0;
  private lease: ApiObject | null = null;
  /** Pods this kubelet runs (started) or is starting. */
  private readonly running = new Set<string>();
  private readonly starting = new Set<string>();
  /** The kubelet's pod watch (config/apiserver.go NewSourceApiserver: a reflector on pods with spec.nodeName = this node). */
  pods: Reflector | null = null;

  constructor(private readonly cfg: KubeletConfig) {}

  start(ctx: Ctx): void {
    this.ctx = ctx;
    this.node = ctx.machine;
    this.http = new HttpClient(ctx);
    this.api = new Api(this.http, this.cfg.endpoint, HEARTBEAT_TIMEOUT_US);
    this.redial();
    // Every start (first or restart) registers the Node in its own loop until the API accepts it.
    this.registerAfter(REGISTER_FIRST_STEP_US);
    if (ctx.durable['started'] === true) {
      // A restart: the first renewal at once (JitterUntil sliding: the sync runs, then the jittered period).
      this.sync();
    } else {
      // The model boots every machine at t = 0; a real cluster's kubelets started at different moments, so on
      // its first start each begins renewing at its own phase of the renew interval (as etcd members tick at
      // their own phase). Otherwise 5,000 leases renew within a second.
      ctx.durable['started'] = true;
      ctx.setTimer('renew', ctx.random.int(0, Math.round(this.cfg.nodeLeaseDurationUs * RENEW_FRACTION)), undefined, { routine: true });
    }
    this.pods = new Reflector(ctx, this.http, {
      endpoint: this.cfg.endpoint, key: bindingsKey(this.node), timerName: 'pods', requestTimeoutUs: HEARTBEAT_TIMEOUT_US,
      conn: () => this.conn, onChange: () => this.syncPods(),
    });
    this.pods.start();
  }

  message(_ctx: Ctx, _from: string, msg: Msg): void {
    this.http.onMessage(msg);
  }

  refused(_ctx: Ctx, _to: string, msg: Msg): void {
    this.http.onRefused(msg);
  }

  timer(_ctx: Ctx, name: string, data: unknown): void {
    if (this.http.onTimer(name, data) || this.pods?.timer(name, data)) return;
    if (name === 'renew') this.sync();
    else if (name === 'register') this.register(data as number);
    else if (name.startsWith('start:')) this.started(data as string);
  }

  private redial(): void {
    // Closing the connections ends the pod watch on them; its reflector watches again on the new one.
    this.pods?.connectionClosed();
    this.conn = `${this.node}/kubelet#${++this.dials}`;
  }

  private call(op: Parameters<Api['call']>[0], cb: (r: HttpResponse) => void): void {
    this.api.call(op, cb, this.conn);
  }

  /** One lease-controller sync; the next is armed when it ends (JitterUntil with sliding = true). */
  private sync(): void {
    const next = (): void => {
      const period = Math.round(this.cfg.nodeLeaseDurationUs * RENEW_FRACTION);
      this.ctx.setTimer('renew', this.ctx.random.jitter(period, RENEW_JITTER), undefined, { routine: true });
    };
    this.retryUpdateLease(0, next);
  }

  /**
   * kubelet_node_status.go registerWithAPIServer: a loop of its own (syncNodeStatus runs it at start) that
   * sleeps, tries, and doubles the sleep up to 7 s until the Node exists. Retrying only at lease renewals
   * (every 10 s, at each kubelet's own phase) registered the workers seconds apart at bootstrap, and the
   * scheduler's first pass put every pod on the one Node that had registered.
   */
  private registerAfter(stepUs: number): void {
    this.ctx.setTimer('register', stepUs, Math.min(stepUs * 2, REGISTER_MAX_STEP_US));
  }

  /** One try (tryRegisterWithAPIServer: create; an existing Node is fine); then done, or sleep nextStepUs and retry. */
  private register(nextStepUs: number): void {
    const value: NodeObject = { zone: this.cfg.zone, ready: true, unreachableSince: null };
    this.call({ verb: 'create', key: nodeKey(this.node), value }, (r) => {
      if (r.status !== 200 && r.status !== 409) this.registerAfter(nextStepUs);
    });
  }

  /**
   * lease/controller.go retryUpdateLease: up to 5 attempts back to back; from the 2nd consecutive
   * failure on (`if i > 0`), onRepeatedHeartbeatFailure closes the connections (a fresh dial).
   */
  private retryUpdateLease(attempt: number, done: () => void): void {
    this.renewOnce((ok) => {
      if (ok) {
        done();
        return;
      }
      if (attempt > 0) this.redial();
      if (attempt + 1 >= MAX_UPDATE_RETRIES) done();
      else this.retryUpdateLease(attempt + 1, done);
    });
  }

  /** Update the cached Lease with a new renewTime; without one (or after a conflict), get or create it. */
  private renewOnce(done: (ok: boolean) => void): void {
    const value: NodeLease = { holderIdentity: this.node, leaseDurationSeconds: this.cfg.nodeLeaseDurationUs / 1_000_000, renewTime: this.ctx.now() };
    const key = nodeLeaseKey(this.node);
    const after = (r: HttpResponse): void => {
      if (r.status === 200) this.lease = r.body as ApiObject;
      else if (r.status === 409 || r.status === 404) this.lease = null;
      done(r.status === 200);
    };
    if (this.lease) {
      this.call({ verb: 'update', key, value, resourceVersion: this.lease.resourceVersion }, after);
      return;
    }
    this.call({ verb: 'get', key }, (r) => {
      if (r.status === 200) this.call({ verb: 'update', key, value, resourceVersion: (r.body as ApiObject).resourceVersion }, after);
      else if (r.status === 404) this.call({ verb: 'create', key, value }, after);
      else done(false);
    });
  }

  /** Pods bound here (as the watch delivered them): start the new ones, stop those deleted in the API. */
  private syncPods(): void {
    const obj = this.pods!.store.get(bindingsKey(this.node));
    const want = new Set(obj ? (obj.value as Bindings).pods : []);
    for (const pod of want) {
      if (this.running.has(pod) || this.starting.has(pod)) continue;
      this.starting.add(pod);
      this.ctx.setTimer(`start:${pod}`, POD_STARTUP_US, pod);
    }
    for (const pod of [...this.starting]) if (!want.has(pod)) {
      this.starting.delete(pod);
      this.ctx.cancelTimer(`start:${pod}`);
    }
    for (const pod of [...this.running]) if (!want.has(pod)) {
      this.running.delete(pod);
      this.ctx.emit('pod', { pod, node: this.node, running: false, note: `${this.node} stopped pod ${pod} (deleted in the API)` });
    }
  }

  /** The container is up: report it and set the pod's status to Running. */
  private started(pod: string): void {
    if (!this.starting.delete(pod)) return;
    this.running.add(pod);
    this.ctx.emit('pod', { pod, node: this.node, running: true });
    const key = podKey(pod);
    this.call({ verb: 'get', key }, (r) => {
      if (r.status !== 200) return;
      const cur = r.body as ApiObject;
      const value: PodObject = { ...(cur.value as PodObject), phase: 'Running' };
      this.call({ verb: 'update', key, value, resourceVersion: cur.resourceVersion }, () => {});
    });
  }
}
