// The in-memory raft log: snapshot + entries, commit/apply cursors and what a Ready still owes.
import type { Entry, RaftDurable, Snapshot } from './types.ts';

/** Dense assertions: the message is built only on failure (hot paths call this per message). */
export function assert(cond: unknown, msg: string | (() => string)): asserts cond {
  if (!cond) throw new Error(`raft invariant violated: ${typeof msg === 'string' ? msg : msg()}`);
}

/** Shared by every Ready with nothing of its kind (never written to). */
const NO_ENTRIES: Entry[] = Object.freeze([]) as unknown as Entry[];

/** Where the last received snapshot is in the Ready cycle (etcd-io/raft log_unstable.go). */
type SnapState = 'none' | 'unstable' | 'in-progress';

export class RaftLog {
  private snap: Snapshot;
  /** Entries with index > snap.index, contiguous. */
  private ents: Entry[];
  committed: number;
  /** Highest index the caller has applied (acknowledged by advance()). */
  applied: number;
  /** Highest index handed to the caller for applying in a Ready (>= applied). */
  private applying: number;
  /** First index not yet handed to the caller for persisting. */
  private unstableFrom: number;
  private snapState: SnapState = 'none';

  constructor(d: RaftDurable) {
    this.snap = d.snapshot;
    this.ents = d.entries.slice();
    this.ents.forEach((e, i) => assert(e.index === d.snapshot.index + 1 + i, () => `durable log gap at ${e.index}`));
    const hs = d.hardState;
    // etcd-io/raft raft.go loadState: commit must not exceed the durable log.
    assert(hs.commit <= this.lastIndex, () => `commit ${hs.commit} beyond last index ${this.lastIndex}`);
    this.committed = Math.max(hs.commit, d.snapshot.index);
    // A restarted member re-applies from its snapshot (etcd server restores the KV from it).
    this.applied = d.snapshot.index;
    this.applying = d.snapshot.index;
    this.unstableFrom = this.lastIndex + 1;
  }

  get snapshot(): Snapshot {
    return this.snap;
  }
  get firstIndex(): number {
    return this.snap.index + 1;
  }
  get lastIndex(): number {
    return this.snap.index + this.ents.length;
  }
  lastTerm(): number {
    return this.term(this.lastIndex)!;
  }

  /** Term at index i; undefined if compacted away (i < snapshot.index) or beyond the log. */
  term(i: number): number | undefined {
    if (i === this.snap.index) return this.snap.term;
    if (i < this.snap.index || i > this.lastIndex) return undefined;
    return this.ents[i - this.snap.index - 1]!.term;
  }

