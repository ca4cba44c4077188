// Step tests for leadership transfer, ReadIndex (ReadOnlySafe) and proposal routing.
import { describe, expect, it } from 'vitest';
import type { RaftMessage } from '../../src/raft/index.ts';
import { Cluster, drain, lone, msg } from './harness.ts';

const E = 10;

function watch(c: Cluster, pred: (m: RaftMessage) => boolean): RaftMessage[] {
  const seen: RaftMessage[] = [];
  c.dropFilter = (m) => (pred(m) && seen.push(m), false);
  return seen;
}

describe('leadership transfer', () => {
  it('leadership transfer completes within a few ticks and the target becomes leader in term+1', () => {
    const c = new Cluster({ n: 3, seed: 51, preVote: true, checkQuorum: true });
    const l = c.electLeader();
    const term = c.node(l).term;
    const target = c.ids.find((id) => id !== l)!;
    const seen = watch(c, (m) => m.type === 'MsgTimeoutNow' || m.type === 'MsgPreVote' || m.type === 'MsgVote');
    c.node(l).transferLeadership(target);
    const ticks = c.tickUntil(() => c.leader() === target && c.settledLeader(), 3);
    expect(ticks).toBeLessThanOrEqual(1);
    expect(c.node(target).term).toBe(term + 1);
    // MsgTimeoutNow skips pre-vote and its votes carry the transfer context past the lease.
    expect(seen.map((m) => m.type)).toEqual(['MsgTimeoutNow', 'MsgVote', 'MsgVote']);
    expect(seen.filter((m) => m.type === 'MsgVote').every((m) => m.context === 'transfer')).toBe(true);
  });

  it('transfer to a lagging target first appends to it, then sends MsgTimeoutNow once caught up', () => {
    const c = new Cluster({ n: 3, seed: 52 });
    const l = c.electLeader();
    const target = c.ids.find((id) => id !== l)!;
    c.cutBoth(l, target);
    c.node(l).propose('x');
    c.stabilize();
    c.heal();
    const seen = watch(c, (m) => m.to === target && (m.type === 'MsgApp' || m.type === 'MsgTimeoutNow'));
    c.node(l).transferLeadership(target);
    c.tickUntil(() => c.leader() === target, 3);
    // The lost append is discovered (empty MsgApp rejected), re-sent, acked; then MsgTimeoutNow.
    const types = seen.map((m) => m.type);
    const tn = types.indexOf('MsgTimeoutNow');
    expect(tn).toBeGreaterThan(0);
    expect(types.slice(0, tn).every((t) => t === 'MsgApp')).toBe(true);
  });

  it('during transfer the leader rejects proposals; the transfer aborts after an election timeout', () => {
    const c = new Cluster({ n: 3, seed: 53 });
    const l = c.electLeader();
    const target = c.ids.find((id) => id !== l)!;
    c.crash(target);
    c.node(l).propose('behind'); // target lags, so the transfer waits for it
    c.stabilize();
    c.node(l).transferLeadership(target);
    expect(c.node(l).leadTransferee).toBe(target);
    expect(c.node(l).propose('during')).toEqual({ ok: false, reason: 'transferring', leader: l });
    c.tick(E - 1);
    expect(c.node(l).leadTransferee).toBe(target);
    c.tick(1);
    expect(c.node(l).leadTransferee).toBe(0);
    expect(c.node(l).role).toBe('leader');
    expect(c.node(l).propose('after')).toMatchObject({ ok: true, forwarded: false });
  });

  it('transfer requested on a follower is forwarded to the leader', () => {
    const c = new Cluster({ n: 3, seed: 54 });
    const l = c.electLeader();
    const [f, target] = c.ids.filter((id) => id !== l) as [number, number];
    c.node(f).transferLeadership(target);
    c.tickUntil(() => c.leader() === target, 3);
  });
});

