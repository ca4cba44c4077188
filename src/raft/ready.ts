// The Ready cycle's bookkeeping: capture what a Ready owes, and write it to the durable "disk".
// etcd-io/raft rawnode.go Ready/acceptReady/Advance in synchronous-storage mode.
import type { Raft } from './core.ts';
import { assert } from './log.ts';
import type { Entry, HardState, RaftDurable, RaftMessage, ReadState, Ready, Snapshot, SoftState } from './types.ts';

/** What advance() must do for the Ready the caller holds. */
export interface Accepted {
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
  /** Last index handed out for applying, if any. */
  appliedTo?: number;
  /** Self-addressed acks (leader's MsgAppResp, own vote) that count only once persisted. */
  selfSteps: RaftMessage[];
}

export function softStateOf(r: Raft): SoftState {
  return { role: r.role, leader: r.lead, term: r.term };
}

export function hardStateOf(r: Raft): HardState {
  return { term: r.term, vote: r.vote, commit: r.log.committed };
}

export function hasReady(r: Raft, prevSoft: SoftState, prevHard: HardState): boolean {
  // Field by field rather than through softStateOf/hardStateOf: asked after every step, it must not allocate.
  return (
    r.role !== prevSoft.role || r.lead !== prevSoft.leader || r.term !== prevSoft.term ||
    r.term !== prevHard.term || r.vote !== prevHard.vote || r.log.committed !== prevHard.commit ||
    r.log.hasUnstable() ||
    r.msgs.length > 0 ||
    r.msgsAfterAppend.length > 0 ||
    r.log.hasCommittedToApply() ||
    r.readStates.length > 0
  );
}

const NO_MESSAGES: RaftMessage[] = Object.freeze([]) as unknown as RaftMessage[];
const NO_READS: ReadState[] = Object.freeze([]) as unknown as ReadState[];

/**
 * Build the Ready and take ownership of everything in it away from the state machine. A Ready is
 * made after nearly every step (each heartbeat), so what did not change is shared rather than
 * copied: the previous soft and hard state objects, and one frozen empty list per kind (nothing
 * downstream writes to a Ready's lists or state objects).
 */
export function captureReady(r: Raft, prevSoft: SoftState, prevHard: HardState): { ready: Ready; accepted: Accepted } {
  const hardChanged = r.term !== prevHard.term || r.vote !== prevHard.vote || r.log.committed !== prevHard.commit;
  const hard = hardChanged ? hardStateOf(r) : prevHard;
  const soft = r.role === prevSoft.role && r.lead === prevSoft.leader && r.term === prevSoft.term ? prevSoft : softStateOf(r);
  const entries = r.log.takeUnstableEntries();
  const snapshot = r.log.takeUnstableSnapshot();
  const committed = r.log.takeCommittedToApply();
  const after = r.msgsAfterAppend;
  let messages = NO_MESSAGES;
  let selfSteps = NO_MESSAGES;
  if (after.length !== 0) {
    messages = [...r.msgs, ...after.filter((m) => m.to !== r.id)];
    selfSteps = after.filter((m) => m.to === r.id);
    r.msgs = [];
    r.msgsAfterAppend = [];
  } else if (r.msgs.length !== 0) {
    // An exact-size copy, and the outbox keeps its grown backing store for the next step.
    messages = r.msgs.slice();
    const out = r.msgs;
    while (out.length !== 0) out.pop();
  }
  let readStates = NO_READS;
  if (r.readStates.length !== 0) {
    readStates = r.readStates;
    r.readStates = [];
  }
  // etcd MustSync: a commit-only change need not be fsynced (it can be re-learned).
  const mustPersist =
    entries.length > 0 || snapshot !== undefined || hard.term !== prevHard.term || hard.vote !== prevHard.vote;
  const ready: Ready = { softState: soft, entries, mustPersist, messages, committed, readStates };
  if (hardChanged) ready.hardState = hard;
  if (snapshot !== undefined) ready.snapshotToApply = snapshot;
  const accepted: Accepted = { entries, selfSteps };
  if (hardChanged) accepted.hardState = hard;
  if (snapshot !== undefined) accepted.snapshot = snapshot;
  if (committed.length > 0) accepted.appliedTo = committed[committed.length - 1]!.index;
  return { ready, accepted };
}

/** The fsync completed: the Ready's snapshot, entries and hard state are now on disk. */
export function persist(d: RaftDurable, a: Accepted): void {
  if (a.snapshot !== undefined) {
    d.snapshot = a.snapshot;
    d.entries = [];
  }
  if (a.entries.length > 0) {
    // Truncate any conflicting suffix in place, then append: O(appended), not O(log).
    const first = a.entries[0]!.index;
    const keep = first - d.snapshot.index - 1;
    assert(keep >= 0 && keep <= d.entries.length, () => `durable append at ${first} leaves a gap`);
    if (d.entries.length !== keep) d.entries.length = keep;
    for (const e of a.entries) d.entries.push(e);
  }
  // Hard state objects are never written after hardStateOf made them: the durable copy can share it.
  if (a.hardState !== undefined) d.hardState = a.hardState;
  const last = d.snapshot.index + d.entries.length;
  assert(d.hardState.commit <= last, () => `durable commit ${d.hardState.commit} beyond durable log ${last}`);
}
