// A group of external API clients (one `load.clients` entry): long-lived connections, client-go QPS/burst, Retry-After retries.
//
// Each of the `count` clients keeps one connection to the control-plane endpoint, as client-go's
// shared HTTP/2 transport does, and sends every request on it until the connection is lost or the
// apiserver answers with GOAWAY (then the next request opens a new connection, which haproxy
// places afresh). Each client has its own token bucket (client-go util/flowcontrol/throttle.go,
// load/ratelimit.ts reserve), taken before the first attempt and before every retry; a 429 or 5xx
// with an integer Retry-After is retried after that wait, at most 10 times (rest/with_retry.go
// IsNextRetry, load/ratelimit.ts retryDecision). A transport error (status 0) is not retried.
//
// Arrivals: the group's requests of one class form one Poisson process of rate count × perSecond
// (the superposition of the clients' own processes; each arrival goes to a client drawn uniformly)
// or, with `fixed`, evenly spaced arrivals dealt to the clients in turn. One timer per class and
// one message per attempt: events grow with the requests asked for, not with the clients.
//
// Watches: a `watch` class is not a rate. Each client of the group runs one informer, the client-go
// reflector of control/reflector.ts (ListAndWatch) over the group's own objects (the keys its writes
// touch, `/registry/hasim-load/<group>/`; a group that only watches has a quiet collection): a LIST
// from the watch cache, then a WATCH from its resourceVersion, re-watched when it ends and re-listed
// when it cannot resume (410). Its LISTs go through this client's token bucket and
// Retry-After retries, as the reflector's ListWatch goes through client-go's rest client; its WATCH
// streams ride on the client's connection. Both carry the APF tag of the group's client kind.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { HttpClient, type HttpMethod, type HttpResponse } from '../net/http.ts';
import type { ClientKind, RequestClassName } from '../load/classes.ts';
import { reserve, retryDecision, type TokenBucket, newTokenBucket } from '../load/ratelimit.ts';
import type { ApiRequestBody } from './api.ts';
import type { LoadRequestDetail } from '../kernel/observations.ts';
import type { LoadTag } from './capacity.ts';
import { Reflector, type ReflectorHttp } from './reflector.ts';

/**
 * Informers start at a time drawn uniformly in the first INFORMER_START_SPREAD_US of the run (an
 * assumption: a fleet of clients does not start in the same microsecond).
 */
export const INFORMER_START_SPREAD_US = 10_000_000;

export interface LoadClientConfig {
  name: string;
  endpoint: string;
  kind: ClientKind;
  count: number;
  qps: number;
  burst: number;
  arrivals: 'poisson' | 'fixed';
  requests: { class: RequestClassName; perSecond: number; objects: number }[];
  /** client-go's per-request timeout (sent as ?timeout=). */
  timeoutUs: number;
}

interface Pending {
  seq: number;
  cls: RequestClassName;
  objects: number;
  client: number;
  firstUs: number;
  retries: number;
  /** The connection generation it was sent on, while it awaits an answer (null: not on the wire). */
  onConn: number | null;
  /** An informer's LIST: the request it sends and who hears the final answer. */
  raw?: { method: HttpMethod; path: string; body: ApiRequestBody; cb: (resp: HttpResponse) => void };
}

/**
 * client-go's HTTP/2 connection health check (apimachinery pkg/util/net/http.go readIdleTimeoutSeconds 30,
 * pingTimeoutSeconds 15): no frame for 30 s ⇒ PING; no answer in 15 s ⇒ the connection is closed and its
 * requests fail. Checked every H2_CHECK_US (so up to 5 s late): a dead backend behind haproxy is left
 * after 45–50 s. Simplified: a live but slow apiserver would answer the PING; here only silence counts.
 */
export const H2_DEAD_AFTER_US = 45_000_000;
const H2_CHECK_US = 5_000_000;

export class LoadClient implements Actor {
  private api!: HttpClient;
  private buckets: TokenBucket[] = [];
  /** Per client: its connection's generation (a GOAWAY or a lost connection moves to the next). */
  private conns: number[] = [];
  /** Per client: local time of the last answer on its connection (or when the connection was first used). */
  private lastHeard: number[] = [];
  /** Per client: its requests on the wire (awaiting an answer). */
  private wire: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private dealt = 0;
  /** The informers of `watch` classes, by their timer name `refl:<class index>:<client>`. */
  private readonly informers = new Map<string, Reflector>();

  constructor(private readonly cfg: LoadClientConfig) {}

