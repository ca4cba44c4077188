// Step function shared by pre-candidates and candidates (etcd-io/raft raft.go stepCandidate).
import type { Raft } from '../core.ts';
import { campaign, poll } from '../election.ts';
import { bcastAppend } from '../replicate.ts';
import type { DropReason, RaftMessage } from '../types.ts';
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from './follower.ts';

export function stepCandidate(r: Raft, m: RaftMessage): DropReason | undefined {
  // Only responses to our current kind of campaign count: a candidate may still receive stale
  // MsgPreVoteResp from its pre-candidate phase.
  const myRespType = r.role === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
  switch (m.type) {
    case 'MsgProp':
      return 'no-leader';
    case 'MsgApp':
      // A leader exists at our term (or higher, already handled in step): follow it.
      r.becomeFollower(m.term, m.from);
      handleAppendEntries(r, m);
      return undefined;
    case 'MsgHeartbeat':
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return undefined;
    case 'MsgSnap':
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return undefined;
    case myRespType:
      onVoteResponse(r, m);
      return undefined;
    default:
      // MsgTimeoutNow, MsgReadIndex, MsgTransferLeader... are ignored without a leader.
      return undefined;
  }
}

function onVoteResponse(r: Raft, m: RaftMessage): void {
  const result = poll(r, m);
  if (result === 'won') {
    if (r.role === 'pre-candidate') {
      campaign(r, 'election');
    } else {
      r.becomeLeader();
      bcastAppend(r);
    }
  } else if (result === 'lost') {
    // A MsgPreVoteResp carries our future term; stay in our own term.
    r.becomeFollower(r.term, 0);
  }
}