  isCompacted(i: number): boolean {
    return i < this.snap.index;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Raft §5.4.1: the other log is at least as up to date as ours. etcd-io/raft log.go isUpToDate. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex);
  }

  /** Entries in [lo, hi), which must not be compacted. */
  slice(lo: number, hi: number): Entry[] {
    assert(lo > this.snap.index, () => `slice from compacted index ${lo}`);
    assert(hi <= this.lastIndex + 1, () => `slice beyond last index (${hi})`);
    if (lo >= hi) return [];
    return this.ents.slice(lo - this.snap.index - 1, hi - this.snap.index - 1);
  }

  /** Up to `max` entries starting at lo (the payload of one MsgApp). */
  entriesFrom(lo: number, max: number): Entry[] {
    if (lo > this.lastIndex) return [];
    return this.slice(lo, Math.min(this.lastIndex + 1, lo + max));
  }

  /** Truncate at the first new index and append. Never touches committed entries. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex;
    const first = ents[0]!.index;
    // etcd-io/raft log.go append: "after(%d) is out of range [committed(%d)]" panics.
    assert(first - 1 >= this.committed, () => `truncating committed entry ${first} (commit ${this.committed})`);
    assert(first <= this.lastIndex + 1, () => `append at ${first} leaves a gap after ${this.lastIndex}`);
    this.ents.length = first - this.snap.index - 1;
    for (const e of ents) this.ents.push(e);
    this.unstableFrom = Math.min(this.unstableFrom, first);
    return this.lastIndex;
  }

  /**
   * Follower side of MsgApp: if our log has (prevIndex, prevTerm), append the new suffix,
   * truncating conflicting uncommitted entries, and advance commit. Returns the last index of
   * the appended slice, or undefined on mismatch. etcd-io/raft log.go maybeAppend.
   */
  maybeAppend(prevIndex: number, prevTerm: number, ents: readonly Entry[], commit: number): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      assert(ci > this.committed, () => `entry ${ci} conflicts with committed entry (commit ${this.committed})`);
      this.append(ents.slice(ci - prevIndex - 1));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** First index whose term differs from ours (or that we lack); 0 if all match. */
  private findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest (index, term) at or below `index` whose term is <= `term`; used on both sides
   * of a rejected MsgApp to skip a divergent tail one term at a time. etcd-io/raft log.go
   * findConflictByTerm (term 0 when the index is compacted).
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    for (let i = index; i > 0; i--) {
      const t = this.term(i);
      if (t === undefined) return [i, 0];
      if (t <= term) return [i, t];
    }
    return [0, 0];
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    // etcd-io/raft log.go commitTo: "Was the raft log corrupted, truncated, or lost?"
    assert(index <= this.lastIndex, () => `commit ${index} beyond last index ${this.lastIndex}`);
    this.committed = index;
  }

  /** Raft §5.4.2: only an entry of the leader's own term is committed by counting replicas. */
  maybeCommit(index: number, term: number): boolean {
    if (term !== 0 && index > this.committed && this.matchTerm(index, term)) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  /** Follower installs a leader's snapshot: the whole log is replaced (etcd log.go restore). */
  restore(s: Snapshot): void {
    this.committed = s.index;
    this.snap = s;
    this.ents = [];
    this.unstableFrom = s.index + 1;
    this.snapState = 'unstable';
  }

  /** Caller-provided snapshot at an applied index; drops the entries it covers. */
  compact(index: number, data: unknown): Snapshot | undefined {
    if (index <= this.snap.index) return undefined;
    assert(this.snapState === 'none', 'compacting while a received snapshot is unapplied');
    assert(index <= this.applied, () => `compacting unapplied index ${index} (applied ${this.applied})`);
    const s: Snapshot = { index, term: this.term(index)!, data };
    this.ents = this.ents.slice(index - this.snap.index);
    this.snap = s;
    return s;
  }

  /** etcd raft.go promotable(): a node with an unapplied snapshot must not campaign. */
  hasPendingSnapshot(): boolean {
    return this.snapState !== 'none';
  }

  /** A read-only copy of the entries after the snapshot (for status and checkers). */
  allEntries(): readonly Entry[] {
    return this.ents.slice();
  }

  // ---- Ready bookkeeping (etcd-io/raft rawnode.go acceptReady / Advance, synchronous mode) ----

  hasUnstable(): boolean {
    return this.unstableFrom <= this.lastIndex || this.snapState === 'unstable';
  }

  /** Entries the caller must persist now; marks them as handed out. */
  takeUnstableEntries(): Entry[] {
    const entries = this.unstableFrom <= this.lastIndex ? this.slice(this.unstableFrom, this.lastIndex + 1) : NO_ENTRIES;
    this.unstableFrom = this.lastIndex + 1;
    return entries;
  }

  /** The received snapshot the caller must persist now, if any; marks it as handed out. */
  takeUnstableSnapshot(): Snapshot | undefined {
    if (this.snapState !== 'unstable') return undefined;
    this.snapState = 'in-progress';
    return this.snap;
  }

  /** etcd log.go hasNextCommittedEnts: nothing is applied while a snapshot is pending. */
  hasCommittedToApply(): boolean {
    return this.snapState === 'none' && this.applying < this.committed;
  }

  takeCommittedToApply(): Entry[] {
    if (!this.hasCommittedToApply()) return NO_ENTRIES;
    const ents = this.slice(this.applying + 1, this.committed + 1);
    this.applying = this.committed;
    return ents;
  }

  /** Called on advance(): the snapshot handed out is durable and applied. */
  snapshotApplied(): void {
    if (this.snapState !== 'in-progress') return;
    this.snapState = 'none';
    this.applied = Math.max(this.applied, this.snap.index);
    this.applying = Math.max(this.applying, this.snap.index);
  }

  appliedTo(index: number): void {
    assert(index <= this.committed, () => `applied ${index} beyond commit ${this.committed}`);
    this.applied = Math.max(this.applied, index);
  }

  /** Index up to which committed entries have been handed out for applying. */
  get applyingIndex(): number {
    return this.applying;
  }
}
