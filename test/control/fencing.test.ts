// The fencing checker: leader actions committed while the Lease named someone else, live marks vs the end-of-run count.
import { describe, expect, it } from 'vitest';
import type { LeaderGroup } from '../../src/control/api.ts';
import { FencingChecker } from '../../src/control/fencing.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

type Fact =
  | { kind: 'lease-commit'; group: LeaderGroup; holder: string; revision: number }
  | { kind: 'action-commit'; group: LeaderGroup; identity: string; revision: number };

const lease = (group: LeaderGroup, holder: string, revision: number): Fact => ({ kind: 'lease-commit', group, holder, revision });
const action = (group: LeaderGroup, identity: string, revision: number): Fact => ({ kind: 'action-commit', group, identity, revision });

/** An apiserver stand-in that reports `facts` to the checkers in the given order, then the checker's verdicts. */
function judge(facts: Fact[]) {
  const sim = world();
  const checker = new FencingChecker(sim);
  const p = proc(sim, 'm1/kube-apiserver', {
    start(ctx) {
      for (const { kind, ...fact } of facts) ctx.check(kind, fact);
    },
  });
  startAt(sim, p);
  sim.run({ untilUs: 1 });
  const marks = sim.trace.observations.filter((o) => o.kind === 'stale-action').map((o) => ({ subject: o.subject, ...o.detail }));
  return { checker, marks };
}

const SCHED = 'kube-scheduler' as const;
const KCM = 'kube-controller-manager' as const;

describe('FencingChecker', () => {
  it('counts actions whose revision follows a Lease commit naming someone else, per group, after sorting by revision', () => {
    const { checker, marks } = judge([
      action(SCHED, 'X', 1), // no Lease yet: nobody to be stale against
      lease(SCHED, 'A', 2),
      action(SCHED, 'A', 3), // A holds
      lease(SCHED, 'B', 4),
      action(SCHED, 'A', 5), // stale: B holds since 4
      action(SCHED, 'B', 6),
      action(SCHED, 'A', 10), // reported before the Lease commit at 9 that names A: live, B seems to hold
      lease(SCHED, 'A', 9),
      action(KCM, 'C', 11), // its own group has no Lease: not stale (A's Lease is the scheduler's)
    ]);
    // In revision order only the action at 5 is stale: at 10, the Lease (rev 9) names A.
    expect(checker.staleActions(SCHED)).toBe(1);
    expect(checker.staleActions(KCM)).toBe(0);
    // The live marks judge against the Lease commits seen so far, so the one at 10 is marked too.
    expect(marks).toEqual([
      { subject: 'm1/kube-apiserver', group: SCHED, identity: 'A', leaseHolder: 'B', revision: 5 },
      { subject: 'm1/kube-apiserver', group: SCHED, identity: 'A', leaseHolder: 'B', revision: 10 },
    ]);
  });

  it('an empty holder (a released Lease) makes no action stale', () => {
    const { checker, marks } = judge([lease(SCHED, 'A', 1), lease(SCHED, '', 2), action(SCHED, 'A', 3), action(SCHED, 'B', 4)]);
    expect(checker.staleActions(SCHED)).toBe(0);
    expect(marks).toEqual([]);
  });

  it('keeps counting across the folding of a long run, including a late commit older than the fold', () => {
    // B holds from revision 1; 100 000 actions at revisions 2..100 001, every 10 000th by A (10 stale ones);
    // 100 001 commits exceed the fold threshold, so the older half is folded into a count.
    const facts: Fact[] = [lease(SCHED, 'B', 1)];
    for (let rev = 2; rev <= 100_001; rev++) facts.push(action(SCHED, rev % 10_000 === 0 ? 'A' : 'B', rev));
    // A late report of a stale action at revision 100, long folded: judged by the holder where folding stopped (B).
    facts.push(action(SCHED, 'A', 100));
    const { checker } = judge(facts);
    expect(checker.staleActions(SCHED)).toBe(11);
  });
});
