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
}

/**
 * One round of etcd's linearizable read loop (server/etcdserver/v3_server.go linearizableReadLoop):
 * a single ReadIndex under a fresh request id serves every read that was waiting when it started.
 */
interface ReadRound {
  ctx: string;
  reads: Pending[];
  /** The read index the leader granted; the reads are served once this member has applied it. */
  index?: number;
}

/** etcd requestCurrentIndex re-sends a ReadIndex that got no answer (readIndexRetryTime). */
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
  /** The read round in flight (at most one), and the reads that came after it started and wait for the next. */
  private round: ReadRound | null = null;
  private nextReads: Pending[] = [];
  /** Writes that wait for a leader to be known (etcd: propc is nil without a leader). */
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

  /**
   * linearizableReadNotify: a read waits for the next round of the read loop, and signals the loop if it
   * is idle. Reads that arrive while a round is in flight share the one after it (a burst of reads costs
   * two ReadIndex rounds, not one each).
   */
  private read(p: Pending): void {
    this.nextReads.push(p);
    if (this.round === null) this.startRound();
  }

  /**
   * The loop's next turn: a fresh request id (etcd reqIDGen; here unique per incarnation, so a late grant
   * meant for an earlier life is ignored) and a ReadIndex for it (requestCurrentIndex). Without a known
   * leader the ReadIndex goes when one is (leaderKnown), as etcd re-sends it at the first commit in a term.
   */
  private startRound(): void {
    const reads = this.nextReads.filter((p) => this.pending.get(p.key) === p);
    this.nextReads = [];
    if (reads.length === 0) {
      this.round = null;
      return;
    }
    const round: ReadRound = { ctx: `${this.ctx.life}.${++this.readSeq}`, reads };
    this.round = round;
    this.member.node.readIndex(round.ctx);
    this.ctx.setTimer('read-retry', READ_RETRY_US);
    // requestCurrentIndex's errorTimer: a round with no grant for the request timeout fails its reads (ErrTimeout).
    this.ctx.setTimer('read-round', this.member.cfg.requestTimeoutUs);
  }

  /** The round is over (served or failed): the loop turns again if reads came meanwhile. */
  private endRound(): void {
    this.round = null;
    this.ctx.cancelTimer('read-retry');
    this.ctx.cancelTimer('read-round');
    this.startRound();
  }

  /** A leader became known: proposals that waited for one go now, and an unanswered ReadIndex is sent to it. */
  leaderKnown(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const p of waiting) {
      if (this.pending.has(p.key)) this.write(p);
    }
    if (this.round !== null && this.round.index === undefined) this.member.node.readIndex(this.round.ctx);
  }

  timer(name: string, data: unknown): void {
    const round = this.round;
    if (name === 'read-retry') {
      if (round === null || round.index !== undefined) return;
      this.member.node.readIndex(round.ctx);
      this.ctx.setTimer('read-retry', READ_RETRY_US);
      return;
    }
    if (name === 'read-round') {
      if (round === null) return;
      for (const p of round.reads) if (this.pending.get(p.key) === p) this.fail(p, 'etcdserver: request timed out');
      this.endRound();
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

  /** A read state from raft: the grant for the round in flight (any other is a late answer to an earlier one). */
  readState(index: number, context: unknown): void {
    const round = this.round;
    if (round !== null && round.ctx === context && round.index === undefined) {
      round.index = index;
      this.ctx.cancelTimer('read-retry');
    }
  }

  /** The round's reads are served once this member has applied its read index (applyWait). */
  appliedUpTo(applied: number): void {
    const round = this.round;
    if (round === null || round.index === undefined || round.index > applied) return;
    for (const p of round.reads) {
      if (this.pending.get(p.key) !== p) continue;
      const op = p.req.op;
      if (op.kind === 'health') {
        this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, health: { health: true, reason: '' } });
      } else {
        this.done(p, { type: 'etcd.resp', id: p.req.id, ok: true, result: this.member.kv.read(op as KvOp) });
      }
    }
    this.endRound();
  }

  failAll(error: string): void {
    for (const p of [...this.pending.values()]) this.fail(p, error);
    this.round = null;
    this.nextReads = [];
    this.ctx.cancelTimer('read-retry');
    this.ctx.cancelTimer('read-round');
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
