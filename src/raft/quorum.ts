// Majority-quorum arithmetic: quorum size, committed index from match indexes, vote tallies.
import type { NodeId } from './types.ts';

export type VoteResult = 'won' | 'lost' | 'pending';

/** etcd FAQ: "For a cluster with n members, quorum is (n/2)+1". */
export function majority(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`quorum of ${n} voters is undefined`);
  return Math.floor(n / 2) + 1;
}

/** Failures a cluster of n voters survives while keeping a quorum. */
export function faultTolerance(n: number): number {
  return n - majority(n);
}

/**
 * The largest index acknowledged by a quorum: sort descending, take the majority-th value.
 * etcd-io/raft quorum/majority.go CommittedIndex (missing voters count as 0).
 */
export function committedIndex(acked: readonly number[]): number {
  // An insertion sort into a scratch array: a handful of voters, asked on every append ack.
  const n = acked.length;
  const q = majority(n);
  const sorted = scratch;
  sorted.length = 0;
  for (let i = 0; i < n; i++) {
    const x = acked[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! < x) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = x;
  }
  return sorted[q - 1]!;
}

const scratch: number[] = [];

/** etcd-io/raft quorum/majority.go VoteResult: won / lost / pending (still undecided). */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) granted++;
  }
  const q = majority(voters.length);
  if (granted >= q) return 'won';
  if (granted + missing >= q) return 'pending';
  return 'lost';
}
