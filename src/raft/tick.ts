// Logical clock: election timeouts, heartbeats and check-quorum, driven by the caller's ticks.
// etcd-io/raft raft.go tickElection (followers, candidates) and tickHeartbeat (leaders).
import type { Raft } from './core.ts';
import { hup } from './election.ts';
import { bcastHeartbeat } from './replicate.ts';
import { checkQuorum } from './roles/leader.ts';

export function tick(r: Raft): void {
  if (r.role === 'leader') tickHeartbeat(r);
  else tickElection(r);
}

function tickElection(r: Raft): void {
  r.electionElapsedTicks++;
  if (r.promotable() && r.pastElectionTimeout()) {
    r.electionElapsedTicks = 0;
    hup(r, r.preVote ? 'pre-election' : 'election');
  }
}

function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsedTicks++;
  r.electionElapsedTicks++;
  if (r.electionElapsedTicks >= r.electionTicks) {
    r.electionElapsedTicks = 0;
    if (r.checkQuorum) checkQuorum(r);
    // "If current leader cannot transfer leadership in electionTimeout, it becomes leader again." (raft.go; its electionTimeout is our electionTicks)
    if (r.role === 'leader' && r.leadTransferee !== 0) r.leadTransferee = 0;
  }
  if (r.role !== 'leader') return;
  if (r.heartbeatElapsedTicks >= r.heartbeatTicks) {
    r.heartbeatElapsedTicks = 0;
    bcastHeartbeat(r);
  }
}