  start(ctx: Ctx): void {
    this.api = new HttpClient(ctx, 'load-http:');
    const now = ctx.now();
    this.buckets = Array.from({ length: this.cfg.count }, () => newTokenBucket(this.cfg.qps, this.cfg.burst, now));
    this.conns = Array.from({ length: this.cfg.count }, () => 0);
    this.lastHeard = Array.from({ length: this.cfg.count }, () => now);
    this.wire = Array.from({ length: this.cfg.count }, () => 0);
    ctx.setTimer('h2check', H2_CHECK_US, undefined, { routine: true });
    this.cfg.requests.forEach((r, k) => {
      if (r.class === 'watch') this.makeInformers(ctx, k);
      else this.nextArrival(ctx, k);
    });
  }

  message(_ctx: Ctx, _from: string, msg: Msg): void {
    this.api.onMessage(msg);
  }

  refused(_ctx: Ctx, _to: string, msg: Msg): void {
    this.api.onRefused(msg);
  }

  /** A load generator never settles: fast-forward must not skip the requests it would send. */
  unsettled(): string | null {
    return `load client ${this.cfg.name} is sending requests`;
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (this.api.onTimer(name, data)) return;
    if (name === 'h2check') {
      ctx.setTimer('h2check', H2_CHECK_US, undefined, { routine: true });
      this.healthCheck(ctx);
    } else if (name.startsWith('arrive:')) {
      const k = Number(name.slice(7));
      this.nextArrival(ctx, k);
      this.arrive(ctx, k);
    } else if (name.startsWith('go:')) {
      const p = this.pending.get(data as number);
      if (p) this.send(ctx, p);
    } else if (name.startsWith('retry:')) {
      const p = this.pending.get(data as number);
      if (p) this.attempt(ctx, p);
    } else if (name.startsWith('refl:')) {
      this.informers.get(name)?.timer(name, data);
    } else if (name.startsWith('informer-start:')) {
      this.informers.get(data as string)?.start();
    }
  }

  /** One informer per client of the group for a `watch` class, each started at a drawn time. */
  private makeInformers(ctx: Ctx, k: number): void {
    const r = this.cfg.requests[k]!;
    for (let c = 0; c < this.cfg.count; c++) {
      const timerName = `refl:${k}:${c}`;
      const user = `${this.cfg.name}-${c}`;
      const list: LoadTag = { class: 'list', client: this.cfg.kind, user };
      if (r.objects > 0) list.objects = r.objects;
      const watch: LoadTag = { class: 'watch', client: this.cfg.kind, user };
      this.informers.set(timerName, new Reflector(ctx, this.informerHttp(ctx, c), {
        endpoint: this.cfg.endpoint, prefix: `/registry/hasim-load/${this.cfg.name}/`, timerName, requestTimeoutUs: this.cfg.timeoutUs,
        conn: () => `${this.cfg.name}-${c}.${this.conns[c]!}`, extra: { list: { load: list }, watch: { load: watch } },
      }));
      ctx.setTimer(`informer-start:${k}:${c}`, Math.floor(ctx.random.float() * INFORMER_START_SPREAD_US), timerName);
    }
  }

  /**
   * The informer's HTTP: a LIST takes a token and is retried on Retry-After like any request of this
   * client; a WATCH stream rides on the client's connection, and one that ends because the connection
   * failed (no HTTP answer, or haproxy's 502/503/504) makes the next request open a new connection.
   */
  private informerHttp(ctx: Ctx, client: number): ReflectorHttp {
    return {
      request: (_to, req, _timeoutUs, cb) => {
        const body = req.body as ApiRequestBody & { load?: LoadTag };
        const p: Pending = {
          seq: ++this.seq, cls: body.load?.class ?? 'list', objects: body.load?.objects ?? 0, client, firstUs: ctx.now(), retries: 0, onConn: null,
          raw: { method: req.method, path: req.path, body, cb },
        };
        this.pending.set(p.seq, p);
        this.attempt(ctx, p);
        return p.seq;
      },
      stream: (to, req, timeoutUs, chunk, end) => this.api.stream(to, req, timeoutUs, chunk, (resp) => {
        if ((resp.status === 0 || resp.status >= 502) && req.conn === `${this.cfg.name}-${client}.${this.conns[client]!}`) this.conns[client]!++;
        end(resp);
      }),
      abort: (id, error) => this.api.abort(id, error),
    };
  }

  private nextArrival(ctx: Ctx, k: number): void {
    const ratePerS = this.cfg.requests[k]!.perSecond * this.cfg.count;
    if (!(ratePerS > 0)) return;
    const meanUs = 1e6 / ratePerS;
    const gapUs = this.cfg.arrivals === 'poisson' ? ctx.random.exponential(meanUs) : Math.max(1, Math.round(meanUs));
    ctx.setTimer(`arrive:${k}`, gapUs, undefined, { routine: true });
  }

