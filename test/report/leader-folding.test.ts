// report/leaders.ts: one group's leadership folded from beliefs and process lifecycles (SPEC §4 leader figures).
import { describe, expect, it } from 'vitest';
import { LeaderTracker } from '../../src/report/leaders.ts';

const S = 1_000_000;

describe('LeaderTracker', () => {
  it('holders, changes, leaderless time and failovers; holders in run seconds like every report time', () => {
    const t = new LeaderTracker('kube-scheduler');
    t.belief(2.5 * S, 'm1/kube-scheduler', true, 'acquired');
    t.belief(7 * S, 'm1/kube-scheduler', false, 'lost the lease');
    t.belief(8.25 * S, 'm2/kube-scheduler', true, 'acquired');
    const { stats, failovers } = t.finish(10 * S);
    expect(stats.holders).toEqual([
      { holder: 'm1/kube-scheduler', from: 2.5, to: 7 },
      { holder: 'm2/kube-scheduler', from: 8.25, to: null },
    ]);
    expect(stats.changes).toBe(1);
    expect(stats.leaderlessSeconds).toBe(1.25);
    expect(stats.maxLeaderlessSeconds).toBe(1.25);
    expect(failovers).toEqual([{ group: 'kube-scheduler', lostAt: 7 * S, recoveredAt: 8.25 * S, gapSeconds: 1.25, cause: 'lost the lease' }]);
    expect(t.ledFraction(10 * S)).toBeCloseTo((10 - 2.5 - 1.25) / (10 - 2.5), 12);
  });

  it('a paused or dead member leads nobody, even while it still believes it leads', () => {
    const t = new LeaderTracker('etcd');
    t.belief(1 * S, 'm1/etcd', true, 'won the election');
    t.lifecycle(3 * S, 'm1/etcd', 'paused', 'SIGSTOP');
    expect(t.led).toBe(false);
    t.lifecycle(4 * S, 'm1/etcd', 'up', 'SIGCONT');
    expect(t.led).toBe(true);
    t.lifecycle(6 * S, 'm1/etcd', 'down', 'killed');
    t.lifecycle(6.5 * S, 'm1/etcd', 'up', 'restarted'); // back up, but it no longer believes it leads
    const { stats, failovers } = t.finish(8 * S);
    expect(stats.holders).toEqual([
      { holder: 'm1/etcd', from: 1, to: 3 },
      { holder: 'm1/etcd', from: 4, to: 6 },
    ]);
    expect(stats.changes).toBe(0); // the same member came back
    expect(stats.leaderlessSeconds).toBe(1 + 2);
    expect(failovers.map((f) => [f.lostAt, f.recoveredAt])).toEqual([[3 * S, 4 * S], [6 * S, null]]);
    expect(stats.maxLeaderlessSeconds).toBe(2); // the open gap counts to the end
  });

  it('two members that both believe they lead: dual-leader time; lifecycles of non-members are ignored', () => {
    const t = new LeaderTracker('kube-controller-manager');
    t.lifecycle(0.5 * S, 'm9/kube-controller-manager', 'down', 'never a member');
    t.belief(1 * S, 'm1/kcm', true, 'acquired');
    t.belief(4 * S, 'm2/kcm', true, 'acquired (clock skew)');
    t.belief(5.5 * S, 'm1/kcm', false, 'renew deadline');
    expect(t.finish(6 * S).stats.dualLeaderSeconds).toBe(1.5);
  });

  it('restart() starts the window: time shares, changes and failovers from there; holders and stale actions stay', () => {
    const t = new LeaderTracker('kube-scheduler');
    t.belief(1 * S, 'a', true, '');
    t.belief(2 * S, 'a', false, 'gone');
    t.belief(3 * S, 'b', true, '');
    t.staleAction();
    t.restart(5 * S);
    t.staleAction();
    const { stats, failovers } = t.finish(6 * S);
    expect(stats.changes).toBe(0);
    expect(stats.leaderlessSeconds).toBe(0);
    expect(failovers).toEqual([]);
    expect(stats.holders.map((h) => h.holder)).toEqual(['a', 'b']);
    expect(stats.staleLeaderActions).toBe(2);
  });
});
