// Leader step function: proposals, append/heartbeat responses, read index, leadership transfer.
// etcd-io/raft raft.go stepLeader.
import type { Raft } from '../core.ts';
import type { Progress } from '../progress.ts';
import { majority } from '../quorum.ts';
import { bcastAppend, bcastHeartbeat, maybeCommit, maybeSendAppend, sendAppend, sendTimeoutNow } from '../replicate.ts';
import type { DropReason, RaftMessage } from '../types.ts';

export function stepLeader(r: Raft, m: RaftMessage): DropReason | undefined {
  switch (m.type) {
    case 'MsgProp':
      // raft.go: "transfer leadership to %x is in progress; dropping proposal".
      if (r.leadTransferee !== 0) return 'transferring';
      r.appendEntries((m.entries ?? []).map((e) => e.data));
      bcastAppend(r);
      return undefined;
    case 'MsgReadIndex':
      onReadIndex(r, m);
      return undefined;
  }
  const pr = r.prs.get(m.from);
  if (pr === undefined) return undefined;
  switch (m.type) {
    case 'MsgAppResp':
      pr.recentActive = true;
      if (m.reject) onAppRejected(r, m, pr);
      else onAppAcked(r, m, pr);
      break;
    case 'MsgHeartbeatResp':
      onHeartbeatResp(r, m, pr);
      break;
    case 'MsgTransferLeader':
      onTransferLeader(r, m, pr);
      break;
  }
  return undefined;
}

/** Check-quorum: step down unless a quorum was active since the last check (raft.go). */
export function checkQuorum(r: Raft): void {
  const active = r.voters.filter((id) => r.prs.get(id)!.recentActive).length;
  if (active < majority(r.voters.length)) {
    // "stepped down to follower since quorum is not active" — same term, no leader.
    r.becomeFollower(r.term, 0);
  }
  for (const [id, pr] of r.prs) if (id !== r.id) pr.recentActive = false;
}

function onAppRejected(r: Raft, m: RaftMessage, pr: Progress): void {
  let nextProbe = m.rejectHint ?? 0;
  // Skip every index whose term in our log exceeds the follower's term at the hint: those
  // probes would fail too (raft.go, the long comment in stepLeader).
  if ((m.logTerm ?? 0) > 0) nextProbe = r.log.findConflictByTerm(nextProbe, m.logTerm!)[0];
  if (pr.maybeDecrTo(m.index ?? 0, nextProbe)) {
    if (pr.state === 'replicate') pr.becomeProbe();
    sendAppend(r, m.from);
  }
}

function onAppAcked(r: Raft, m: RaftMessage, pr: Progress): void {
  const index = m.index ?? 0;
  if (!(pr.maybeUpdate(index) || (pr.match === index && pr.state === 'probe'))) return;
  if (pr.state === 'probe') {
    pr.becomeReplicate();
  } else if (pr.state === 'snapshot' && pr.match + 1 >= r.log.firstIndex) {
    // The follower can now be caught up from the log.
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === 'replicate') {
    pr.freeInflightsUpTo(index);
  }
  if (maybeCommit(r)) {
    // A commit in our term makes held read-index requests safe to serve.
    releasePendingReadIndex(r);
    bcastAppend(r);
  } else if (m.from !== r.id && pr.canBumpCommit(r.log.committed)) {
    sendAppend(r, m.from);
  }
  if (m.from !== r.id) while (maybeSendAppend(r, m.from, false));
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex) sendTimeoutNow(r, m.from);
}

function onHeartbeatResp(r: Raft, m: RaftMessage, pr: Progress): void {
  pr.recentActive = true;
  pr.msgAppFlowPaused = false;
  // A lagging (or probing) follower gets an append on every heartbeat response.
  if (pr.match < r.log.lastIndex || pr.state === 'probe') sendAppend(r, m.from);
  if (m.context === undefined) return;
  r.readOnly.recvAck(m.from, m.context);
  for (const req of r.readOnly.maybeAdvance(r.voters)) respondToRead(r, req.from, req.context, req.index);
}

function onTransferLeader(r: Raft, m: RaftMessage, pr: Progress): void {
  const transferee = m.from;
  if (r.leadTransferee !== 0) {
    if (r.leadTransferee === transferee) return;
    r.leadTransferee = 0;
  }
  if (transferee === r.id) return;
  // The transfer must finish within one election timeout (tickHeartbeat aborts it).
  r.electionElapsedTicks = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.log.lastIndex) sendTimeoutNow(r, transferee);
  else sendAppend(r, transferee);
}

function onReadIndex(r: Raft, m: RaftMessage): void {
  if (r.isSingleton()) {
    respondToRead(r, m.from, m.context, r.log.committed);
    return;
  }
  // Until it commits an entry of its term the leader does not know the true commit index.
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndex.push(m);
    return;
  }
  startReadRound(r, m);
}

/** ReadOnlySafe: record the commit index, ack ourselves, confirm leadership by heartbeat. */
function startReadRound(r: Raft, m: RaftMessage): void {
  r.readOnly.addRequest({ from: m.from, context: m.context, index: r.log.committed });
  r.readOnly.recvAck(r.id, r.readOnly.heartbeatContext());
  bcastHeartbeat(r);
}

function releasePendingReadIndex(r: Raft): void {
  if (r.pendingReadIndex.length === 0 || !r.committedEntryInCurrentTerm()) return;
  const held = r.pendingReadIndex;
  r.pendingReadIndex = [];
  for (const m of held) startReadRound(r, m);
}

function respondToRead(r: Raft, from: number, context: unknown, index: number): void {
  if (from === 0 || from === r.id) r.readStates.push({ index, context });
  else r.send({ type: 'MsgReadIndexResp', to: from, index, context });
}

/**
 * The transport reports whether a MsgSnap reached the follower (etcd: ReportSnapshot after the
 * snapshot POST). Either way, probe again after the next heartbeat response (raft.go MsgSnapStatus).
 */
export function reportSnapshot(r: Raft, id: number, ok: boolean): void {
  const pr = r.role === 'leader' ? r.prs.get(id) : undefined;
  if (pr === undefined || pr.state !== 'snapshot') return;
  // On failure forget the pending snapshot first, or we would probe past it.
  if (!ok) pr.pendingSnapshot = 0;
  pr.becomeProbe();
  pr.msgAppFlowPaused = true;
}

/** The transport could not reach `id`: an optimistic MsgApp stream was probably lost. */
export function reportUnreachable(r: Raft, id: number): void {
  const pr = r.role === 'leader' ? r.prs.get(id) : undefined;
  if (pr !== undefined && pr.state === 'replicate') pr.becomeProbe();
}
