// LeaderTracker on its own: beliefs and process lifecycles folded into holders, churn, leaderless time and failovers.
import { describe, expect, it } from 'vitest';
import { LeaderTracker } from '../../src/report/leaders.ts';

const S = 1_000_000;

describe('LeaderTracker', () => {
  it('a member that went down leads again only once it says so, not when its process comes back', () => {
    const t = new LeaderTracker('kube-controller-manager');
    t.belief(1 * S, 'a', true, 'acquired');
    t.lifecycle(5 * S, 'a', 'down', 'crash');
    t.lifecycle(6 * S, 'a', 'up', 'restarted');
    expect(t.led).toBe(false);
    t.belief(8 * S, 'b', true, 'acquired');
    // Led 1–5 and 8–10: 6 of the 9 s since it first led.
    expect(t.ledFraction(10 * S)).toBeCloseTo(6 / 9, 12);
    const { stats, failovers } = t.finish(10 * S);
    expect(stats.holders).toEqual([{ holder: 'a', from: 1, to: 5 }, { holder: 'b', from: 8, to: null }]);
    expect(stats.changes).toBe(1);
    expect(stats.leaderlessSeconds).toBe(3);
    expect(stats.maxLeaderlessSeconds).toBe(3);
    expect(failovers).toEqual([{ group: 'kube-controller-manager', lostAt: 5 * S, recoveredAt: 8 * S, gapSeconds: 3, cause: 'a went down: crash' }]);
  });

  it('the longest leaderless stretch is the longest of several, and a believed loss carries its own cause', () => {
    const t = new LeaderTracker('kube-scheduler');
    t.belief(0, 'a', true, '');
    t.belief(2 * S, 'a', false, 'renew deadline passed'); // 2–6 leaderless
    t.belief(6 * S, 'b', true, '');
    t.belief(7 * S, 'b', false, 'lost'); // 7–8 leaderless
    t.belief(8 * S, 'a', true, '');
    const { stats, failovers } = t.finish(9 * S);
    expect(stats.leaderlessSeconds).toBe(5);
    expect(stats.maxLeaderlessSeconds).toBe(4);
    // a → b → a
    expect(stats.changes).toBe(2);
    expect(failovers.map((f) => [f.lostAt / S, f.gapSeconds, f.cause])).toEqual([[2, 4, 'renew deadline passed'], [7, 1, 'lost']]);
  });

  it('ignores the lifecycle of processes that never took part, and has no led fraction without members', () => {
    const t = new LeaderTracker('etcd');
    t.lifecycle(1 * S, 'x', 'down', 'killed');
    expect(t.ledFraction(5 * S)).toBeNull();
    expect(t.everLed).toBe(false);
    expect(t.finish(5 * S).failovers).toEqual([]);
  });

  it('the stale actions the fencing checker reports show in the stats', () => {
    const t = new LeaderTracker('kube-scheduler');
    for (let i = 0; i < 3; i++) t.staleAction();
    expect(t.finish(1).stats.staleLeaderActions).toBe(3);
  });
});
