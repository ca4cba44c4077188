// An etcd member: raft (src/raft) driven by ticks and the network, with fsync latency, a KV store and a client API.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { newDurable, RaftNode, type RaftDurable, type RaftMessage, type Ready, type Role } from '../raft/index.ts';
import type { MachineResources } from '../load/machine.ts';
import { KvStore, type KvSnapshot } from './kv.ts';
import { MemberLoad } from './member-load.ts';
import { EtcdRequests, type EtcdRequest } from './requests.ts';
import { readyFsyncs, snapshotApplyUs } from './snapshot-apply.ts';
import { restartStartupUs } from './startup.ts';
import { WatchHub, type WatchOp } from './watch.ts';

export interface EtcdConfig {
  /** This member's raft id (1-based) and every member's process id, by raft id. */
  id: number;
  peers: string[];
  heartbeatUs: number;
  electionTicks: number;
  preVote: boolean;
  requestTimeoutUs: number;
  compactAfter: number;
  /** Only with load: the machine's shared CPU and disk; the raft loop and its fsyncs run on them (member-load.ts). */
  machine?: MachineResources;
}

/** A raft message travels as it is: its `type` (MsgApp, MsgHeartbeat…) is the wire message type. */
function isRaft(msg: Msg): boolean {
  return msg.type.startsWith('Msg');
}

/** Entry payload: the client write and who proposed it. */
export interface EntryData {
  id: string;
  op: import('./kv.ts').KvOp;
}

/** Leader-only messages that may leave before the leader's own fsync (etcd raftNode, thesis §10.2.1). */
const EARLY = new Set(['MsgApp', 'MsgHeartbeat', 'MsgSnap']);

export class EtcdMember implements Actor {
  node!: RaftNode;
  kv!: KvStore;
  requests!: EtcdRequests;
  watches!: WatchHub;
  /** The Ready being fsynced; raft allows one at a time. */
  private inFlight: Ready | null = null;
  private role: Role = 'follower';
  private term = 0;
  private leader = 0;
  private stopping = false;
  private ctx!: Ctx;
  /** The Ready whose snapshot the apply loop is installing (server.go applySnapshot), until 'snapshot-applied'. */
  private installing: Ready | null = null;
  /** Readies waiting behind it: etcd applies in order on one loop, so nothing later is applied meanwhile. */
  private applyQueue: Ready[] = [];
  /** Highest index the KV store has applied; behind the raft node's while a snapshot installs. */
  private kvApplied = 0;
  /** The machine's resources as this member uses them; null without load (fixed fsync timer, no CPU). */
  private load: MemberLoad | null = null;
  /** While a restarted process is still starting (startup.ts): client requests wait here; peer messages are lost. */
  private held: [string, Msg][] | null = null;
  /** When raft restarted in this process (etcd's "restarting local member"); null before. */
  raftRestartedAtUs: number | null = null;

  constructor(readonly cfg: EtcdConfig) {}

  get name(): string {
    return `etcd-${this.cfg.id}`;
  }

  start(ctx: Ctx): void {
    this.ctx = ctx;
    const restarting = ctx.durable['raft'] !== undefined;
    const durable = ((ctx.durable['raft'] as RaftDurable | undefined) ??= newDurable());
    const ids = this.cfg.peers.map((_, i) => i + 1);
    this.node = new RaftNode({
      id: this.cfg.id, peers: ids, electionTicks: this.cfg.electionTicks, heartbeatTicks: 1,
      preVote: this.cfg.preVote, checkQuorum: true, compactAfter: this.cfg.compactAfter,
    }, durable, (n) => ctx.random.below(n));
    this.kv = new KvStore(durable.snapshot.data as KvSnapshot | null);
    this.kvApplied = durable.snapshot.index;
    this.requests = new EtcdRequests(this, ctx);
    this.watches = new WatchHub(ctx, this.kv.revision, this.cfg.electionTicks);
    this.term = durable.hardState.term;
    if (this.cfg.machine) this.load = new MemberLoad(ctx, this.cfg.machine.attach(ctx, 1), this.cfg.heartbeatUs);
    ctx.emit('etcd', { member: this.name, role: 'follower', term: this.term, leader: null });
    // Members boot at different moments: each ticks at its own phase of the heartbeat interval.
    const tickPhaseUs = 1 + ctx.random.below(this.cfg.heartbeatUs);
    if (!restarting) {
      this.raftRestartedAtUs = ctx.now();
      ctx.setTimer('tick', tickPhaseUs, undefined, { routine: true });
      this.pump();
      return;
    }
    // A process with a WAL reads it and its database before raft runs (startup.ts, etcdserver.NewServer haveWAL).
    const startup = restartStartupUs(durable.entries.length, (durable.snapshot.data as KvSnapshot | null)?.data.size ?? 0);
    this.raftRestartedAtUs = ctx.now() + startup.beforeRaftUs;
    this.held = [];
    ctx.setTimer('started', startup.beforeRaftUs + startup.afterRaftUs, tickPhaseUs);
  }

