// kube-apiserver's etcd client (clientv3): endpoints per `apiserverEtcd`, round-robin, refused vs black-holed failover, keepalive.
import type { Ctx, Msg } from '../kernel/actor.ts';
import type { KvOp } from '../etcd/kv.ts';
import type { EtcdRequest, EtcdResponse } from '../etcd/requests.ts';

export type EtcdMode = 'local' | 'all' | 'lb' | 'first-endpoint-bug';

/** clientv3 keepalive: ping every 30 s, dead after 10 s without an answer (factory/etcd3.go). */
const KEEPALIVE_TIME_US = 30_000_000;
const KEEPALIVE_TIMEOUT_US = 10_000_000;
/** gRPC reconnect back-off after a refused connection (first step of its exponential back-off). */
const RECONNECT_US = 1_000_000;

interface Endpoint {
  target: string;
  /** Not usable (refused, or keepalive timed out) until a ping succeeds. */
  dead: boolean;
  pingId: number;
}

interface Call {
  endpoint: Endpoint;
  cb: (resp: EtcdResponse) => void;
}

export class EtcdClient {
  private readonly endpoints: Endpoint[];
  private readonly calls = new Map<number, Call>();
  private seq = 0;
  private next = 0;

  constructor(private readonly ctx: Ctx, targets: string[], private readonly mode: EtcdMode) {
    this.endpoints = targets.map((target) => ({ target, dead: false, pingId: 0 }));
    this.endpoints.forEach((_, i) => ctx.setTimer(`etcd-ka:${i}`, KEEPALIVE_TIME_US, i, true));
  }

  request(op: KvOp | { kind: 'health' }, timeoutUs: number, cb: (resp: EtcdResponse) => void, serializable = false): void {
    const endpoint = this.pick();
    const id = ++this.seq;
    if (!endpoint) {
      cb({ type: 'etcd.resp', id, ok: false, error: this.mode === 'first-endpoint-bug'
        ? 'x509: certificate is valid for the first etcd endpoint only (kubernetes#72102)'
        : 'etcdclient: no available endpoints' });
      return;
    }
    this.calls.set(id, { endpoint, cb });
    this.ctx.setTimer(`etcd-call:${id}`, timeoutUs, id);
    this.ctx.send(endpoint.target, { type: 'etcd.req', id, op, serializable } satisfies EtcdRequest);
  }

  /** Round-robin over live endpoints; the ≤1.15 TLS bug can only ever use endpoint[0]. */
  private pick(): Endpoint | undefined {
    if (this.mode === 'first-endpoint-bug') return this.endpoints[0]!.dead ? undefined : this.endpoints[0];
    for (let k = 0; k < this.endpoints.length; k++) {
      const e = this.endpoints[(this.next + k) % this.endpoints.length]!;
      if (!e.dead) {
        this.next = (this.next + k + 1) % this.endpoints.length;
        return e;
      }
    }
    return undefined;
  }

  onMessage(msg: Msg): boolean {
    if (msg.type !== 'etcd.resp') return false;
    const resp = msg as unknown as EtcdResponse;
    const ping = resp.id < 0 ? this.endpoints.find((e) => e.pingId === resp.id) : undefined;
    if (ping) {
      ping.pingId = 0;
      ping.dead = false;
      this.ctx.cancelTimer(`etcd-ping:${this.endpoints.indexOf(ping)}`);
      return true;
    }
    const call = this.calls.get(resp.id);
    if (call) {
      call.endpoint.dead = false;
      this.finish(resp.id, resp);
    }
    return true;
  }

  onRefused(to: string, msg: Msg): boolean {
    if (msg.type !== 'etcd.req') return false;
    const id = (msg as unknown as EtcdRequest).id;
    const e = this.endpoints.find((x) => x.target === to);
    if (e) this.markDead(e, RECONNECT_US);
    if (this.calls.has(id)) this.finish(id, { type: 'etcd.resp', id, ok: false, error: 'connection refused' });
    return true;
  }

  onTimer(name: string, data: unknown): boolean {
    if (name.startsWith('etcd-call:')) {
      const id = data as number;
      if (this.calls.has(id)) this.finish(id, { type: 'etcd.resp', id, ok: false, error: 'context deadline exceeded' });
      return true;
    }
    if (name.startsWith('etcd-ka:')) {
      const i = data as number;
      this.ctx.setTimer(name, KEEPALIVE_TIME_US, i, true);
      this.ping(i, KEEPALIVE_TIMEOUT_US);
      return true;
    }
    if (name.startsWith('etcd-ping:')) {
      const e = this.endpoints[data as number]!;
      if (e.pingId !== 0) this.markDead(e, RECONNECT_US);
      return true;
    }
    if (name.startsWith('etcd-reconnect:')) {
      this.ping(data as number, KEEPALIVE_TIMEOUT_US);
      return true;
    }
    return false;
  }

  /** A serializable health ping (stands in for HTTP/2 keepalive and gRPC reconnects). */
  private ping(i: number, timeoutUs: number): void {
    const e = this.endpoints[i]!;
    if (e.pingId !== 0) return;
    e.pingId = -(++this.seq);
    // Re-probing an endpoint already marked dead is a routine retry loop; a ping to one in use
    // waits on a verdict (fast-forward must not skip past it).
    this.ctx.setTimer(`etcd-ping:${i}`, timeoutUs, i, e.dead);
    this.ctx.send(e.target, { type: 'etcd.req', id: e.pingId, op: { kind: 'health' }, serializable: true } satisfies EtcdRequest);
  }

  private markDead(e: Endpoint, retryUs: number): void {
    const i = this.endpoints.indexOf(e);
    const wasDead = e.dead;
    e.dead = true;
    e.pingId = 0;
    this.ctx.cancelTimer(`etcd-ping:${i}`);
    this.ctx.setTimer(`etcd-reconnect:${i}`, retryUs, i);
    if (wasDead) return;
    // The transport is closed: every RPC still on it fails at once (gRPC: Unavailable).
    for (const [id, call] of [...this.calls]) {
      if (call.endpoint === e) this.finish(id, { type: 'etcd.resp', id, ok: false, error: `connection to ${e.target} closed` });
    }
  }

  private finish(id: number, resp: EtcdResponse): void {
    const call = this.calls.get(id)!;
    this.calls.delete(id);
    this.ctx.cancelTimer(`etcd-call:${id}`);
    call.cb(resp);
  }
}
