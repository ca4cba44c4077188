// kube-apiserver's etcd client (clientv3 over grpc-go): round robin over ready endpoints, wait-for-ready, retries, keepalive, TCP_USER_TIMEOUT, reconnect back-off.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYN, TCP_SYNACK } from '../kernel/sim.ts';
import type { KvOp } from '../etcd/kv.ts';
import type { EtcdRequest, EtcdResponse } from '../etcd/requests.ts';
import {
  ACK_WINDOW_US, backoffUs, CONNECT_TIMEOUT_US, FIRST_ENDPOINT_ERROR, ID_STRIDE, KEEPALIVE_TIME_US, KEEPALIVE_TIMEOUT_US,
  MAX_RETRIES, RETRY_WAIT_US, unavailable, type Call, type Endpoint,
} from './etcd-grpc.ts';

export type EtcdMode = 'local' | 'all' | 'lb' | 'first-endpoint-bug';

export class EtcdClient {
  private readonly endpoints: Endpoint[];
  /** Calls by the id of the message now carrying them. */
  private readonly inflight = new Map<number, Call>();
  private readonly calls = new Map<number, Call>();
  /** Calls waiting for a READY endpoint (grpc WaitForReady, clientv3's default). */
  private waiting: Call[] = [];
  private seq = 0;
  private next = 0;

  /** `tag` (0..3) keeps message ids and timer names apart from another client in the same process. */
  constructor(
    private readonly ctx: Ctx, targets: string[], private readonly mode: EtcdMode, private readonly tag = 0,
    /** How the timeline names this client (the apiserver has two: data and health check). */
    private readonly label = 'etcd client',
  ) {
    this.endpoints = targets.map((target, index) => ({
      index, target, state: 'connecting', lastRecvAt: 0, attempts: 0, pingId: 0, synId: 0, unackedSince: null, outstanding: 0,
    }));
    for (const e of this.endpoints) this.connect(e);
  }

  private newId(): number {
    return ++this.seq * ID_STRIDE + this.tag;
  }

  private owns(id: number): boolean {
    return Math.abs(id) % ID_STRIDE === this.tag;
  }

  private timer(kind: string, key: number): string {
    return `etcd${this.tag}-${kind}:${key}`;
  }

  /** Told when a READY transport closes (a watch stream on it is gone with it). */
  onLost: ((target: string) => void) | null = null;

  /** A READY endpoint for a stream of its own (the watch cache's etcd watch); round robin like calls. */
  readyTarget(): string | undefined {
    return this.pick()?.target;
  }

  request(op: KvOp | { kind: 'health' }, timeoutUs: number, cb: (resp: EtcdResponse) => void, serializable = false): void {
    const key = this.newId();
    const readOnly = op.kind === 'get' || op.kind === 'list' || op.kind === 'health';
    const call: Call = { key, op, serializable, cb, readOnly, retries: 0, endpoint: null, timer: this.timer('call', key) };
    if (this.mode === 'first-endpoint-bug' && this.endpoints[0]!.state === 'backoff') {
      cb({ type: 'etcd.resp', id: key, ok: false, error: FIRST_ENDPOINT_ERROR });
      return;
    }
    this.calls.set(key, call);
    this.ctx.setTimer(call.timer, timeoutUs, key);
    this.dispatch(call);
  }

  /** Round robin over READY endpoints (grpc round_robin); the ≤1.15 TLS bug can only ever use endpoint[0]. */
  private pick(): Endpoint | undefined {
    if (this.mode === 'first-endpoint-bug') return this.endpoints[0]!.state === 'ready' ? this.endpoints[0] : undefined;
    for (let k = 0; k < this.endpoints.length; k++) {
      const e = this.endpoints[(this.next + k) % this.endpoints.length]!;
      if (e.state === 'ready') {
        this.next = (this.next + k + 1) % this.endpoints.length;
        return e;
      }
    }
    return undefined;
  }

  private dispatch(call: Call): void {
    const e = this.pick();
    if (!e) {
      this.waiting.push(call);
      return;
    }
    const id = this.newId();
    call.endpoint = e;
    e.outstanding++;
    this.inflight.set(id, call);
    this.ctx.send(e.target, { type: 'etcd.req', id, op: call.op, serializable: call.serializable } satisfies EtcdRequest);
    this.watchAck(e);
  }

  onMessage(msg: Msg): boolean {
    if (msg.type === TCP_SYNACK) return this.onSynAck(msg['id'] as number);
    if (msg.type !== 'etcd.resp') return false;
    const resp = msg as unknown as EtcdResponse;
    if (!this.owns(resp.id)) return false;
    const call = resp.id < 0 ? undefined : this.inflight.get(resp.id);
    const e = call ? call.endpoint : this.endpoints.find((x) => x.pingId === resp.id);
    if (call) this.take(resp.id);
    if (e) this.received(e);
    if (!call) return true;
    if (!resp.ok && call.readOnly && unavailable(resp.error)) this.retry(call, resp.error!);
    else this.finish(call, resp);
    return true;
  }

