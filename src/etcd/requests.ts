// etcd's client API on one member: writes through raft, linearizable and serializable reads, /health, the request timeout.
import type { Ctx } from '../kernel/actor.ts';
import type { RaftNode } from '../raft/index.ts';
import type { KvOp, KvResult } from './kv.ts';

/** A client request (the apiserver's etcd client, an etcd haproxy's health check, a test load). */
export type EtcdRequest = {
  type: 'etcd.req';
  id: number;
  op: KvOp | { kind: 'health' };
  /** Serve from this member's applied state without asking the leader (may be stale). */
  serializable?: boolean;
};

export type EtcdResponse = {
  type: 'etcd.resp';
  id: number;
  ok: boolean;
  result?: KvResult;
  /** `/health`: {"health":"true"} or false with a reason. */
  health?: { health: boolean; reason: string };
  error?: string;
};

interface Pending {
  key: string;
  /** Its deadline timer's name (`req:` + key), kept so finishing it does not build the name again. */
  timer: string;
  from: string;
  req: EtcdRequest;
  /** Raft entry id of a write. */
  entryId?: string;
  /** Read index granted by the leader; served once applied reaches it. */
  readIndex?: number;
  /** Context of this request's ReadIndex: unique per request, so a late answer meant for another never serves it. */
  readCtx?: string;
}

/** etcd linearizableReadLoop retries a ReadIndex that got no answer (readIndexRetryTime). */
const READ_RETRY_US = 500_000;

/**
 * What the client API needs of its member (EtcdMember implements it): whether it is stopping, its
 * KV store to read, its raft node to propose and read through, and its id and request timeout.
 * A narrow interface, so that this file does not import the member that imports it.
 */
export interface RequestServer {
  readonly isStopping: boolean;
  readonly kv: { read(op: KvOp): KvResult };
  readonly node: Pick<RaftNode, 'leader' | 'propose' | 'readIndex'>;
  readonly cfg: { readonly id: number; readonly requestTimeoutUs: number };
}

export class EtcdRequests {
  private readonly pending = new Map<string, Pending>();
  private readonly byEntry = new Map<string, Pending>();
  private readSeq = 0;
  /** Writes and reads that wait for a leader to be known (etcd: propc is nil without a leader). */
  private waiting: Pending[] = [];
  private seq = 0;

  constructor(private readonly member: RequestServer, private readonly ctx: Ctx) {}

  receive(from: string, req: EtcdRequest): void {
    if (this.member.isStopping) {
      this.reply(from, { type: 'etcd.resp', id: req.id, ok: false, error: 'etcdserver: server stopped' });
      return;
    }
    const op = req.op;
    if (op.kind === 'health') {
      this.health(from, req);
      return;
    }
    if (req.serializable && (op.kind === 'get' || op.kind === 'list')) {
      this.reply(from, { type: 'etcd.resp', id: req.id, ok: true, result: this.member.kv.read(op) });
      return;
    }
    const key = `${from}#${req.id}`;
    const p: Pending = { key, timer: `req:${key}`, from, req };
    this.pending.set(key, p);
    this.ctx.setTimer(p.timer, this.member.cfg.requestTimeoutUs, key);
    if (op.kind === 'get' || op.kind === 'list') this.read(p);
    else this.write(p);
  }

  /** v3.5 /health: false at once without a leader, else a linearizable read (serializable: local only). */
  private health(from: string, req: EtcdRequest): void {
    if (req.serializable) {
      this.reply(from, { type: 'etcd.resp', id: req.id, ok: true, health: { health: true, reason: '' } });
      return;
    }
    if (this.member.node.leader === 0) {
      this.reply(from, { type: 'etcd.resp', id: req.id, ok: true, health: { health: false, reason: 'RAFT NO LEADER' } });
      return;
    }
    const key = `${from}#${req.id}`;
    const p: Pending = { key, timer: `req:${key}`, from, req };
    this.pending.set(key, p);
    this.ctx.setTimer(p.timer, this.member.cfg.requestTimeoutUs, key);
    this.read(p);
  }

