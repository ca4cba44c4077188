// Raft state of one member and its role transitions (etcd-io/raft raft.go: reset, become*).
import { RaftLog, assert } from './log.ts';
import { Progress } from './progress.ts';
import { ReadOnly } from './read-only.ts';
import type { Entry, MessageType, NodeId, RaftConfig, RaftDurable, RaftMessage, ReadState, Role } from './types.ts';

/** A message as built by the state machine; send() fills in `from` and `term`. */
export type Outgoing = Omit<RaftMessage, 'from' | 'term'> & { term?: number; from?: NodeId };

/** Responses that vouch for durable state: sent only after the Ready that caused them is persisted. */
const AFTER_PERSIST: ReadonlySet<MessageType> = new Set(['MsgAppResp', 'MsgVoteResp', 'MsgPreVoteResp']);
const CAMPAIGN: ReadonlySet<MessageType> = new Set(['MsgVote', 'MsgVoteResp', 'MsgPreVote', 'MsgPreVoteResp']);
/** Forwarded to the leader without a term, like local messages (etcd-io/raft raft.go send). */
const TERMLESS: ReadonlySet<MessageType> = new Set(['MsgProp', 'MsgReadIndex']);

export class Raft {
  readonly id: NodeId;
  /** Sorted voter ids; etcd campaigns in sorted order, so message order is deterministic. */
  readonly voters: readonly NodeId[];
  /**
   * Timeouts and elapsed counters count ticks, not µs (etcd-io/raft raft.go names them electionTimeout,
   * heartbeatTimeout, electionElapsed…; a scenario's etcd electionTimeout is µs, divided by the heartbeat
   * interval into ticks by the cluster build).
   */
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxMsgEntries: number;
  readonly maxInflight: number;
  readonly disableProposalForwarding: boolean;

  term: number;
  vote: NodeId | 0;
  lead: NodeId | 0 = 0;
  role: Role = 'follower';
  readonly log: RaftLog;
  prs = new Map<NodeId, Progress>();
  votes = new Map<NodeId, boolean>();
  electionElapsedTicks = 0;
  heartbeatElapsedTicks = 0;
  randomizedElectionTicks = 0;
  leadTransferee: NodeId | 0 = 0;
  readOnly = new ReadOnly();
  /** MsgReadIndex held until the leader commits an entry of its term (raft.go). */
  pendingReadIndex: RaftMessage[] = [];
  readStates: ReadState[] = [];
  /** Messages that may leave immediately. */
  msgs: RaftMessage[] = [];
  /** Messages that must wait for the current Ready's persistence (raft.go msgsAfterAppend). */
  msgsAfterAppend: RaftMessage[] = [];

  constructor(
    cfg: RaftConfig,
    durable: RaftDurable,
    private readonly randInt: (n: number) => number,
  ) {
    validateConfig(cfg);
    this.id = cfg.id;
    this.voters = [...cfg.peers].sort((a, b) => a - b);
    this.electionTicks = cfg.electionTicks;
    this.heartbeatTicks = cfg.heartbeatTicks;
    this.preVote = cfg.preVote;
    this.checkQuorum = cfg.checkQuorum;
    this.maxMsgEntries = cfg.maxSizePerMsg ?? Number.POSITIVE_INFINITY;
    this.maxInflight = cfg.maxInflightMsgs ?? 512;
    this.disableProposalForwarding = cfg.disableProposalForwarding ?? false;
    this.log = new RaftLog(durable);
    this.term = durable.hardState.term;
    this.vote = durable.hardState.vote;
    // etcd-io/raft newRaft: every (re)started member begins as a follower of its saved term.
    this.becomeFollower(this.term, 0);
  }

