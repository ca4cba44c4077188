// Step tests for leader duties: empty entry, quorum commit (§5.4.2), heartbeats, check-quorum.
import { describe, expect, it } from 'vitest';
import type { RaftDurable, RaftNode } from '../../src/raft/index.ts';
import { Cluster, drain, lone, msg } from './harness.ts';

const E = 10;

/** Make a lone node 1 leader of [1,2,3] with node 2's vote; returns the messages it sent after. */
function makeLeader(n: RaftNode): ReturnType<typeof drain> {
  n.campaign();
  drain(n);
  n.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: n.term }));
  const sent = drain(n);
  expect(n.role).toBe('leader');
  return sent;
}

describe('becoming leader', () => {
  it('new leader appends an empty entry in its term and sends it to every follower', () => {
    const n = lone(1, [1, 2, 3]);
    const sent = makeLeader(n);
    expect(n.logView().entries).toEqual([{ term: 1, index: 1, data: null }]);
    expect(sent.filter((m) => m.type === 'MsgApp').map((m) => [m.to, m.index, m.logTerm, m.entries])).toEqual([
      [2, 0, 0, [{ term: 1, index: 1, data: null }]],
      [3, 0, 0, [{ term: 1, index: 1, data: null }]],
    ]);
  });

  it('commit needs a quorum: matchIndex >= index on a majority (leader counts itself once persisted)', () => {
    const n = lone(1, [1, 2, 3, 4, 5]);
    n.campaign();
    drain(n);
    n.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }));
    n.step(msg({ type: 'MsgVoteResp', from: 3, to: 1, term: 1 }));
    drain(n);
    n.propose('a');
    drain(n);
    n.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 1, index: 2 }));
    expect(n.commitIndex).toBe(0); // self + 2 = 2 of 5
    n.step(msg({ type: 'MsgAppResp', from: 4, to: 1, term: 1, index: 1 }));
    expect(n.commitIndex).toBe(1); // matches [2,2,0,1,0] -> 3rd highest = 1
    n.step(msg({ type: 'MsgAppResp', from: 5, to: 1, term: 1, index: 2 }));
    expect(n.commitIndex).toBe(2);
  });

  it('commit only on current-term entries (Figure 8): a replicated old-term entry is not committed by counting', () => {
    // Node 1 holds an uncommitted entry of term 2 at index 2; it wins term 3.
    const durable: RaftDurable = {
      hardState: { term: 2, vote: 1, commit: 1 },
      snapshot: { index: 0, term: 0, data: null },
      entries: [{ term: 1, index: 1, data: 'a' }, { term: 2, index: 2, data: 'b' }],
    };
    const n = lone(1, [1, 2, 3], {}, durable);
    makeLeader(n);
    expect(n.term).toBe(3);
    expect(n.termAt(3)).toBe(3); // its empty entry
    // Follower 2 acknowledges up to index 2 only: a quorum holds the term-2 entry...
    n.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 2 }));
    // ...but §5.4.2 forbids committing it by counting replicas.
    expect(n.commitIndex).toBe(1);
    n.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 3 }));
    expect(n.commitIndex).toBe(3); // committing the term-3 entry commits index 2 indirectly
  });
});

describe('heartbeats', () => {
  it('heartbeat every heartbeatTicks carrying commit = min(match, commit)', () => {
    const n = lone(1, [1, 2, 3], { heartbeatTicks: 3 });
    makeLeader(n);
    n.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 1, index: 1 }));
    expect(n.commitIndex).toBe(1);
    drain(n);
    n.tick();
    n.tick();
    expect(drain(n).filter((m) => m.type === 'MsgHeartbeat')).toEqual([]);
    n.tick();
    const hbs = drain(n).filter((m) => m.type === 'MsgHeartbeat');
    expect(hbs.map((m) => [m.to, m.commit])).toEqual([[2, 1], [3, 0]]);
  });

  it('follower replies MsgHeartbeatResp and advances its commit to the heartbeat commit', () => {
    const n = lone(2, [1, 2, 3], {}, {
      hardState: { term: 1, vote: 1, commit: 0 },
      snapshot: { index: 0, term: 0, data: null },
      entries: [{ term: 1, index: 1, data: null }],
    });
    n.step(msg({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1, commit: 1, context: 7 }));
    expect(n.commitIndex).toBe(1);
    expect(n.leader).toBe(1);
    expect(drain(n)).toMatchObject([{ type: 'MsgHeartbeatResp', to: 1, term: 1, context: 7 }]);
  });

  it('leader resends appends to a lagging follower on its heartbeat response', () => {
    const n = lone(1, [1, 2, 3]);
    makeLeader(n); // the first MsgApp to 3 is "lost"; 3 is probing and paused
    n.propose('x');
    expect(drain(n).filter((m) => m.to === 3 && m.type === 'MsgApp')).toEqual([]);
    n.step(msg({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: 1 }));
    const apps = drain(n).filter((m) => m.type === 'MsgApp');
    expect(apps.map((m) => [m.to, m.index, m.entries?.length])).toEqual([[3, 0, 2]]);
  });
});

describe('check-quorum', () => {
  it('check-quorum step down: an isolated leader becomes follower (same term) within (E, 2E] ticks', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = new Cluster({ n: 3, seed, checkQuorum: true });
      const l = c.electLeader();
      c.tick(seed % E); // isolate at varying phases of the check-quorum cycle
      const term = c.node(l).term;
      c.isolate(l);
      const ticks = c.tickUntil(() => c.node(l).role !== 'leader', 3 * E);
      expect(ticks, `seed ${seed}`).toBeGreaterThan(E);
      expect(ticks, `seed ${seed}`).toBeLessThanOrEqual(2 * E);
      expect([c.node(l).role, c.node(l).term, c.node(l).leader]).toEqual(['follower', term, 0]);
    }
  });

  it('check-quorum keeps a leader that hears from a quorum, even with a minority down', () => {
    const c = new Cluster({ n: 5, seed: 2, checkQuorum: true });
    const l = c.electLeader();
    const others = c.ids.filter((id) => id !== l);
    c.crash(others[0]!);
    c.crash(others[1]!);
    c.tick(10 * E);
    expect(c.leader()).toBe(l);
  });

  it('check-quorum steps down a leader cut off with a minority of 5', () => {
    const c = new Cluster({ n: 5, seed: 4, checkQuorum: true });
    const l = c.electLeader();
    const buddy = c.ids.find((id) => id !== l)!;
    for (const a of [l, buddy]) for (const b of c.ids) if (b !== l && b !== buddy) c.cutBoth(a, b);
    c.tick(2 * E);
    expect(c.node(l).role).not.toBe('leader');
    expect(c.leaders().filter((id) => c.node(id).term > c.node(l).term).length).toBeLessThanOrEqual(1);
  });

  it('without checkQuorum an isolated leader stays leader', () => {
    const c = new Cluster({ n: 3, seed: 3, checkQuorum: false });
    const l = c.electLeader();
    c.isolate(l);
    c.tick(5 * E);
    expect(c.node(l).role).toBe('leader');
  });
});
