// Step: the term rules every message passes through, then dispatch to the role's step function.
// etcd-io/raft raft.go (*raft).Step.
import type { Raft } from './core.ts';
import { TRANSFER_CONTEXT, handleVoteRequest } from './election.ts';
import { stepCandidate } from './roles/candidate.ts';
import { stepFollower } from './roles/follower.ts';
import { stepLeader } from './roles/leader.ts';
import type { DropReason, RaftMessage, Role } from './types.ts';

type StepFn = (r: Raft, m: RaftMessage) => DropReason | undefined;

/** A role change swaps the step function (etcd: r.step = stepLeader, ...). */
const STEP: Record<Role, StepFn> = {
  follower: stepFollower,
  'pre-candidate': stepCandidate,
  candidate: stepCandidate,
  leader: stepLeader,
};

/** Returns a reason when the message was a proposal that got dropped. */
export function step(r: Raft, m: RaftMessage): DropReason | undefined {
  if (m.term > r.term) {
    if (!onHigherTerm(r, m)) return undefined;
  } else if (m.term !== 0 && m.term < r.term) {
    onLowerTerm(r, m);
    return undefined;
  }
  if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
    handleVoteRequest(r, m);
    return undefined;
  }
  return STEP[r.role](r, m);
}

/** Returns false when the message is to be ignored entirely. */
function onHigherTerm(r: Raft, m: RaftMessage): boolean {
  if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
    const force = m.context === TRANSFER_CONTEXT;
    const inLease = r.checkQuorum && r.lead !== 0 && r.electionElapsedTicks < r.electionTicks;
    // Thesis §4.2.3: within the minimum election timeout of hearing from a current leader, a
    // server neither updates its term nor grants its vote (raft.go "lease is not expired").
    if (!force && inLease) return false;
  }
  if (m.type === 'MsgPreVote') {
    // Never change our term in response to a pre-vote.
  } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
    // A granted pre-vote echoes our future term; we move to it only on winning the quorum.
  } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
    r.becomeFollower(m.term, m.from);
  } else {
    r.becomeFollower(m.term, 0);
  }
  return true;
}

function onLowerTerm(r: Raft, m: RaftMessage): void {
  if ((r.checkQuorum || r.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
    // raft.go: a stale leader's message gets a reply carrying our higher term. With
    // check-quorum/pre-vote our term may never reach it through votes, and this frees a node
    // that advanced its term while partitioned (at the cost of one leader step-down).
    r.send({ type: 'MsgAppResp', to: m.from });
  } else if (m.type === 'MsgPreVote') {
    // raft.go: rejecting (rather than dropping) avoids a deadlock with higher-term candidates
    // that have shorter logs.
    r.send({ type: 'MsgPreVoteResp', to: m.from, term: r.term, reject: true });
  }
  // Everything else from an older term is ignored.
}
