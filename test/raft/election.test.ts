// Step tests for election rules: timeouts, voting, pre-vote, the leader-lease rule.
import { describe, expect, it } from 'vitest';
import { Cluster, drain, lone, msg } from './harness.ts';

const E = 10;

describe('election timing', () => {
  it('elect a leader: a 3-node cluster elects exactly one leader and all follow it', () => {
    const c = new Cluster({ n: 3, seed: 7 });
    const l = c.electLeader();
    expect(c.leaders()).toEqual([l]);
    expect(c.upIds().every((id) => c.node(id).leader === l && c.node(id).term === 1)).toBe(true);
  });

  it('election timeout range: an election fires after randomizedElectionTicks ticks, drawn in [E, 2E)', () => {
    const seen = new Set<number>();
    for (let draw = 0; draw < 2 * E; draw++) {
      const n = lone(1, [1, 2, 3], {}, undefined, (k) => draw % k);
      const timeout = n.randomizedElectionTicks;
      expect(timeout).toBeGreaterThanOrEqual(E);
      expect(timeout).toBeLessThan(2 * E);
      let ticks = 0;
      while (n.role === 'follower') {
        n.tick();
        ticks++;
      }
      expect(ticks).toBe(timeout);
      seen.add(ticks);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: E }, (_, i) => E + i));
  });

  it('election timeout is re-drawn on becomeFollower/becomeCandidate/becomeLeader, not on becomePreCandidate (upstream)', () => {
    let draws = 0;
    const n = lone(1, [1, 2, 3], { preVote: true }, undefined, () => (draws++, 0));
    expect(draws).toBe(1); // constructor: becomeFollower
    n.tick();
    n.tick();
    n.step(msg({ type: 'MsgHeartbeat', from: 2, to: 1, term: 3, commit: 0 }));
    expect(draws).toBe(2); // becomeFollower(3)
    expect(n.electionElapsedTicks).toBe(0);
    for (let i = 0; i < E; i++) n.tick();
    expect(n.role).toBe('pre-candidate');
    expect(draws).toBe(2); // etcd-io/raft becomePreCandidate does not call reset()
    n.step(msg({ type: 'MsgPreVoteResp', from: 2, to: 1, term: 4 }));
    drain(n); // own pre-vote counted after persistence -> campaign
    expect(n.role).toBe('candidate');
    expect(draws).toBe(3);
    n.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 4 }));
    drain(n);
    expect(n.role).toBe('leader');
    expect(draws).toBe(4);
  });

  it('single-node cluster elects itself on its first election timeout', () => {
    const c = new Cluster({ n: 1, seed: 3 });
    const ticks = c.tickUntil(() => c.leader() === 1, 2 * E);
    expect(ticks).toBeGreaterThanOrEqual(E);
    expect(ticks).toBeLessThan(2 * E);
    expect(c.node(1).commitIndex).toBe(1); // its empty entry commits alone
  });
});

describe('voting', () => {
  it('vote once per term: a follower grants one candidate and rejects a second in the same term', () => {
    const n = lone(1, [1, 2, 3]);
    n.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 1, index: 0, logTerm: 0 }));
    n.step(msg({ type: 'MsgVote', from: 3, to: 1, term: 1, index: 0, logTerm: 0 }));
    n.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 1, index: 0, logTerm: 0 }));
    const resps = drain(n).map((m) => [m.to, m.reject ?? false]);
    expect(resps).toEqual([[2, false], [3, true], [2, false]]);
    expect(n.vote).toBe(2);
  });

  it('vote requires an up-to-date log: higher last term, or equal term and index >= ours', () => {
    const durable = {
      hardState: { term: 2, vote: 0, commit: 0 },
      snapshot: { index: 0, term: 0, data: null },
      entries: [{ term: 1, index: 1, data: null }, { term: 2, index: 2, data: 'x' }],
    };
    const cases: [number, number, boolean][] = [
      [1, 1, false], // shorter, older
      [1, 9, false], // longer but older last term
      [2, 1, false], // same term, shorter
      [2, 2, true], // same
      [3, 1, true], // newer last term wins even if shorter
    ];
    for (const [logTerm, index, granted] of cases) {
      const n = lone(1, [1, 2, 3], {}, structuredClone(durable));
      n.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 3, index, logTerm }));
      const [resp] = drain(n);
      expect({ logTerm, index, granted: !resp!.reject }).toEqual({ logTerm, index, granted });
      expect(n.term).toBe(3); // the higher term is adopted either way
    }
  });

  it('higher-term message makes a node follower of that term (leader steps down)', () => {
    const c = new Cluster({ n: 3, seed: 1, checkQuorum: false });
    const l = c.electLeader();
    const other = c.ids.find((id) => id !== l)!;
    c.node(l).step(msg({ type: 'MsgAppResp', from: other, to: l, term: 5, index: 0 }));
    expect(c.node(l).role).toBe('follower');
    expect(c.node(l).term).toBe(5);
    expect(c.node(l).leader).toBe(0);
  });

  it('lower-term MsgApp gets a MsgAppResp carrying our term when checkQuorum or preVote is on', () => {
    const n = lone(1, [1, 2, 3], { checkQuorum: true }, { hardState: { term: 5, vote: 0, commit: 0 }, snapshot: { index: 0, term: 0, data: null }, entries: [] });
    n.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 3, index: 0, logTerm: 0, entries: [], commit: 0 }));
    expect(drain(n)).toMatchObject([{ type: 'MsgAppResp', to: 2, term: 5 }]);
    expect(n.term).toBe(5);
  });
});

