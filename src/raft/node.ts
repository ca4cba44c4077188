// RaftNode: the public, RawNode-style face of the raft state machine (etcd-io/raft rawnode.go).
import { Raft } from './core.ts';
import { hup } from './election.ts';
import { assert } from './log.ts';
import type { FlowState } from './progress.ts';
import { captureReady, hardStateOf, hasReady, persist, softStateOf, type Accepted } from './ready.ts';
import { reportSnapshot, reportUnreachable } from './roles/leader.ts';
import { step } from './step.ts';
import { tick } from './tick.ts';
import type { Entry, HardState, NodeId, ProposeResult, RaftConfig, RaftDurable, RaftMessage, Ready, Role, SoftState } from './types.ts';

/**
 * One raft member. Input: tick(), step(m), propose(), readIndex(), transferLeadership().
 * Output: ready(). The caller owns all I/O and time.
 *
 * Durability contract (etcd-io/raft rawnode.go, synchronous storage):
 *  1. `rd = node.ready()` hands out messages, entries/hard state/snapshot to persist, and
 *     committed entries to apply. Only one Ready may be outstanding.
 *  2. The caller "fsyncs" (in the simulator: waits the disk latency). If the machine crashes
 *     now, nothing of rd reaches `durable` and none of rd.messages may be sent.
 *  3. `node.advance()` declares the fsync done: it writes rd into `durable`, marks rd.committed
 *     as applied, and counts the node's own acks (a leader's own MsgAppResp, a candidate's own
 *     vote), exactly as etcd steps msgsAfterAppend on Advance.
 *  4. The caller sends rd.messages and applies rd.snapshotToApply then rd.committed.
 *  A leader may send its MsgApp/MsgHeartbeat before the fsync (etcd's raftNode does, thesis
 *  §10.2.1); MsgAppResp, MsgVoteResp and MsgPreVoteResp must always wait for advance().
 *  tick/step/propose may be called while a Ready is outstanding.
 *
 * Restart: `new RaftNode(cfg, durable, randInt)` resumes as follower in the saved term with the
 * saved vote; applied = durable.snapshot.index (the caller restores its state machine from
 * durable.snapshot.data itself) and the first Ready re-delivers entries up to hardState.commit.
 */
export class RaftNode {
  private readonly r: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private accepted: Accepted | undefined;

  constructor(
    private readonly cfg: RaftConfig,
    private readonly durable: RaftDurable,
    randInt: (n: number) => number,
  ) {
    this.r = new Raft(cfg, durable, randInt);
    this.prevSoft = softStateOf(this.r);
    this.prevHard = hardStateOf(this.r);
  }

  get id(): NodeId { return this.r.id; }
  get role(): Role { return this.r.role; }
  get term(): number { return this.r.term; }
  get vote(): NodeId | 0 { return this.r.vote; }
  get leader(): NodeId | 0 { return this.r.lead; }
  get commitIndex(): number { return this.r.log.committed; }
  get appliedIndex(): number { return this.r.log.applied; }
  get lastIndex(): number { return this.r.log.lastIndex; }
  get firstIndex(): number { return this.r.log.firstIndex; }
  get snapshotIndex(): number { return this.r.log.snapshot.index; }
  get leadTransferee(): NodeId | 0 { return this.r.leadTransferee; }
  get electionElapsedTicks(): number { return this.r.electionElapsedTicks; }
  get randomizedElectionTicks(): number { return this.r.randomizedElectionTicks; }

  tick(): void {
    tick(this.r);
  }

  /** Deliver a message from the network. Messages from non-members are ignored. */
  step(m: RaftMessage): void {
    assert(m.to === this.r.id, () => `message for ${m.to} stepped on ${this.r.id}`);
    if (!this.r.voters.includes(m.from)) return;
    step(this.r, m);
  }

  /** Start an election now (etcd RawNode.Campaign), honouring pre-vote. */
  campaign(): void {
    hup(this.r, this.r.preVote ? 'pre-election' : 'election');
  }