  /** `o` must be a fresh object literal: it becomes the message (no copy on this hot path). */
  send(o: Outgoing): void {
    const m = o as RaftMessage;
    if (o.from === undefined) m.from = this.id;
    if (CAMPAIGN.has(m.type)) {
      assert(o.term !== undefined && o.term > 0, () => `${m.type} sent without a term`);
    } else {
      assert(o.term === undefined, () => `term must not be preset on ${m.type}`);
      m.term = TERMLESS.has(m.type) ? 0 : this.term;
    }
    if (AFTER_PERSIST.has(m.type)) {
      this.msgsAfterAppend.push(m);
    } else {
      assert(m.to !== this.id, () => `${m.type} addressed to self`);
      this.msgs.push(m);
    }
  }

  /** etcd-io/raft raft.go resetRandomizedElectionTimeout: uniform in [E, 2E). */
  resetRandomizedElectionTimeout(): void {
    const extra = this.randInt(this.electionTicks);
    assert(Number.isInteger(extra) && extra >= 0 && extra < this.electionTicks, () => `randInt gave ${extra}`);
    this.randomizedElectionTicks = this.electionTicks + extra;
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsedTicks >= this.randomizedElectionTicks;
  }

  /** raft.go reset: new term clears the vote; every transition clears timers and progress. */
  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = 0;
    }
    this.lead = 0;
    this.electionElapsedTicks = 0;
    this.heartbeatElapsedTicks = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = 0;
    this.votes.clear();
    const last = this.log.lastIndex;
    this.prs = new Map();
    for (const id of this.voters) {
      const pr = new Progress(last + 1, this.maxInflight);
      if (id === this.id) pr.match = last;
      this.prs.set(id, pr);
    }
    this.readOnly = new ReadOnly();
  }

  becomeFollower(term: number, lead: NodeId | 0): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  becomeCandidate(): void {
    assert(this.role !== 'leader', 'invalid transition leader -> candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  /**
   * etcd-io/raft raft.go becomePreCandidate: changes only the role, votes and leader; the term,
   * vote, electionElapsedTicks and randomized timeout are untouched (no reset()).
   */
  becomePreCandidate(): void {
    assert(this.role !== 'leader', 'invalid transition leader -> pre-candidate');
    this.votes.clear();
    this.lead = 0;
    this.role = 'pre-candidate';
  }

  becomeLeader(): void {
    assert(this.role !== 'follower', 'invalid transition follower -> leader');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    const self = this.prs.get(this.id)!;
    self.becomeReplicate();
    // The leader always counts itself active for check-quorum.
    self.recentActive = true;
    // Raft §5.4.2 / etcd: a new leader appends an empty entry of its term so it can commit.
    this.appendEntries([null]);
  }

  /** Leader appends proposals; its own ack arrives after they are persisted (advance()). */
  appendEntries(datas: readonly unknown[]): number {
    const li = this.log.lastIndex;
    const ents: Entry[] = datas.map((data, i) => ({ term: this.term, index: li + 1 + i, data }));
    const last = this.log.append(ents);
    this.send({ type: 'MsgAppResp', to: this.id, index: last });
    return last;
  }

  /** raft.go promotable(): a voter without an unapplied snapshot. */
  promotable(): boolean {
    return this.prs.has(this.id) && !this.log.hasPendingSnapshot();
  }

  isSingleton(): boolean {
    return this.voters.length === 1;
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }
}

function validateConfig(cfg: RaftConfig): void {
  // etcd-io/raft raft.go Config.validate.
  assert(cfg.id > 0, 'id must be a positive integer');
  assert(cfg.peers.includes(cfg.id), () => `id ${cfg.id} is not among the peers`);
  assert(new Set(cfg.peers).size === cfg.peers.length, 'duplicate peer ids');
  assert(cfg.peers.every((p) => Number.isInteger(p) && p > 0), 'peer ids must be positive integers');
  assert(cfg.heartbeatTicks > 0, 'heartbeat tick must be greater than 0');
  assert(cfg.electionTicks > cfg.heartbeatTicks, 'election tick must be greater than heartbeat tick');
  assert((cfg.maxSizePerMsg ?? 1) >= 1, 'maxSizePerMsg must be at least 1 entry');
  assert((cfg.maxInflightMsgs ?? 1) >= 1, 'maxInflightMsgs must be at least 1');
}
