// Step tests for log replication, durability across crashes, and snapshot catch-up.
import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../src/raft/log.ts';
import { RaftNode, type RaftDurable } from '../../src/raft/index.ts';
import { Cluster, drain, lone, msg } from './harness.ts';

const E = 10;
const durableOf = (term: number, commit: number, terms: number[]): RaftDurable => ({
  hardState: { term, vote: 0, commit },
  snapshot: { index: 0, term: 0, data: null },
  entries: terms.map((t, i) => ({ term: t, index: i + 1, data: `e${i + 1}` })),
});

function sameLogs(c: Cluster): void {
  const [first, ...rest] = c.upIds().map((id) => c.node(id).logView());
  for (const v of rest) expect(v).toEqual(first);
}

describe('log replication', () => {
  it('log matching after partition and heal: the old leader\'s conflicting entries are overwritten', () => {
    const c = new Cluster({ n: 3, seed: 21, checkQuorum: false, preVote: false });
    const old = c.electLeader();
    c.node(old).propose('committed-1');
    c.stabilize();
    c.isolate(old);
    for (const d of ['lost-1', 'lost-2', 'lost-3']) expect(c.node(old).propose(d).ok).toBe(true);
    c.stabilize();
    const rest = c.ids.filter((id) => id !== old);
    c.tickUntil(() => rest.some((id) => c.node(id).role === 'leader'), 5 * E);
    const neu = rest.find((id) => c.node(id).role === 'leader')!;
    c.node(neu).propose('new-1');
    c.node(neu).propose('new-2');
    c.stabilize();
    c.heal();
    c.tickUntil(() => c.settledLeader() && c.node(old).lastIndex === c.node(neu).lastIndex, 5 * E);
    sameLogs(c);
    const datas = c.node(old).logView().entries.map((e) => e.data);
    expect(datas).toContain('new-2');
    expect(datas).not.toContain('lost-1');
    c.tick(2);
    for (const id of c.ids) expect(c.applied(id)).toEqual(c.applied(neu));
  });

  it('mismatched MsgApp is rejected with a (rejectHint, logTerm) hint skipping the divergent tail', () => {
    // Follower log terms: 1 1 2 2 2 ; leader probes at prev (index 6, term 4).
    const n = lone(2, [1, 2, 3], {}, durableOf(4, 1, [1, 1, 2, 2, 2]));
    n.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 4, index: 6, logTerm: 4, entries: [], commit: 1 }));
    expect(drain(n)).toMatchObject([{ type: 'MsgAppResp', reject: true, index: 6, rejectHint: 5, logTerm: 2 }]);
    // Probe at (5, term 3): every index with term > 3 is skipped in one hint.
    const m = lone(2, [1, 2, 3], {}, durableOf(4, 1, [1, 1, 3, 3, 3, 3]));
    m.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 4, index: 5, logTerm: 2, entries: [], commit: 1 }));
    expect(drain(m)).toMatchObject([{ type: 'MsgAppResp', reject: true, index: 5, rejectHint: 2, logTerm: 1 }]);
  });

  it('leader backs off nextIndex in probe state, then streams in replicate state', () => {
    const c = new Cluster({ n: 3, seed: 8 });
    const l = c.electLeader();
    const f = c.ids.find((id) => id !== l)!;
    expect(c.node(l).progress(f)!.state).toBe('replicate');
    c.crash(f);
    for (let i = 0; i < 5; i++) c.node(l).propose(`p${i}`); // streamed optimistically, lost
    c.stabilize();
    expect(c.node(l).progress(f)!.next).toBe(c.node(l).lastIndex + 1);
    c.restart(f);
    const states: string[] = [];
    const rejects: number[] = [];
    c.dropFilter = (m) => {
      if (m.from === f && m.reject) rejects.push(m.rejectHint!);
      if (c.isUp(l) && m.to === f && m.type === 'MsgApp') states.push(`${c.node(l).progress(f)!.state}@${m.index}`);
      return false;
    };
    c.tick(2);
    expect(rejects).toEqual([1]); // the hint is f's last index: it only has the empty entry
    expect(states).toContain('probe@1');
    expect(c.node(l).progress(f)).toMatchObject({ state: 'replicate', match: c.node(l).lastIndex });
  });

  it('truncation of conflicting uncommitted entries on the follower', () => {
    const n = lone(2, [1, 2, 3], {}, durableOf(3, 1, [1, 2, 2]));
    n.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 3, index: 1, logTerm: 1, entries: [{ term: 3, index: 2, data: 'z' }], commit: 1 }));
    expect(n.logView().entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 3]]);
    expect(drain(n)).toMatchObject([{ type: 'MsgAppResp', index: 2 }]);
  });

  it('never truncate committed entries (assert)', () => {
    const log = new RaftLog(durableOf(2, 2, [1, 1, 2]));
    expect(() => log.append([{ term: 3, index: 2, data: 'x' }])).toThrow(/committed/);
    expect(() => log.maybeAppend(1, 1, [{ term: 3, index: 2, data: 'x' }], 0)).toThrow(/committed/);
    // The follower path answers a stale MsgApp below commit with its commit index instead.
    const n = lone(2, [1, 2, 3], {}, durableOf(2, 2, [1, 1, 2]));
    n.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 2, index: 1, logTerm: 1, entries: [{ term: 2, index: 2, data: 'x' }], commit: 2 }));
    expect(drain(n)).toMatchObject([{ type: 'MsgAppResp', index: 2 }]);
    expect(n.termAt(2)).toBe(1);
  });

  it('maxSizePerMsg limits entries per MsgApp', () => {
    const c = new Cluster({ n: 3, seed: 9, maxSizePerMsg: 2 });
    const l = c.electLeader();
    const sizes: number[] = [];
    c.dropFilter = (m) => (m.type === 'MsgApp' && sizes.push(m.entries!.length), false);
    for (let i = 0; i < 7; i++) c.node(l).propose(i);
    c.stabilize();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    for (const id of c.ids) expect(c.node(id).commitIndex).toBe(8);
  });
});