  /** embed.StartEtcd after NewServer: EtcdServer.Start (the ticker) and servePeers; held client requests are read now. */
  private started(ctx: Ctx, tickPhaseUs: number): void {
    const held = this.held ?? [];
    this.held = null;
    ctx.setTimer('tick', tickPhaseUs, undefined, { routine: true });
    for (const [from, msg] of held) this.message(ctx, from, msg);
  }

  message(ctx: Ctx, from: string, msg: Msg): void {
    if (this.held !== null) {
      if (msg.type === 'etcd.req') this.held.push([from, msg]);
      return;
    }
    const op = msg['op'] as { kind: string } | undefined;
    if (msg.type === 'etcd.req' && (op?.kind === 'watch' || op?.kind === 'watch-cancel')) {
      if (!this.stopping) this.watches.receive(from, msg['id'] as number, op as WatchOp);
    } else if (msg.type === 'etcd.req') {
      this.requests.receive(from, msg as unknown as EtcdRequest);
    } else {
      this.node.step(msg as unknown as RaftMessage);
    }
    this.pump();
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (name === 'tick') {
      ctx.setTimer('tick', this.cfg.heartbeatUs, undefined, { routine: true });
      this.node.tick();
      this.watches.tick(this.node.leader !== 0);
    } else if (name === 'fsync') {
      this.persisted();
    } else if (name === 'started') {
      this.started(ctx, data as number);
    } else if (name === 'snapshot-applied') {
      this.installed();
    } else if (this.load?.onTimer(name)) {
      // a raft-loop CPU job done (its callback ran) or a latency sample
    } else if (name === 'stop-timeout') {
      ctx.exit(0, 'leadership transfer timed out; shutting down');
      return;
    } else {
      this.requests.timer(name, data);
    }
    this.pump();
  }

  refused(_ctx: Ctx, to: string, msg: Msg): void {
    if (this.watches.refused(to, msg)) return;
    if (!isRaft(msg)) return;
    const m = msg as unknown as RaftMessage;
    const peer = this.cfg.peers.indexOf(to) + 1;
    if (m.type === 'MsgSnap') this.node.reportSnapshot(peer, false);
    this.node.reportUnreachable(peer);
  }

  /**
   * For fast-forward: raft's election clock is a tick count, not a timer, so say when it is running
   * out. A follower that has stopped hearing its leader will campaign; a leader that has not heard
   * from a quorum since its last check-quorum round will step down.
   */
  unsettled(): string | null {
    const node = this.node;
    if (node.role === 'follower' && node.leader !== 0 && node.electionElapsedTicks >= 3) {
      return `no heartbeat from etcd-${node.leader} for ${node.electionElapsedTicks} ticks`;
    }
    if (node.role === 'leader' && node.electionElapsedTicks >= 2) {
      const n = this.cfg.peers.length;
      let active = 1;
      for (let id = 1; id <= n; id++) if (id !== this.cfg.id && node.progress(id)?.recentActive) active++;
      if (active <= n / 2) return `leader heard from ${active} of ${n} members this check-quorum round`;
    }
    return null;
  }

