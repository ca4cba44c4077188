// Public surface of the raft module (a pure state machine in the style of etcd-io/raft RawNode).
export { RaftNode } from './node.ts';
export { newDurable } from './types.ts';
export type {
  DropReason,
  Entry,
  HardState,
  MessageType,
  NodeId,
  ProposeResult,
  RaftConfig,
  RaftDurable,
  RaftMessage,
  ReadState,
  Ready,
  Role,
  Snapshot,
  SoftState,
} from './types.ts';
export { committedIndex, faultTolerance, majority, voteResult, type VoteResult } from './quorum.ts';
export type { FlowState } from './progress.ts';
