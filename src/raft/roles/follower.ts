// Follower step function and the receiving side of MsgApp / MsgHeartbeat / MsgSnap.
// etcd-io/raft raft.go stepFollower, handleAppendEntries, handleHeartbeat, handleSnapshot.
import type { Raft } from '../core.ts';
import { hup } from '../election.ts';
import type { DropReason, RaftMessage } from '../types.ts';

export function stepFollower(r: Raft, m: RaftMessage): DropReason | undefined {
  switch (m.type) {
    case 'MsgProp':
      if (r.lead === 0) return 'no-leader';
      if (r.disableProposalForwarding) return 'not-leader';
      r.send({ ...m, to: r.lead, term: undefined });
      return undefined;
    case 'MsgApp':
    case 'MsgHeartbeat':
    case 'MsgSnap':
      // Hearing from the leader restarts the election clock (and the lease).
      r.electionElapsedTicks = 0;
      r.lead = m.from;
      if (m.type === 'MsgApp') handleAppendEntries(r, m);
      else if (m.type === 'MsgHeartbeat') handleHeartbeat(r, m);
      else handleSnapshot(r, m);
      return undefined;
    case 'MsgTransferLeader':
      if (r.lead !== 0) r.send({ ...m, to: r.lead, term: undefined });
      return undefined;
    case 'MsgTimeoutNow':
      // Leadership transfers never use pre-vote: we know we are not recovering from a partition.
      hup(r, 'transfer');
      return undefined;
    case 'MsgReadIndex':
      // raft.go: "no leader at term %d; dropping index reading msg".
      if (r.lead !== 0) r.send({ ...m, to: r.lead, term: undefined });
      return undefined;
    case 'MsgReadIndexResp':
      r.readStates.push({ index: m.index ?? 0, context: m.context });
      return undefined;
    default:
      return undefined;
  }
}

export function handleAppendEntries(r: Raft, m: RaftMessage): void {
  const prevIndex = m.index ?? 0;
  const prevTerm = m.logTerm ?? 0;
  const entries = m.entries ?? [];
  if (prevIndex < r.log.committed) {
    // Everything up to our commit is known to match; tell the leader where we are.
    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.committed });
    return;
  }
  const lastNew = r.log.maybeAppend(prevIndex, prevTerm, entries, m.commit ?? 0);
  if (lastNew !== undefined) {
    r.send({ type: 'MsgAppResp', to: m.from, index: lastNew });
    return;
  }
  // Mismatch: hint the largest (index, term) that could match, skipping our divergent tail
  // whose terms exceed the leader's logTerm (raft.go findConflictByTerm).
  const [hintIndex, hintTerm] = r.log.findConflictByTerm(Math.min(prevIndex, r.log.lastIndex), prevTerm);
  r.send({ type: 'MsgAppResp', to: m.from, index: prevIndex, reject: true, rejectHint: hintIndex, logTerm: hintTerm });
}

export function handleHeartbeat(r: Raft, m: RaftMessage): void {
  r.log.commitTo(m.commit ?? 0);
  r.send(m.context === undefined ? { type: 'MsgHeartbeatResp', to: m.from } : { type: 'MsgHeartbeatResp', to: m.from, context: m.context });
}

export function handleSnapshot(r: Raft, m: RaftMessage): void {
  const s = m.snapshot;
  if (s !== undefined && restore(r, s.index, s.term)) {
    r.log.restore(s);
    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.lastIndex });
  } else {
    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.committed });
  }
}

/** raft.go restore: whether the snapshot must replace our log. */
function restore(r: Raft, index: number, term: number): boolean {
  if (index <= r.log.committed) return false;
  if (r.role !== 'follower') {
    // Defense in depth, as upstream: never install a snapshot outside follower state.
    r.becomeFollower(r.term + 1, 0);
    return false;
  }
  if (r.log.matchTerm(index, term)) {
    // We already have the snapshot's last entry: just fast-forward the commit.
    r.log.commitTo(index);
    return false;
  }
  return true;
}