describe('pre-vote', () => {
  it('pre-vote does not bump the term: pre-candidate sends MsgPreVote for term+1 and keeps term and vote', () => {
    const n = lone(1, [1, 2, 3], { preVote: true }, { hardState: { term: 4, vote: 3, commit: 0 }, snapshot: { index: 0, term: 0, data: null }, entries: [] });
    for (let i = 0; i < E; i++) n.tick();
    expect(n.role).toBe('pre-candidate');
    expect([n.term, n.vote]).toEqual([4, 3]);
    const sent = drain(n);
    expect(sent.map((m) => [m.type, m.to, m.term])).toEqual([['MsgPreVote', 2, 5], ['MsgPreVote', 3, 5]]);
    expect(n.role).toBe('pre-candidate'); // own pre-vote alone is not a quorum
  });

  it('pre-vote grant does not change the voter: no term, vote or timer change', () => {
    const n = lone(1, [1, 2, 3], { preVote: true }, { hardState: { term: 4, vote: 3, commit: 0 }, snapshot: { index: 0, term: 0, data: null }, entries: [] });
    n.tick();
    n.tick();
    n.step(msg({ type: 'MsgPreVote', from: 2, to: 1, term: 5, index: 0, logTerm: 0 }));
    expect(drain(n)).toMatchObject([{ type: 'MsgPreVoteResp', to: 2, term: 5 }]);
    expect(drain(n).length).toBe(0);
    expect([n.term, n.vote, n.electionElapsedTicks, n.role]).toEqual([4, 3, 2, 'follower']);
  });

  it('pre-vote quorum makes a candidate: term+1, vote self, MsgVote sent', () => {
    const n = lone(1, [1, 2, 3], { preVote: true });
    n.campaign();
    drain(n);
    n.step(msg({ type: 'MsgPreVoteResp', from: 3, to: 1, term: 1 }));
    const sent = drain(n);
    expect([n.role, n.term, n.vote]).toEqual(['candidate', 1, 1]);
    expect(sent.map((m) => [m.type, m.to, m.term])).toEqual([['MsgVote', 2, 1], ['MsgVote', 3, 1]]);
  });

  it('pre-candidate becomes follower on an append or heartbeat from a leader of its term', () => {
    for (const type of ['MsgApp', 'MsgHeartbeat'] as const) {
      const n = lone(1, [1, 2, 3], { preVote: true }, { hardState: { term: 2, vote: 0, commit: 0 }, snapshot: { index: 0, term: 0, data: null }, entries: [] });
      n.campaign();
      expect(n.role).toBe('pre-candidate');
      n.step(msg({ type, from: 3, to: 1, term: 2, index: 0, logTerm: 0, entries: [], commit: 0 }));
      expect([n.role, n.leader, n.term]).toEqual(['follower', 3, 2]);
    }
  });

  it('pre-vote prevents a rejoining partitioned node from disrupting the term (and without it, it does)', () => {
    for (const preVote of [true, false]) {
      const c = new Cluster({ n: 3, seed: 11, preVote, checkQuorum: true });
      const l = c.electLeader();
      const term = c.node(l).term;
      const f = c.ids.find((id) => id !== l)!;
      c.isolate(f);
      c.tick(5 * E);
      c.heal();
      c.tick(4 * E);
      const l2 = c.electLeader();
      if (preVote) {
        expect(c.node(f).term).toBe(term); // stayed a pre-candidate while cut off
        expect([l2, c.node(l2).term]).toEqual([l, term]);
      } else {
        expect(c.node(l2).term).toBeGreaterThan(term);
      }
    }
  });
});

describe('leader lease (checkQuorum)', () => {
  it('lease rule ignores a disruptive vote: in-lease follower neither replies nor adopts the term', () => {
    const c = new Cluster({ n: 3, seed: 5, checkQuorum: true, preVote: false });
    const l = c.electLeader();
    const [f, g] = c.ids.filter((id) => id !== l) as [number, number];
    const term = c.node(f).term;
    for (const type of ['MsgVote', 'MsgPreVote'] as const) {
      c.node(f).step(msg({ type, from: g, to: f, term: term + 1, index: 99, logTerm: 99 }));
      expect(drain(c.node(f))).toEqual([]);
      expect([c.node(f).term, c.node(f).leader]).toEqual([term, l]);
    }
  });

  it('lease rule lets a transfer vote through (context "transfer")', () => {
    const c = new Cluster({ n: 3, seed: 5, checkQuorum: true, preVote: false });
    const l = c.electLeader();
    const [f, g] = c.ids.filter((id) => id !== l) as [number, number];
    const term = c.node(f).term;
    c.node(f).step(msg({ type: 'MsgVote', from: g, to: f, term: term + 1, index: 99, logTerm: 99, context: 'transfer' }));
    expect(drain(c.node(f))).toMatchObject([{ type: 'MsgVoteResp', to: g, term: term + 1 }]);
    expect(c.node(f).vote).toBe(g);
  });

  it('lease rule expires: after electionTicks without the leader the vote is considered', () => {
    const c = new Cluster({ n: 3, seed: 5, checkQuorum: true, preVote: false });
    const l = c.electLeader();
    const [f, g] = c.ids.filter((id) => id !== l) as [number, number];
    const term = c.node(f).term;
    c.isolate(f);
    // Ticking the isolated follower alone: it would campaign at >= E, so step exactly E ticks.
    for (let i = 0; i < E - 1; i++) c.node(f).tick();
    expect(c.node(f).role).toBe('follower');
    c.node(f).tick(); // electionElapsedTicks = E: lease over (it may also start campaigning)
    c.node(f).step(msg({ type: 'MsgVote', from: g, to: f, term: term + 5, index: 99, logTerm: 99 }));
    expect(c.node(f).term).toBe(term + 5);
  });
});