  /** Graceful stop: a leader hands leadership to its most caught-up follower first (etcd TryTransferLeadershipOnShutdown). */
  stop(ctx: Ctx): void {
    this.stopping = true;
    this.requests.failAll('etcdserver: server stopped');
    if (this.role !== 'leader' || this.cfg.peers.length === 1) {
      ctx.exit(0, 'stopped');
      return;
    }
    // etcd picks the longest-connected voter (rafthttp); we take the most caught-up follower,
    // preferring those heard from recently (recentActive is reset by every check-quorum round, so
    // when none is marked, the most caught-up one still gets it).
    let best = 0;
    let bestScore = -1;
    for (let id = 1; id <= this.cfg.peers.length; id++) {
      const pr = id === this.cfg.id ? undefined : this.node.progress(id);
      if (!pr) continue;
      const score = (pr.recentActive ? 1e15 : 0) + pr.match;
      if (score > bestScore) {
        best = id;
        bestScore = score;
      }
    }
    if (best === 0) {
      ctx.exit(0, 'stopped (no follower to transfer leadership to)');
      return;
    }
    ctx.emit('etcd-transfer', { member: this.name, to: `etcd-${best}`, note: `transferring leadership to etcd-${best} before shutdown` });
    this.node.transferLeadership(best);
    ctx.setTimer('stop-timeout', this.cfg.requestTimeoutUs);
    this.pump();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Drain raft's output: one Ready at a time, each fsynced before its messages leave. */
  pump(): void {
    while (this.inFlight === null && this.node.hasReady()) {
      const rd = this.node.ready();
      this.noteSoftState(rd);
      if (this.load === null) {
        this.handle(rd);
        continue;
      }
      // On a shared machine the loop first does its CPU work on the Ready; nothing leaves before.
      this.inFlight = rd;
      this.load.runReady(rd, () => {
        this.inFlight = null;
        this.handle(rd);
        this.pump();
      });
    }
  }

  private handle(rd: Ready): void {
    if (!rd.mustPersist) {
      this.finish(rd, rd.messages);
      return;
    }
    const early = this.role === 'leader' ? rd.messages.filter((m) => EARLY.has(m.type)) : [];
    for (const m of early) this.sendRaft(m);
    this.inFlight = rd;
    // A received snapshot is made durable with more than one fsync (snapshot-apply.ts readyFsyncs).
    const fsyncUs = (this.ctx.hostProp('fsyncUs') ?? 0) * readyFsyncs(rd.snapshotToApply !== undefined);
    this.ctx.setTimer('fsync', this.load === null ? fsyncUs : this.load.fsync(fsyncUs));
    this.pendingLate = early.length === 0 ? rd.messages : rd.messages.filter((m) => !EARLY.has(m.type));
  }

  private pendingLate: RaftMessage[] = [];

  private persisted(): void {
    const rd = this.inFlight;
    if (!rd) return;
    this.inFlight = null;
    this.finish(rd, this.pendingLate);
  }

  /**
   * The Ready is durable: advance raft, send, apply. The messages (a follower's ack of a received
   * snapshot too) leave at once; applying goes through the apply loop (etcd raftNode.start hands
   * the Ready to etcdserver's applyAll and goes on).
   */
  private finish(rd: Ready, messages: RaftMessage[]): void {
    this.node.advance();
    for (const m of messages) this.sendRaft(m);
    if (this.installing === null && rd.snapshotToApply === undefined) this.apply(rd);
    else this.applyQueue.push(rd);
    this.drainApply();
  }

  /** Apply queued Readies in order until one carries a snapshot, which keeps the loop busy. */
  private drainApply(): void {
    while (this.installing === null && this.applyQueue.length > 0) {
      const rd = this.applyQueue.shift()!;
      if (rd.snapshotToApply === undefined) {
        this.apply(rd);
        continue;
      }
      this.installing = rd;
      const keys = (rd.snapshotToApply.data as KvSnapshot | null)?.data.size ?? 0;
      this.ctx.setTimer('snapshot-applied', snapshotApplyUs(keys, this.cfg.peers.length));
    }
  }

  /** server.go applySnapshot is done: the store is the snapshot's, and what queued behind it applies. */
  private installed(): void {
    const rd = this.installing;
    if (rd === null) return;
    this.installing = null;
    this.kv = new KvStore(rd.snapshotToApply!.data as KvSnapshot | null);
    this.watches.reset(this.kv.revision);
    this.kvApplied = Math.max(this.kvApplied, rd.snapshotToApply!.index);
    this.apply(rd);
    this.drainApply();
  }

  private apply(rd: Ready): void {
    for (const e of rd.committed) {
      const data = e.data as EntryData | null;
      const result = data ? this.kv.apply(data.op) : null;
      if (data && result) this.watches.record(data.op, result);
      this.kvApplied = e.index;
      this.load?.applied(e.index);
      this.ctx.check('etcd-apply', { member: this.cfg.id, index: e.index, term: e.term, id: data?.id ?? null });
      if (data && result) this.requests.applied(data.id, result);
    }
    this.watches.flush();
    for (const rs of rd.readStates) this.requests.readState(rs.index, rs.context);
    this.requests.appliedUpTo(this.kvApplied);
    if (this.installing === null && this.node.shouldCompact()) this.node.compact(this.kvApplied, this.kv.snapshot());
  }

  /** Highest index this member's store has applied (etcd's appliedi; raft's own runs ahead while a snapshot installs). */
  get appliedIndex(): number {
    return this.kvApplied;
  }

  private sendRaft(m: RaftMessage): void {
    const to = this.cfg.peers[m.to - 1]!;
    this.ctx.send(to, m as unknown as Msg);
    if (m.type === 'MsgHeartbeat') this.load?.heartbeatSent(`etcd-${m.to}`);
    if (m.type === 'MsgSnap') this.node.reportSnapshot(m.to, true);
  }

  private noteSoftState(rd: Ready): void {
    const s = rd.softState;
    if (s.role === this.role && s.term === this.term && s.leader === this.leader) return;
    const wasLeader = this.role === 'leader';
    const transferring = this.node.leadTransferee !== 0;
    const oldTerm = this.term;
    this.role = s.role;
    this.term = s.term;
    const leaderChanged = s.leader !== this.leader;
    this.leader = s.leader;
    this.ctx.emit('etcd', { member: this.name, role: s.role, term: s.term, leader: s.leader === 0 ? null : `etcd-${s.leader}` });
    if (s.role === 'leader' && !wasLeader) {
      this.load?.leadershipChanged();
      this.ctx.emit('leader', { group: 'etcd', leading: true, cause: 'won the election', term: s.term });
    } else if (wasLeader && s.role !== 'leader') {
      const cause = s.term > oldTerm
        ? (transferring || this.stopping ? `handed leadership over (term ${s.term})` : `saw a higher term (${s.term})`)
        : 'stepped down: no quorum heard within the election timeout (check-quorum)';
      this.ctx.emit('leader', { group: 'etcd', leading: false, cause, term: oldTerm });
      if (this.stopping) this.ctx.exit(0, 'stopped after handing over leadership');
    }
    if (leaderChanged && s.leader !== 0) this.requests.leaderKnown();
  }
}