  onRefused(to: string, msg: Msg): boolean {
    const id = msg['id'];
    if ((msg.type !== 'etcd.req' && msg.type !== TCP_SYN) || typeof id !== 'number' || !this.owns(id)) return false;
    const e = this.endpoints.find((x) => x.target === to);
    const call = this.take(id);
    if (call) {
      // The peer's RST had closed this transport before the call left: grpc retries it transparently elsewhere.
      if (e) this.lose(e, 'connection refused');
      this.dispatch(call);
      return true;
    }
    if (e && (id === e.pingId || id === e.synId)) this.lose(e, 'connection refused');
    return true;
  }

  onTimer(name: string, data: unknown): boolean {
    const prefix = `etcd${this.tag}-`;
    if (!name.startsWith(prefix)) return false;
    const kind = name.slice(prefix.length, name.indexOf(':'));
    if (kind === 'call') this.expire(data as number);
    else if (kind === 'retry') this.redispatch(data as number);
    else this.endpointTimer(kind, this.endpoints[data as number]!);
    return true;
  }

  private endpointTimer(kind: string, e: Endpoint): void {
    switch (kind) {
      case 'ka': return this.keepalive(e);
      case 'ping': return this.lose(e, `keepalive ping unanswered for ${KEEPALIVE_TIMEOUT_US / 1e6} s`);
      case 'uto': return this.probeAcks(e);
      case 'ack': return this.lose(e, `TCP_USER_TIMEOUT: data unacknowledged for ${KEEPALIVE_TIMEOUT_US / 1e6} s`);
      case 'connect': return this.connectFailed(e);
      case 'backoff': return this.connect(e);
    }
  }

  /** Anything from the peer: the transport is alive (ends a handshake, answers a pending keepalive ping). */
  private received(e: Endpoint): void {
    e.lastRecvAt = this.ctx.now();
    if (e.pingId !== 0) {
      e.pingId = 0;
      this.ctx.cancelTimer(this.timer('ping', e.index));
      this.ctx.cancelTimer(this.timer('connect', e.index));
      if (e.state === 'ready') this.ctx.setTimer(this.timer('ka', e.index), KEEPALIVE_TIME_US, e.index, { routine: true });
    }
    if (e.state === 'connecting') this.ready(e);
    this.acked(e);
  }

  private ready(e: Endpoint): void {
    e.state = 'ready';
    e.attempts = 0;
    this.ctx.setTimer(this.timer('ka', e.index), KEEPALIVE_TIME_US, e.index, { routine: true });
    const waiting = this.waiting;
    this.waiting = [];
    for (const call of waiting) this.dispatch(call);
  }

  /**
   * http2_client.go keepalive(): a ping only once Time has passed with nothing read; the transport closes if
   * Timeout then passes with still nothing read.
   */
  private keepalive(e: Endpoint): void {
    if (e.state !== 'ready' || e.pingId !== 0) return;
    const idleUs = this.ctx.now() - e.lastRecvAt;
    if (idleUs < KEEPALIVE_TIME_US) {
      this.ctx.setTimer(this.timer('ka', e.index), KEEPALIVE_TIME_US - idleUs, e.index, { routine: true });
      return;
    }
    e.pingId = -this.newId();
    this.ctx.setTimer(this.timer('ping', e.index), KEEPALIVE_TIMEOUT_US, e.index);
    this.ctx.send(e.target, { type: 'etcd.req', id: e.pingId, op: { kind: 'health' }, serializable: true } satisfies EtcdRequest);
    this.watchAck(e);
  }

  /**
   * TCP_USER_TIMEOUT = keepalive timeout (http2_client.go newHTTP2Client): data left unacknowledged that long
   * closes the connection. A window opens at the first send on a fully acknowledged connection.
   */
  private watchAck(e: Endpoint): void {
    if (e.unackedSince !== null) return;
    e.unackedSince = this.ctx.now();
    this.ctx.setTimer(this.timer('uto', e.index), KEEPALIVE_TIMEOUT_US - ACK_WINDOW_US, e.index);
  }

  /** The peer answered: all data sent so far is acknowledged; a new window starts if calls are still out. */
  private acked(e: Endpoint): void {
    e.unackedSince = null;
    this.ctx.cancelTimer(this.timer('uto', e.index));
    if (e.synId !== 0) {
      e.synId = 0;
      this.ctx.cancelTimer(this.timer('ack', e.index));
    }
    if (e.pingId !== 0 || e.outstanding > 0) this.watchAck(e);
  }