describe('read index (ReadOnlySafe)', () => {
  it('readIndex on the leader is answered after a heartbeat quorum with the commit index', () => {
    const c = new Cluster({ n: 3, seed: 61 });
    const l = c.electLeader();
    c.node(l).propose('w');
    c.stabilize();
    const hbs = watch(c, (m) => m.type === 'MsgHeartbeat');
    expect(c.node(l).readIndex('r1')).toBe(true);
    c.stabilize();
    expect(hbs.length).toBe(2);
    expect(c.readStates.get(l)).toEqual([{ index: c.node(l).commitIndex, context: 'r1' }]);
  });

  it('readIndex waits until the leader has committed an entry of its current term', () => {
    const n = lone(1, [1, 2, 3]);
    n.campaign();
    drain(n);
    n.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }));
    drain(n);
    expect(n.readIndex('early')).toBe(true);
    expect(drain(n).filter((m) => m.type === 'MsgHeartbeat')).toEqual([]); // held, no round yet
    n.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 1, index: 1 })); // commits the empty entry
    const hbs = drain(n).filter((m) => m.type === 'MsgHeartbeat');
    expect(hbs.map((m) => m.to)).toEqual([2, 3]);
    n.step(msg({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: 1, context: hbs[0]!.context }));
    const rd = n.ready();
    expect(rd.readStates).toEqual([{ index: 1, context: 'early' }]);
  });

  it('follower forwards MsgReadIndex to the leader and gets MsgReadIndexResp', () => {
    const c = new Cluster({ n: 3, seed: 62 });
    const l = c.electLeader();
    const f = c.ids.find((id) => id !== l)!;
    const seen = watch(c, (m) => m.type === 'MsgReadIndex' || m.type === 'MsgReadIndexResp');
    expect(c.node(f).readIndex({ req: 9 })).toBe(true);
    c.stabilize();
    expect(seen.map((m) => [m.type, m.from, m.to])).toEqual([['MsgReadIndex', f, l], ['MsgReadIndexResp', l, f]]);
    expect(c.readStates.get(f)).toEqual([{ index: c.node(l).commitIndex, context: { req: 9 } }]);
  });

  it('readIndex is answered only by a leader with a quorum: an isolated old leader never answers', () => {
    const c = new Cluster({ n: 3, seed: 63, checkQuorum: false });
    const l = c.electLeader();
    c.isolate(l);
    expect(c.node(l).readIndex('stale?')).toBe(true); // accepted, but can never be confirmed
    c.tick(5 * E);
    expect(c.node(l).role).toBe('leader'); // still believes it leads (no check-quorum)
    expect(c.leaders().length).toBe(2); // a newer leader exists in the majority
    expect(c.readStates.get(l)).toEqual([]);
  });

  it('readIndex with no leader is dropped (returns false)', () => {
    const c = new Cluster({ n: 3, seed: 64 });
    expect(c.node(1).readIndex('x')).toBe(false);
    c.node(1).campaign();
    expect(c.node(1).role).toBe('pre-candidate');
    expect(c.node(1).readIndex('y')).toBe(false);
  });

  it('single-node leader answers readIndex at once', () => {
    const c = new Cluster({ n: 1, seed: 2 });
    c.electLeader();
    c.node(1).readIndex('solo');
    c.stabilize();
    expect(c.readStates.get(1)).toEqual([{ index: 1, context: 'solo' }]);
  });
});

describe('proposals', () => {
  it('proposals on a leaderless cluster are rejected with no-leader', () => {
    const c = new Cluster({ n: 3, seed: 71 });
    for (const id of c.ids) expect(c.node(id).propose('x')).toEqual({ ok: false, reason: 'no-leader', leader: 0 });
    c.node(2).campaign();
    expect(c.node(2).propose('y')).toMatchObject({ ok: false, reason: 'no-leader' }); // pre-candidate
  });

  it('follower forwards proposals to the leader (MsgProp) and the entry commits', () => {
    const c = new Cluster({ n: 3, seed: 72 });
    const l = c.electLeader();
    const f = c.ids.find((id) => id !== l)!;
    expect(c.node(f).propose('fwd')).toEqual({ ok: true, forwarded: true, leader: l });
    c.tick(1);
    for (const id of c.ids) expect(c.applied(id)).toEqual([null, 'fwd']);
  });

  it('with disableProposalForwarding a follower returns not-leader and the leader id', () => {
    const n = lone(2, [1, 2, 3], { disableProposalForwarding: true });
    n.step(msg({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1, commit: 0 }));
    expect(n.propose('x')).toEqual({ ok: false, reason: 'not-leader', leader: 1 });
  });

  it('leader proposal returns its index and term', () => {
    const c = new Cluster({ n: 3, seed: 73 });
    const l = c.electLeader();
    expect(c.node(l).propose('a')).toEqual({ ok: true, forwarded: false, index: 2, term: 1 });
  });
});