  /**
   * Propose an entry. The leader appends it; a follower forwards a MsgProp to its leader like
   * etcd-io/raft (which may still drop it: no outcome comes back, the caller times out as etcd's
   * ReqTimeout does); without a leader the proposal is dropped.
   */
  propose(data: unknown): ProposeResult {
    const r = this.r;
    const reason = step(r, { type: 'MsgProp', from: r.id, to: r.id, term: 0, entries: [{ term: 0, index: 0, data }] });
    if (reason !== undefined) return { ok: false, reason, leader: r.lead };
    if (r.role === 'leader') return { ok: true, forwarded: false, index: r.log.lastIndex, term: r.term };
    return { ok: true, forwarded: true, leader: r.lead };
  }

  /**
   * Linearizable read (ReadOnlySafe). Returns false when dropped (no known leader); otherwise a
   * ReadState {index, context} appears in a later Ready once leadership is confirmed by a quorum.
   */
  readIndex(context: unknown): boolean {
    const r = this.r;
    const accepted = r.role === 'leader' || (r.role === 'follower' && r.lead !== 0);
    step(r, { type: 'MsgReadIndex', from: r.id, to: r.id, term: 0, context });
    return accepted;
  }

  /** Ask the leader (directly, or via this follower) to hand leadership to `to`. */
  transferLeadership(to: NodeId): void {
    step(this.r, { type: 'MsgTransferLeader', from: to, to: this.r.id, term: 0 });
  }

  /** Transport feedback: whether a MsgSnap to `id` was delivered (etcd ReportSnapshot). */
  reportSnapshot(id: NodeId, delivered: boolean): void {
    reportSnapshot(this.r, id, delivered);
  }

  reportUnreachable(id: NodeId): void {
    reportUnreachable(this.r, id);
  }

  hasReady(): boolean {
    return hasReady(this.r, this.prevSoft, this.prevHard);
  }

  ready(): Ready {
    assert(this.accepted === undefined, 'ready() called twice without advance()');
    const { ready, accepted } = captureReady(this.r, this.prevSoft, this.prevHard);
    this.accepted = accepted;
    this.prevSoft = ready.softState;
    if (ready.hardState !== undefined) this.prevHard = ready.hardState;
    return ready;
  }

  /** The outstanding Ready is persisted and applied; see the class comment. */
  advance(): void {
    const a = this.accepted;
    assert(a !== undefined, 'advance() without ready()');
    this.accepted = undefined;
    persist(this.durable, a);
    this.r.log.snapshotApplied();
    if (a.appliedTo !== undefined) this.r.log.appliedTo(a.appliedTo);
    for (const m of a.selfSteps) step(this.r, m);
  }

  /** Whether a Ready has been handed out and not yet advanced. */
  get readyOutstanding(): boolean {
    return this.accepted !== undefined;
  }

  /** More than cfg.compactAfter applied entries sit in the log: the caller should compact(). */
  shouldCompact(): boolean {
    const keep = this.cfg.compactAfter;
    return keep !== undefined && this.r.log.applied - this.r.log.snapshot.index > keep;
  }

  /**
   * The caller saves a snapshot of its state machine at `appliedIndex` (<= appliedIndex of this
   * node); log entries up to it are dropped, in memory and in `durable` at once (a snapshot
   * save is its own fsync in etcd). Returns false if the log is already compacted that far.
   */
  compact(appliedIndex: number, snapshotData: unknown): boolean {
    const s = this.r.log.compact(appliedIndex, snapshotData);
    if (s === undefined) return false;
    this.durable.snapshot = s;
    this.durable.entries = this.durable.entries.filter((e) => e.index > s.index);
    return true;
  }

  /** Snapshot point and entries of the in-memory log (for checkers and traces). */
  logView(): { snapshot: { index: number; term: number }; entries: readonly Entry[] } {
    const s = this.r.log.snapshot;
    return { snapshot: { index: s.index, term: s.term }, entries: this.r.log.allEntries() };
  }

  termAt(index: number): number | undefined {
    return this.r.log.term(index);
  }

  /** The leader's view of a follower, for traces and tests; undefined on non-leaders. */
  progress(id: NodeId): { match: number; next: number; state: FlowState; recentActive: boolean } | undefined {
    if (this.r.role !== 'leader') return undefined;
    const pr = this.r.prs.get(id);
    return pr && { match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive };
  }
}