describe('durability', () => {
  it('committed entries survive a leader crash and restart', () => {
    const c = new Cluster({ n: 3, seed: 31 });
    const l = c.electLeader();
    for (let i = 0; i < 4; i++) c.node(l).propose(`v${i}`);
    c.stabilize();
    const committed = c.node(l).commitIndex;
    c.crash(l);
    const l2 = c.electLeader();
    expect(l2).not.toBe(l);
    expect(c.node(l2).commitIndex).toBeGreaterThanOrEqual(committed);
    c.restart(l);
    // Restarted as follower in its saved term; the first Ready re-delivers snapshot+1..commit.
    expect([c.node(l).role, c.node(l).appliedIndex]).toEqual(['follower', 0]);
    c.node(l2).propose('after');
    c.tick(3);
    for (const id of c.ids) expect(c.applied(id)).toEqual([null, 'v0', 'v1', 'v2', 'v3', null, 'after']);
  });

  it('restart resumes in the saved term with the saved vote and re-applies up to hardState.commit', () => {
    const d = durableOf(7, 2, [1, 1, 7]);
    d.hardState.vote = 3;
    const n = new RaftNode({ id: 2, peers: [1, 2, 3], electionTicks: E, heartbeatTicks: 1, preVote: true, checkQuorum: true }, d, () => 0);
    expect([n.role, n.term, n.vote, n.leader, n.commitIndex, n.appliedIndex]).toEqual(['follower', 7, 3, 0, 2, 0]);
    const rd = n.ready();
    expect(rd.committed.map((e) => e.index)).toEqual([1, 2]);
    expect([rd.mustPersist, rd.hardState, rd.entries]).toEqual([false, undefined, []]);
  });

  it('durability contract: a crash before advance() loses the Ready; after advance() it is on disk', () => {
    const d = durableOf(1, 0, []);
    const n = lone(1, [1, 2, 3], {}, d);
    n.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 2, index: 0, logTerm: 0 }));
    const rd = n.ready();
    expect(rd.mustPersist).toBe(true);
    expect(rd.messages).toMatchObject([{ type: 'MsgVoteResp', to: 2 }]);
    expect(d.hardState).toEqual({ term: 1, vote: 0, commit: 0 }); // not yet fsynced
    const restarted = lone(1, [1, 2, 3], {}, d); // crash now: the vote never happened
    expect([restarted.term, restarted.vote]).toEqual([1, 0]);
    n.advance();
    expect(d.hardState).toEqual({ term: 2, vote: 2, commit: 0 });
    expect(() => n.advance()).toThrow();
  });

  it('a leader counts its own entries only after persisting them (self-ack on advance)', () => {
    const n = lone(1, [1]);
    n.campaign();
    expect(n.role).toBe('candidate'); // own vote not yet durable
    n.ready();
    n.advance();
    expect(n.role).toBe('leader');
    expect(n.commitIndex).toBe(0);
    n.ready();
    n.advance();
    expect(n.commitIndex).toBe(1);
  });
});

describe('snapshots', () => {
  it('snapshot catch-up of a follower that was down while the leader compacted', () => {
    const c = new Cluster({ n: 3, seed: 41 });
    const l = c.electLeader();
    const f = c.ids.find((id) => id !== l)!;
    c.crash(f);
    for (let i = 0; i < 20; i++) c.node(l).propose(i);
    c.stabilize();
    for (const id of c.upIds()) {
      const n = c.node(id);
      expect(n.compact(n.appliedIndex - 2, [...c.applied(id)].slice(0, n.appliedIndex - 2))).toBe(true);
    }
    expect(c.node(l).firstIndex).toBeGreaterThan(1);
    c.restart(f);
    const sent: string[] = [];
    c.dropFilter = (m) => (m.to === f && sent.push(m.type), false);
    c.tick(3);
    expect(sent).toContain('MsgSnap');
    expect(c.node(f).snapshotIndex).toBe(c.node(l).snapshotIndex);
    expect(c.durables.get(f)!.snapshot.index).toBe(c.node(l).snapshotIndex);
    expect(c.applied(f)).toEqual(c.applied(l));
    expect(c.node(l).progress(f)).toMatchObject({ state: 'replicate', match: c.node(l).lastIndex });
  });

  it('a lost MsgSnap is retried after the transport reports the failure', () => {
    const c = new Cluster({ n: 3, seed: 42 });
    const l = c.electLeader();
    const f = c.ids.find((id) => id !== l)!;
    c.crash(f);
    for (let i = 0; i < 5; i++) c.node(l).propose(i);
    c.stabilize();
    c.node(l).compact(c.node(l).appliedIndex, [...c.applied(l)]);
    c.restart(f);
    let drops = 2;
    c.dropFilter = (m) => m.type === 'MsgSnap' && drops-- > 0;
    c.tick(6);
    expect(drops).toBeLessThan(0);
    expect(c.applied(f)).toEqual(c.applied(l));
  });

  it('shouldCompact turns true past compactAfter applied entries', () => {
    const c = new Cluster({ n: 1, seed: 1, compactAfter: 3 });
    c.electLeader();
    const n = c.node(1);
    for (let i = 0; i < 3; i++) n.propose(i);
    c.stabilize();
    expect(n.shouldCompact()).toBe(true);
    n.compact(n.appliedIndex, [...c.applied(1)]);
    expect(n.shouldCompact()).toBe(false);
    expect(c.durables.get(1)!.entries).toEqual([]);
  });
});
