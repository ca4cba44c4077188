// kube-apiserver: stateless HTTP front of etcd — health endpoints with the rate-limited etcd check, storage verbs, liveness.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import type { KvOp, KvResult } from '../etcd/kv.ts';
import type { EtcdResponse } from '../etcd/requests.ts';
import { respond, type HttpRequest } from '../net/http.ts';
import { Capacity, type CapacityConfig } from './capacity.ts';
import { groupOfLeaseKey, type ApiRequestBody, type LeaseRecord } from './api.ts';
import { EtcdClient, type EtcdMode } from './etcd-client.ts';
import { WatchCache } from './watch-cache.ts';

export interface ApiserverConfig {
  etcdTargets: string[];
  etcdMode: EtcdMode;
  /** --etcd-healthcheck-timeout (2 s); the check is rate-limited to one real probe per timeout/2. */
  etcdCheckTimeoutUs: number;
  livenessRestart: boolean;
  /** --request-timeout (60 s): how long a request may wait on etcd. */
  requestTimeoutUs: number;
  /** Only when the scenario has load: APF, CPU and --goaway-chance (capacity.ts). */
  capacity?: CapacityConfig;
}

/** kubeadm's liveness probe of /livez: period 10 s, failureThreshold 8, initial delay 10 s. */
export const LIVENESS_PERIOD_US = 10_000_000;
const LIVENESS_THRESHOLD = 8;

export class Apiserver implements Actor {
  private etcd!: EtcdClient;
  private check!: EtcdHealthCheck;
  private ctx!: Ctx;
  private livenessFailures = 0;
  private capacity: Capacity | null = null;
  private cache!: WatchCache;

  constructor(private readonly cfg: ApiserverConfig) {}

  start(ctx: Ctx): void {
    if (this.cfg.capacity) ctx = (this.capacity = new Capacity(ctx, this.cfg.capacity)).ctx;
    this.ctx = ctx;
    this.etcd = new EtcdClient(ctx, this.cfg.etcdTargets, this.cfg.etcdMode, 0);
    this.cache = new WatchCache(ctx, this.etcd);
    this.check = new EtcdHealthCheck(ctx, new EtcdClient(ctx, this.cfg.etcdTargets, this.cfg.etcdMode, 1, 'etcd health-check client'), this.cfg.etcdCheckTimeoutUs);
    if (this.cfg.livenessRestart) ctx.setTimer('liveness', LIVENESS_PERIOD_US, undefined, { routine: true });
  }

  message(ctx: Ctx, from: string, msg: Msg): void {
    if (this.etcd.onMessage(msg) || this.check.client.onMessage(msg) || this.cache.onMessage(from, msg)) return;
    if (msg.type !== 'http.req') return;
    const req = msg as unknown as HttpRequest;
    if (req.path === '/readyz' || req.path === '/livez' || req.path === '/healthz') {
      this.check.run((error) => respond(ctx, from, req, error === null ? 200 : 500, undefined, error ?? undefined));
      return;
    }
    if (this.capacity) this.capacity.admit(from, req, () => this.serve(from, req));
    else this.serve(from, req);
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (this.etcd.onTimer(name, data) || this.check.client.onTimer(name, data) || this.capacity?.onTimer(name) || this.cache.timer(name, data)) return;
    if (name === 'liveness') {
      ctx.setTimer('liveness', LIVENESS_PERIOD_US, undefined, { routine: true });
      this.check.run((error) => this.liveness(error));
    }
  }

  refused(_ctx: Ctx, to: string, msg: Msg): void {
    if (this.cache.refused(to, msg)) return;
    if (!this.etcd.onRefused(to, msg)) this.check.client.onRefused(to, msg);
  }

  /** For fast-forward: a failing etcd check will fail the next liveness probes, and those count towards a restart. */
  unsettled(): string | null {
    if (this.livenessFailures > 0) return `${this.livenessFailures} failed liveness probes`;
    if (this.cfg.livenessRestart && this.check.lastError !== null) return `${this.check.lastError}: liveness probes will fail`;
    return null;
  }

  /** The kubelet's liveness probe: 8 consecutive failures ⇒ the container is restarted. */
  private liveness(error: string | null): void {
    this.livenessFailures = error === null ? 0 : this.livenessFailures + 1;
    if (this.livenessFailures >= LIVENESS_THRESHOLD) {
      this.ctx.exit(1, `liveness probe /livez failed ${LIVENESS_THRESHOLD} times (${error})`);
    }
  }

  /** Storage verbs: GET is a quorum read, update is a compare-and-swap on resourceVersion. */
  private serve(from: string, req: HttpRequest): void {
    const body = req.body as ApiRequestBody;
    // Watches and resourceVersion=0 reads are served by the watch cache (fed by its own etcd watch).
    if (this.cache.serve(from, req, body)) return;
    const op = toKvOp(body);
    // The request's deadline (apiserver WithRequestDeadline): the client's ?timeout= if shorter than --request-timeout,
    // so that a call left waiting for a ready etcd connection is dropped once its client has given up.
    const deadlineUs = Math.min(req.timeoutUs ?? this.cfg.requestTimeoutUs, this.cfg.requestTimeoutUs);
    this.etcd.request(op, deadlineUs, (resp) => this.answer(from, req, body, resp));
  }