  private write(p: Pending): void {
    p.entryId ??= `${this.member.cfg.id}.${++this.seq}`;
    const node = this.member.node;
    if (node.leader === 0) {
      this.waiting.push(p);
      return;
    }
    this.byEntry.set(p.entryId, p);
    const r = node.propose({ id: p.entryId, op: p.req.op });
    if (r.ok) return;
    this.byEntry.delete(p.entryId);
    // etcd-io/raft: a leader handing over leadership drops proposals (ErrProposalDropped reaches the client).
    if (r.reason === 'transferring') this.fail(p, 'etcdserver: raft proposal dropped');
    else this.waiting.push(p);
  }

  private read(p: Pending): void {
    if (!this.member.node.readIndex(this.readContext(p))) {
      this.waiting.push(p);
      return;
    }
    if (!this.ctx.hasTimer('read-retry')) this.ctx.setTimer('read-retry', READ_RETRY_US);
  }

  /** A leader became known: proposals and reads that waited for one go now. */
  leaderKnown(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const p of waiting) {
      if (!this.pending.has(p.key)) continue;
      if (p.entryId !== undefined) this.write(p);
      else this.read(p);
    }
  }

  timer(name: string, data: unknown): void {
    if (name === 'read-retry') {
      let again = false;
      for (const p of this.pending.values()) {
        if (p.entryId === undefined && p.readIndex === undefined && !this.waiting.includes(p)) {
          this.member.node.readIndex(this.readContext(p));
          again = true;
        }
      }
      if (again) this.ctx.setTimer('read-retry', READ_RETRY_US);
      return;
    }
    const p = this.pending.get(data as string);
    if (p) this.fail(p, 'etcdserver: request timed out');
  }

  /** A committed entry was applied here; answer the client if it was proposed through this member. */
  applied(entryId: string, result: KvResult): void {
    const p = this.byEntry.get(entryId);
    if (!p) return;
    this.byEntry.delete(entryId);
    this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, result });
  }

  /**
   * etcd server v3_server.go linearizableReadLoop sends a fresh request id as the ReadIndex context and ignores
   * read states whose context is not the one it waits for. Keys (client#id) repeat when a client restarts, so the
   * context adds a sequence number; a late read state for an earlier request (even a write now under the same key)
   * is ignored instead of serving it.
   */
  private readContext(p: Pending): string {
    p.readCtx ??= `${p.key}@${++this.readSeq}`;
    return p.readCtx;
  }

  readState(index: number, context: unknown): void {
    const ctx = String(context);
    const p = this.pending.get(ctx.slice(0, ctx.lastIndexOf('@')));
    if (p && p.readCtx === ctx && p.readIndex === undefined) p.readIndex = index;
  }

  /** Serve the linearizable reads whose read index has been applied. */
  appliedUpTo(applied: number): void {
    for (const p of this.pending.values()) {
      if (p.readIndex === undefined || p.readIndex > applied) continue;
      const op = p.req.op;
      if (op.kind === 'health') {
        this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, health: { health: true, reason: '' } });
      } else {
        this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, result: this.member.kv.read(op) });
      }
    }
  }

  failAll(error: string): void {
    for (const p of [...this.pending.values()]) this.fail(p, error);
  }

  private fail(p: Pending, error: string): void {
    if (p.req.op.kind === 'health') {
      this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, health: { health: false, reason: error } });
      return;
    }
    this.done(p, { type: 'etcd.resp', id: p.req.id, ok: false, error });
  }

  private done(p: Pending, resp: EtcdResponse): void {
    this.pending.delete(p.key);
    if (p.entryId !== undefined) this.byEntry.delete(p.entryId);
    this.ctx.cancelTimer(p.timer);
    this.reply(p.from, resp);
  }

  private reply(to: string, resp: EtcdResponse): void {
    this.ctx.send(to, resp);
  }
}