  private probeAcks(e: Endpoint): void {
    if (e.synId !== 0 || e.state !== 'ready') return;
    e.synId = this.newId();
    this.ctx.setTimer(this.timer('ack', e.index), ACK_WINDOW_US, e.index);
    this.ctx.send(e.target, { type: TCP_SYN, id: e.synId });
  }

  private onSynAck(id: number): boolean {
    if (typeof id !== 'number' || !this.owns(id)) return false;
    const e = this.endpoints.find((x) => x.synId === id);
    // The kernel acknowledged: not a read on the HTTP/2 transport, so keepalive still counts silence.
    if (e) this.acked(e);
    return true;
  }

  /** The transport is gone: calls on it fail with Unavailable (read-only ones are retried), and grpc reconnects at once. */
  private lose(e: Endpoint, why: string): void {
    const wasReady = e.state === 'ready';
    for (const t of ['ka', 'ping', 'uto', 'ack', 'connect']) this.ctx.cancelTimer(this.timer(t, e.index));
    e.pingId = 0;
    e.synId = 0;
    e.unackedSince = null;
    if (!wasReady) {
      if (e.state === 'connecting') this.connectFailed(e);
      return;
    }
    this.ctx.emit('etcd-client', { endpoint: e.target, ready: false, client: this.label, note: `${this.label}: connection to ${e.target} closed (${why})` });
    this.onLost?.(e.target);
    for (const [id, call] of [...this.inflight]) {
      if (call.endpoint !== e) continue;
      this.take(id);
      const error = `connection to ${e.target} closed (${why})`;
      if (call.readOnly) this.retry(call, error);
      else this.finish(call, { type: 'etcd.resp', id: call.key, ok: false, error });
    }
    this.connect(e);
  }

  /** A connect attempt: the handshake is the first answer from the etcd process (grpc waits for the server preface). */
  private connect(e: Endpoint): void {
    e.state = 'connecting';
    e.pingId = -this.newId();
    // A first attempt waits on a verdict; later ones are a routine retry loop (fast-forward may skip them).
    this.ctx.setTimer(this.timer('connect', e.index), CONNECT_TIMEOUT_US, e.index, { routine: e.attempts > 0 });
    this.ctx.send(e.target, { type: 'etcd.req', id: e.pingId, op: { kind: 'health' }, serializable: true } satisfies EtcdRequest);
  }

  /** A connect attempt failed: try again after grpc's back-off. */
  private connectFailed(e: Endpoint): void {
    this.ctx.cancelTimer(this.timer('connect', e.index));
    e.pingId = 0;
    e.state = 'backoff';
    if (this.mode === 'first-endpoint-bug') this.failWaiting(FIRST_ENDPOINT_ERROR);
    const delayUs = backoffUs(e.attempts, this.ctx.random);
    e.attempts++;
    this.ctx.setTimer(this.timer('backoff', e.index), delayUs, e.index, { routine: true });
  }

  /** retry_interceptor.go: wait 25 ms ± 10 % and pick again, at most 100 times, never past the call's deadline. */
  private retry(call: Call, error: string): void {
    if (call.retries >= MAX_RETRIES) {
      this.finish(call, { type: 'etcd.resp', id: call.key, ok: false, error });
      return;
    }
    call.retries++;
    this.ctx.setTimer(this.timer('retry', call.key), this.ctx.random.spread(RETRY_WAIT_US, RETRY_WAIT_US / 10), call.key);
  }

  private failWaiting(error: string): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const call of waiting) this.finish(call, { type: 'etcd.resp', id: call.key, ok: false, error });
  }

  /** Take the call carried by message `id` off its transport. */
  private take(id: number): Call | undefined {
    const call = this.inflight.get(id);
    if (!call) return undefined;
    this.inflight.delete(id);
    if (call.endpoint) call.endpoint.outstanding--;
    call.endpoint = null;
    return call;
  }

  private redispatch(key: number): void {
    const call = this.calls.get(key);
    if (call) this.dispatch(call);
  }

  private expire(key: number): void {
    const call = this.calls.get(key);
    if (!call) return;
    for (const [id, c] of [...this.inflight]) if (c === call) this.take(id);
    this.waiting = this.waiting.filter((c) => c !== call);
    this.finish(call, { type: 'etcd.resp', id: key, ok: false, error: 'context deadline exceeded' });
  }

  private finish(call: Call, resp: EtcdResponse): void {
    if (!this.calls.delete(call.key)) return;
    this.ctx.cancelTimer(call.timer);
    // A retry timer is armed only after a retry was counted (see retry).
    if (call.retries > 0) this.ctx.cancelTimer(this.timer('retry', call.key));
    call.cb({ ...resp, id: call.key });
  }
}