  private answer(from: string, req: HttpRequest, body: ApiRequestBody, resp: EtcdResponse): void {
    const ctx = this.ctx;
    if (!resp.ok || !resp.result) {
      respond(ctx, from, req, resp.error?.includes('timed out') || resp.error?.includes('deadline') ? 504 : 500, undefined, resp.error);
      return;
    }
    const r: KvResult = resp.result;
    if (body.verb === 'get') {
      if (!r.kv) respond(ctx, from, req, 404);
      else respond(ctx, from, req, 200, { value: r.kv.value, resourceVersion: r.kv.modRevision });
      return;
    }
    if (body.verb === 'list') {
      const items = (r.kvs ?? []).map(([key, kv]) => ({ key, value: kv.value, resourceVersion: kv.modRevision }));
      respond(ctx, from, req, 200, { items, resourceVersion: r.revision });
      return;
    }
    if (body.verb === 'delete' && !r.succeeded) {
      respond(ctx, from, req, r.kv ? 409 : 404, undefined, r.kv ? 'precondition failed: resourceVersion changed' : 'not found');
      return;
    }
    if (!r.succeeded) {
      respond(ctx, from, req, 409, undefined, 'the object has been modified; please apply your changes to the latest version');
      return;
    }
    this.noteCommit(body, r.revision);
    respond(ctx, from, req, 200, { value: 'value' in body ? body.value : null, resourceVersion: r.revision });
  }

  /** Tell the checkers (and the UI) about committed Lease writes and leader actions, in etcd revision order. */
  private noteCommit(body: ApiRequestBody, revision: number): void {
    if (body.verb === 'list' || body.verb === 'watch') return;
    const group = groupOfLeaseKey(body.key);
    if (group) {
      const rec = (body as { value: LeaseRecord }).value;
      this.ctx.check('lease-commit', { group, holder: rec.holderIdentity, revision });
      this.ctx.emit('lease', { group, holder: rec.holderIdentity, transitions: rec.leaderTransitions, revision });
    } else if (body.action && body.actor) {
      this.ctx.check('action-commit', { ...body.actor, revision });
    }
  }
}

/**
 * The `etcd` health check, factory/etcd3.go newETCD3Check: its own etcd client (not the data path's); a
 * linearizable GET with a 2 s timeout, admitted by rate.NewLimiter(rate.Every(timeout/2), 1). A caller the limiter
 * turns away gets the stored result at once; an admitted caller waits for its own probe, so probes may overlap, and
 * a result is stored only if its probe started later than the stored one (atomicLastError.Store).
 */
export class EtcdHealthCheck {
  /** Token bucket of burst 1: the next time a probe is admitted (local µs). */
  private nextAdmitAt = Number.NEGATIVE_INFINITY;
  private storedAt = Number.NEGATIVE_INFINITY;
  lastError: string | null = null;

  constructor(private readonly ctx: Ctx, readonly client: EtcdClient, private readonly timeoutUs: number) {}

  run(done: (error: string | null) => void): void {
    const startedAt = this.ctx.now();
    if (startedAt < this.nextAdmitAt) {
      done(this.lastError);
      return;
    }
    this.nextAdmitAt = startedAt + this.timeoutUs / 2;
    this.client.request({ kind: 'get', key: '/registry/health' }, this.timeoutUs, (resp) => {
      const error = resp.ok ? null : `etcd check failed: ${resp.error}`;
      if (startedAt > this.storedAt) {
        this.storedAt = startedAt;
        // For the UI's pill: readiness as the stored result says, only when it changes (no note: not a timeline event).
        if ((error === null) !== (this.lastError === null)) this.ctx.emit('apiserver', error === null ? { ready: true } : { ready: false, cause: error });
        this.lastError = error;
      }
      done(error);
    });
  }
}

function toKvOp(body: ApiRequestBody): KvOp {
  switch (body.verb) {
    case 'get':
      return { kind: 'get', key: body.key };
    case 'create':
      return { kind: 'cas', key: body.key, value: body.value, expect: 0 };
    case 'update':
      return { kind: 'cas', key: body.key, value: body.value, expect: body.resourceVersion };
    case 'put':
      return { kind: 'put', key: body.key, value: body.value };
    case 'list':
      return { kind: 'list', prefix: body.prefix };
    case 'watch':
      throw new Error('a watch is served by the watch cache');
    case 'delete':
      return body.resourceVersion === undefined ? { kind: 'delete', key: body.key } : { kind: 'delete', key: body.key, expect: body.resourceVersion };
  }
}
