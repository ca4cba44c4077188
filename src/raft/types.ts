// Public data types of the raft state machine: ids, log entries, messages, config, Ready.

/** 1-based member id; 0 means "none" (no vote, no known leader), as `None` in etcd-io/raft. */
export type NodeId = number;

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** A log entry. `data === null` is an empty entry (a new leader's no-op). Treat as immutable. */
export interface Entry {
  term: number;
  index: number;
  data: unknown;
}

/** A snapshot of the caller's state machine at `index`; `data` is opaque to raft. */
export interface Snapshot {
  index: number;
  term: number;
  data: unknown;
}

export interface HardState {
  term: number;
  vote: NodeId | 0;
  commit: number;
}

/**
 * The "disk" of one member. The caller keeps this object across crashes and builds a new
 * RaftNode from it on restart. The node writes into it only inside `advance()` (the moment the
 * caller declares the Ready's fsync complete) and `compact()`; never on step or tick.
 */
export interface RaftDurable {
  hardState: HardState;
  snapshot: Snapshot;
  /** Entries with index > snapshot.index, contiguous. */
  entries: Entry[];
}

export interface RaftConfig {
  id: NodeId;
  /** All voters, including `id`. */
  peers: NodeId[];
  electionTicks: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Max entries per MsgApp (etcd limits bytes, MaxSizePerMsg = 1 MiB). Default: unlimited. */
  maxSizePerMsg?: number;
  /** `shouldCompact()` turns true once more than this many applied entries sit in the log. */
  compactAfter?: number;
  /** Max in-flight MsgApp per follower in replicate state; etcd server uses 4096/8 = 512. */
  maxInflightMsgs?: number;
  /** etcd-io/raft Config.DisableProposalForwarding; etcd leaves it false (followers forward). */
  disableProposalForwarding?: boolean;
}

export type MessageType =
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgSnap'
  | 'MsgTimeoutNow'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  | 'MsgProp'
  | 'MsgTransferLeader';

/**
 * A wire message. Field meanings follow raftpb.Message: for MsgApp `index`/`logTerm` are the
 * previous entry; for MsgAppResp `index` is the acked (or rejected) index; for votes they are
 * the candidate's last entry. `term` is 0 for MsgProp and MsgReadIndex (local messages that are
 * forwarded without a term, as in etcd-io/raft send()). Messages are values: never mutated.
 */
export interface RaftMessage {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm?: number;
  index?: number;
  entries?: Entry[];
  commit?: number;
  reject?: boolean;
  rejectHint?: number;
  snapshot?: Snapshot;
  /**
   * MsgVote/MsgPreVote: 'transfer' when forced by MsgTimeoutNow. MsgHeartbeat(Resp): the
   * read-only round counter (number). MsgReadIndex/MsgReadIndexResp: the caller's read context.
   */
  context?: unknown;
}

export interface SoftState {
  role: Role;
  leader: NodeId | 0;
  term: number;
}

export interface ReadState {
  index: number;
  context: unknown;
}

/** What the caller must do after a batch of ticks/steps. See RaftNode for the contract. */
export interface Ready {
  softState: SoftState;
  /** Present iff term, vote or commit changed since the previous Ready. */
  hardState?: HardState;
  /** Entries to append durably; any durable entry with index >= entries[0].index is replaced. */
  entries: Entry[];
  /** True iff term/vote changed, entries were added or a snapshot arrived (etcd MustSync). */
  mustPersist: boolean;
  /** Send after advance() (see RaftNode doc for the leader exception). */
  messages: RaftMessage[];
  /** Newly committed entries, to apply in order (may include entries of this Ready). */
  committed: Entry[];
  /** A snapshot received from the leader: persist it, then replace the state machine with it. */
  snapshotToApply?: Snapshot;
  readStates: ReadState[];
}

export type DropReason = 'no-leader' | 'not-leader' | 'transferring';

export type ProposeResult =
  | { ok: true; forwarded: false; index: number; term: number }
  | { ok: true; forwarded: true; leader: NodeId }
  | { ok: false; reason: DropReason; leader: NodeId | 0 };

export function newDurable(): RaftDurable {
  return {
    hardState: { term: 0, vote: 0, commit: 0 },
    snapshot: { index: 0, term: 0, data: null },
    entries: [],
  };
}
