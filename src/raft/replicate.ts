// Leader-side sending: MsgApp, MsgSnap, MsgHeartbeat, MsgTimeoutNow, and quorum commit.
// etcd-io/raft raft.go maybeSendAppend / maybeSendSnapshot / sendHeartbeat / maybeCommit.
import type { Raft } from './core.ts';
import { committedIndex } from './quorum.ts';
import type { NodeId } from './types.ts';

/** Send entries (or an empty append carrying the commit index) to one follower. */
export function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/**
 * Returns true if a message was sent. `sendIfEmpty` false is used when draining a backlog so
 * that no commit-only MsgApp is produced.
 */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.prs.get(to)!;
  if (pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.log.term(prevIndex);
  // The entries the follower needs were compacted away: only a snapshot can catch it up.
  if (prevTerm === undefined) return maybeSendSnapshot(r, to);
  // A throttled replicate stream still sends empty appends so that lost messages get noticed.
  const entries = pr.state !== 'replicate' || !pr.inflightsFull() ? r.log.entriesFrom(pr.next, r.maxMsgEntries) : [];
  if (entries.length === 0 && !sendIfEmpty) return false;
  r.send({ type: 'MsgApp', to, index: prevIndex, logTerm: prevTerm, entries, commit: r.log.committed });
  pr.sentEntries(entries.length);
  pr.sentCommit = r.log.committed;
  return true;
}

function maybeSendSnapshot(r: Raft, to: NodeId): boolean {
  const pr = r.prs.get(to)!;
  // raft.go: "ignore sending snapshot to %x since it is not recently active".
  if (!pr.recentActive) return false;
  const snapshot = r.log.snapshot;
  pr.becomeSnapshot(snapshot.index);
  r.send({ type: 'MsgSnap', to, snapshot });
  return true;
}

export function bcastAppend(r: Raft): void {
  for (const id of r.voters) if (id !== r.id) sendAppend(r, id);
}

/**
 * The heartbeat's commit is min(match, commit): the leader must not make a follower commit an
 * index it may not have (raft.go sendHeartbeat).
 */
export function sendHeartbeat(r: Raft, to: NodeId, context: number | undefined): void {
  const pr = r.prs.get(to)!;
  const commit = Math.min(pr.match, r.log.committed);
  r.send(context === undefined ? { type: 'MsgHeartbeat', to, commit } : { type: 'MsgHeartbeat', to, commit, context });
  pr.sentCommit = commit;
}

export function bcastHeartbeat(r: Raft): void {
  const ctx = r.readOnly.heartbeatContext();
  for (const id of r.voters) if (id !== r.id) sendHeartbeat(r, id, ctx);
}

export function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: 'MsgTimeoutNow', to });
}

/** Advance commit to the quorum-acked index if that entry is of the current term. */
export function maybeCommit(r: Raft): boolean {
  const matches = r.voters.map((id) => r.prs.get(id)!.match);
  return r.log.maybeCommit(committedIndex(matches), r.term);
}
