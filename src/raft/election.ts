// Elections: starting a (pre-)campaign, counting votes, and answering MsgVote/MsgPreVote.
// etcd-io/raft raft.go hup / campaign / poll and the MsgVote case of Step.
import type { Raft } from './core.ts';
import { voteResult, type VoteResult } from './quorum.ts';
import type { RaftMessage } from './types.ts';

export type CampaignKind = 'pre-election' | 'election' | 'transfer';

/** Marks votes of a campaign forced by MsgTimeoutNow so that the lease rule lets them through. */
export const TRANSFER_CONTEXT = 'transfer';

/** MsgHup: start an election if allowed. Pre-vote is skipped for leadership transfer. */
export function hup(r: Raft, kind: CampaignKind): void {
  if (r.role === 'leader') return;
  if (!r.promotable()) return;
  campaign(r, kind);
}

export function campaign(r: Raft, kind: CampaignKind): void {
  let term: number;
  let type: 'MsgPreVote' | 'MsgVote';
  if (kind === 'pre-election') {
    r.becomePreCandidate();
    type = 'MsgPreVote';
    // Pre-votes ask about the next term without incrementing ours (thesis §9.6).
    term = r.term + 1;
  } else {
    r.becomeCandidate();
    type = 'MsgVote';
    term = r.term;
  }
  const lastIndex = r.log.lastIndex;
  const lastTerm = r.log.lastTerm();
  for (const id of r.voters) {
    if (id === r.id) {
      // Our own vote counts once it is durable: it comes back through advance().
      r.send({ type: type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp', to: id, term });
      continue;
    }
    const context = kind === 'transfer' ? TRANSFER_CONTEXT : undefined;
    r.send({ type, to: id, term, index: lastIndex, logTerm: lastTerm, ...(context ? { context } : {}) });
  }
}

export function poll(r: Raft, m: RaftMessage): VoteResult {
  r.votes.set(m.from, !m.reject);
  return voteResult(r.voters, r.votes);
}

/** The vote/pre-vote decision, after Step's term handling has run. */
export function handleVoteRequest(r: Raft, m: RaftMessage): void {
  const respType = m.type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
  const canVote =
    // a repeat of a vote we already cast,
    r.vote === m.from ||
    // or we have not voted and know of no leader in this term,
    (r.vote === 0 && r.lead === 0) ||
    // or a pre-vote for a future term.
    (m.type === 'MsgPreVote' && m.term > r.term);
  if (canVote && r.log.isUpToDate(m.index ?? 0, m.logTerm ?? 0)) {
    // Reply with the message's term: a pre-candidate ignores responses below its term+1.
    r.send({ type: respType, to: m.from, term: m.term });
    if (m.type === 'MsgVote') {
      // Only real votes are recorded; a pre-vote grant changes nothing here.
      r.electionElapsedTicks = 0;
      r.vote = m.from;
    }
  } else {
    r.send({ type: respType, to: m.from, term: r.term, reject: true });
  }
}