  private arrive(ctx: Ctx, k: number): void {
    const r = this.cfg.requests[k]!;
    const client = this.cfg.arrivals === 'poisson' ? ctx.random.below(this.cfg.count) : this.dealt++ % this.cfg.count;
    const p: Pending = { seq: ++this.seq, cls: r.class, objects: r.objects, client, firstUs: ctx.now(), retries: 0, onConn: null };
    this.pending.set(p.seq, p);
    this.attempt(ctx, p);
  }

  /** client-go Request.tryThrottle: wait for a token of this client's bucket, then send. */
  private attempt(ctx: Ctx, p: Pending): void {
    const now = ctx.now();
    const r = reserve(this.buckets[p.client]!, now);
    this.buckets[p.client] = r.bucket;
    if (r.startUs > now) ctx.setTimer(`go:${p.seq}`, r.startUs - now, p.seq);
    else this.send(ctx, p);
  }

  private send(ctx: Ctx, p: Pending): void {
    const key = `/registry/hasim-load/${this.cfg.name}/${p.client}`;
    const load: LoadTag = { class: p.cls, client: this.cfg.kind, user: `${this.cfg.name}-${p.client}` };
    if (p.objects > 0) load.objects = p.objects;
    const [method, op] = p.raw ? [p.raw.method, p.raw.body] : requestOf(p.cls, key, `/registry/hasim-load/${this.cfg.name}/`, p.seq);
    const body = p.raw ? op : { ...op, load } as ApiRequestBody & { load: LoadTag };
    const gen = this.conns[p.client]!;
    if (this.wire[p.client] === 0) this.lastHeard[p.client] = ctx.now();
    this.wire[p.client]!++;
    p.onConn = gen;
    const conn = `${this.cfg.name}-${p.client}.${gen}`;
    this.api.request(this.cfg.endpoint, { method, path: p.raw?.path ?? '/load', body, conn }, this.cfg.timeoutUs, (resp) => this.answered(ctx, p, resp));
  }


  /** Connections silent for H2_DEAD_AFTER_US with requests on them are closed; those requests fail. */
  private healthCheck(ctx: Ctx): void {
    const now = ctx.now();
    const dead = new Set<number>();
    for (const p of this.pending.values()) {
      if (p.onConn !== null && p.onConn === this.conns[p.client] && now - this.lastHeard[p.client]! >= H2_DEAD_AFTER_US) dead.add(p.client);
    }
    for (const client of dead) this.conns[client]!++;
    for (const p of [...this.pending.values()]) {
      if (p.onConn !== null && dead.has(p.client)) this.done(ctx, p, { type: 'http.resp', id: 0, status: 0, error: 'http2: client connection lost' });
    }
  }

  private answered(ctx: Ctx, p: Pending, resp: HttpResponse): void {
    if (!this.pending.has(p.seq)) return; // already failed by the connection health check
    this.offWire(p);
    if (resp.status !== 0) this.lastHeard[p.client] = ctx.now();
    // GOAWAY (or a connection that failed): this client's next request opens a new connection.
    if ((resp as { goaway?: boolean }).goaway === true || resp.status === 0 || resp.status === 502 || resp.status === 503) this.conns[p.client]!++;
    const retryAfter = (resp as { retryAfter?: string }).retryAfter;
    const decision = resp.status === 0 ? null : retryDecision(retryAfter === undefined ? { status: resp.status } : { status: resp.status, retryAfter }, p.retries);
    if (decision?.retry) {
      p.retries++;
      ctx.setTimer(`retry:${p.seq}`, decision.waitUs, p.seq);
      return;
    }
    this.done(ctx, p, resp);
  }

  private offWire(p: Pending): void {
    if (p.onConn === null) return;
    p.onConn = null;
    this.wire[p.client]!--;
  }

  private done(ctx: Ctx, p: Pending, resp: HttpResponse): void {
    this.offWire(p);
    this.pending.delete(p.seq);
    const ok = resp.status >= 200 && resp.status < 300 || (p.cls === 'get' && resp.status === 404);
    const detail: LoadRequestDetail = { client: this.cfg.name, class: p.cls, status: resp.status, ok, latencyMs: (ctx.now() - p.firstUs) / 1000 };
    if (p.retries > 0) detail.retries = p.retries;
    if (p.raw) detail.informer = true;
    ctx.emit('load-request', detail);
    p.raw?.cb(resp);
  }
}

/** The storage operation a request class stands for (keys under /registry/hasim-load/<group>/). */
function requestOf(cls: RequestClassName, key: string, prefix: string, seq: number): [HttpMethod, ApiRequestBody] {
  switch (cls) {
    case 'get':
      return ['GET', { verb: 'get', key }];
    case 'list':
      return ['GET', { verb: 'list', prefix, cached: true }];
    default:
      // Writes keep one object per client (an unconditional put), so etcd's store does not grow with the run.
      return [cls === 'create' ? 'POST' : 'PUT', { verb: 'put', key, value: seq }];
  }
}
