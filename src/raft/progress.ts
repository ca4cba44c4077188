// The leader's view of one follower: match/next, probe/replicate/snapshot flow states, inflights.
// Mirrors etcd-io/raft tracker/progress.go and tracker/inflights.go (counted in messages only).

export type FlowState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  match = 0;
  next: number;
  /** Highest commit index sent to this follower (tracker.Progress.sentCommit). */
  sentCommit = 0;
  state: FlowState = 'probe';
  pendingSnapshot = 0;
  /** Set by any MsgAppResp/MsgHeartbeatResp; cleared by each check-quorum round. */
  recentActive = false;
  /** Probe: one MsgApp at a time. Replicate: inflights full. */
  msgAppFlowPaused = false;
  /** Last index of each unacknowledged MsgApp sent while replicating. */
  private inflights: number[] = [];

  constructor(
    next: number,
    private readonly maxInflight: number,
  ) {
    this.next = next;
  }

  private resetState(state: FlowState): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights = [];
  }

  /** After a snapshot, probe from past it: the follower has at least that much. */
  becomeProbe(): void {
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
    this.sentCommit = Math.min(this.sentCommit, this.next - 1);
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
    this.next = snapshotIndex + 1;
    this.sentCommit = snapshotIndex;
  }

  inflightsFull(): boolean {
    return this.inflights.length >= this.maxInflight;
  }

  /** Account for a MsgApp carrying `count` entries. etcd Progress.SentEntries. */
  sentEntries(count: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next += count;
        this.inflights.push(this.next - 1);
      }
      this.msgAppFlowPaused = this.inflightsFull();
    } else if (this.state === 'probe') {
      // Probe sends one MsgApp per round trip (or heartbeat response).
      if (count > 0) this.msgAppFlowPaused = true;
    } else {
      throw new Error('raft invariant violated: append sent to a follower in snapshot state');
    }
  }

  /** Free inflight messages up to an acked index (Inflights.FreeLE). */
  freeInflightsUpTo(index: number): void {
    while (this.inflights.length > 0 && this.inflights[0]! <= index) this.inflights.shift();
  }

  /** Whether a message now could tell the follower a newer commit index. */
  canBumpCommit(commit: number): boolean {
    return commit > this.sentCommit && this.sentCommit < this.next - 1;
  }

  maybeUpdate(n: number): boolean {
    if (n <= this.match) return false;
    this.match = n;
    this.next = Math.max(this.next, n + 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * A rejection of the MsgApp whose previous index was `rejected`; `matchHint` is the follower's
   * guess of the last matching index. Returns false for stale rejections. etcd MaybeDecrTo.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.sentCommit = Math.min(this.sentCommit, this.next - 1);
      return true;
    }
    // Probe: only the rejection of the one outstanding probe counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.sentCommit = Math.min(this.sentCommit, this.next - 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  isPaused(): boolean {
    return this.state === 'snapshot' || this.msgAppFlowPaused;
  }
}
