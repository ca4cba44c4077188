// Raft safety invariants checked over a Cluster after every step of a randomized run.
import { expect } from 'vitest';
import type { NodeId } from '../../src/raft/index.ts';
import type { Cluster } from './harness.ts';

export class SafetyChecker {
  /** Election Safety: at most one leader per term. */
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Committed (index -> term, data) as observed on any node: State Machine Safety. */
  private readonly committed = new Map<number, { term: number; data: unknown }>();
  /** Log Matching via induction: (index, term) fixes the data and the previous entry's term. */
  private readonly byId = new Map<string, { data: unknown; prevTerm: number }>();
  private readonly leaderSeen = new Set<string>();

  constructor(
    private readonly c: Cluster,
    private readonly label: string,
  ) {}

  check(): void {
    for (const id of this.c.upIds()) {
      this.checkLeader(id);
      this.checkLog(id);
      this.checkApplied(id);
    }
  }

  private fail(msg: string): never {
    throw new Error(`${this.label}: ${msg}`);
  }

  private checkLeader(id: NodeId): void {
    const n = this.c.node(id);
    if (n.role !== 'leader') return;
    const prev = this.leaderOfTerm.get(n.term);
    if (prev !== undefined && prev !== id) this.fail(`two leaders in term ${n.term}: ${prev} and ${id}`);
    this.leaderOfTerm.set(n.term, id);
    // Leader Completeness: a new leader holds every entry committed so far.
    const key = `${id}@${n.term}`;
    if (this.leaderSeen.has(key)) return;
    this.leaderSeen.add(key);
    for (const [index, e] of this.committed) {
      if (index <= n.snapshotIndex) continue;
      if (n.termAt(index) !== e.term) this.fail(`leader ${id} (term ${n.term}) lacks committed entry ${index}/${e.term}`);
    }
  }

  private checkLog(id: NodeId): void {
    const n = this.c.node(id);
    const { snapshot, entries } = n.logView();
    let prevTerm = snapshot.term;
    for (const e of entries) {
      const k = `${e.index}:${e.term}`;
      const seen = this.byId.get(k);
      if (seen === undefined) this.byId.set(k, { data: e.data, prevTerm });
      else if (seen.data !== e.data || seen.prevTerm !== prevTerm) this.fail(`log matching violated at ${k} on node ${id}`);
      if (e.index <= n.commitIndex) this.noteCommitted(id, e.index, e.term, e.data);
      prevTerm = e.term;
    }
  }

  private noteCommitted(id: NodeId, index: number, term: number, data: unknown): void {
    const known = this.committed.get(index);
    // term -1: first seen in a state machine (possibly restored from a snapshot), term unknown.
    if (known === undefined || (known.term === -1 && known.data === data)) this.committed.set(index, { term, data });
    else if (known.term !== term || known.data !== data) {
      this.fail(`node ${id} committed ${index}/${term} but ${index}/${known.term} was committed before`);
    }
  }

  /** Applied sequences are prefixes of one another (all agree with the committed map). */
  private checkApplied(id: NodeId): void {
    const values = this.c.applied(id);
    for (let i = 0; i < values.length; i++) {
      const known = this.committed.get(i + 1);
      if (known === undefined) {
        this.committed.set(i + 1, { term: -1, data: values[i] });
      } else if (known.data !== values[i]) {
        this.fail(`node ${id} applied ${String(values[i])} at ${i + 1}, expected ${String(known.data)}`);
      }
    }
  }

  /** For reports: how many distinct indexes have been committed. */
  get committedCount(): number {
    return this.committed.size;
  }
}

export function expectNoThrow(label: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    expect.fail(`${label}: ${(e as Error).stack ?? String(e)}`);
  }
}
