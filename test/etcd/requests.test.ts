// A member's request path (EtcdRequests): writes through raft (forwarded by followers), linearizable vs serializable reads, /health, timeouts.
import { describe, expect, it } from 'vitest';
import type { KvOp, KvResult } from '../../src/etcd/kv.ts';
import { KvStore } from '../../src/etcd/kv.ts';
import { EtcdMember } from '../../src/etcd/member.ts';
import { EtcdRequests, type EtcdRequest, type EtcdResponse } from '../../src/etcd/requests.ts';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import type { Sim } from '../../src/kernel/sim.ts';
import type { ProposeResult } from '../../src/raft/index.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

const S = 1_000_000;
const LATENCY_US = 1000;
const REQUEST_TIMEOUT_US = 7 * S;
const PEERS = ['e1/etcd', 'e2/etcd', 'e3/etcd'];

// ---- Three real members and a client that sends requests at set times ----

type Send = { at: number; to: string; op: EtcdRequest['op']; serializable?: boolean };

function members(sends: Send[]) {
  const sim = world({ latencyUs: LATENCY_US });
  PEERS.forEach((id, i) => {
    const machine = id.split('/')[0]!;
    sim.addMachine({ name: machine, role: 'test', zone: null });
    const p = sim.addProcess({ machine, component: 'etcd', make: () => new EtcdMember({
      id: i + 1, peers: PEERS, heartbeatUs: 100_000, electionTicks: 10, preVote: true, requestTimeoutUs: REQUEST_TIMEOUT_US, compactAfter: 10_000,
    }) });
    startAt(sim, p);
  });
  const answers: { at: number; to: string; sentAt: number; resp: EtcdResponse }[] = [];
  const client = proc(sim, 'c/client', {
    start(ctx) { sends.forEach((s, i) => ctx.setTimer(`s${i}`, s.at, i)); },
    timer(ctx, _name, data) {
      const s = sends[data as number]!;
      const req: EtcdRequest = s.serializable ? { type: 'etcd.req', id: data as number, op: s.op, serializable: true } : { type: 'etcd.req', id: data as number, op: s.op };
      ctx.send(s.to, req);
    },
    message(_ctx, _from, msg: Msg) {
      const resp = msg as unknown as EtcdResponse;
      const s = sends[resp.id]!;
      answers.push({ at: sim.now, to: s.to, sentAt: s.at, resp });
    },
  });
  startAt(sim, client);
  return { sim, answers };
}

function leaderAt(sim: Sim): string {
  const starts = sim.trace.observations.filter((o) => o.kind === 'leader' && o.detail['group'] === 'etcd' && o.detail['leading'] === true);
  return starts.at(-1)!.subject;
}

/** Find the leader a first run elects (same seed ⇒ same leader), so a second run can aim at a follower. */
function electedLeader(): string {
  const { sim } = members([]);
  sim.run({ untilUs: 3 * S });
  return leaderAt(sim);
}

describe('EtcdRequests on real members', () => {
  const leader = electedLeader();
  const followers = PEERS.filter((p) => p !== leader);

  it('a write sent to a follower is forwarded to the leader and answered by the follower once applied; a linearizable read elsewhere sees it', () => {
    const h = members([
      { at: 3 * S, to: followers[0]!, op: { kind: 'put', key: '/a', value: 'x' } },
      { at: 3.5 * S, to: followers[1]!, op: { kind: 'get', key: '/a' } },
    ]);
    h.sim.run({ untilUs: 5 * S });
    expect(leaderAt(h.sim)).toBe(leader);
    expect(h.answers.map((a) => [a.to, a.resp.ok, a.resp.result?.revision])).toEqual([[followers[0], true, 1], [followers[1], true, 1]]);
    expect(h.answers[1]!.resp.result!.kv?.value).toBe('x');
    // At least client→follower, follower→leader (MsgProp), leader→followers (MsgApp), an ack, the commit, and the reply.
    expect(h.answers[0]!.at - 3 * S).toBeGreaterThanOrEqual(5 * LATENCY_US);
  });

  it('a member cut off from the others serves a stale serializable read, times out a linearizable one, and reports RAFT NO LEADER once it has none', () => {
    const cut = followers[0]!;
    const cutMachine = cut.split('/')[0]!;
    const h = members([
      { at: 3 * S, to: leader, op: { kind: 'put', key: '/a', value: 'x' } },
      { at: 4 * S, to: cut, op: { kind: 'get', key: '/a' }, serializable: true },
      { at: 4 * S, to: cut, op: { kind: 'get', key: '/a' } },
      { at: 4 * S, to: cut, op: { kind: 'health' }, serializable: true },
      { at: 20 * S, to: cut, op: { kind: 'health' } },
    ]);
    h.sim.at(2.5 * S, 'cut', (s) => s.network.setPartition([[cutMachine, 'c'], PEERS.filter((p) => p !== cut).map((p) => p.split('/')[0]!)]));
    h.sim.run({ untilUs: 25 * S });
    const [put, stale, timedOut, serialHealth, health] = [0, 1, 2, 3, 4].map((i) => h.answers.filter((a) => a.resp.id === i));
    // The client is on the cut member's side: the write to the majority's leader never arrives.
    expect(put).toEqual([]);
    // Served from local state at once: the key was never written there.
    expect(stale!.map((a) => [a.at, a.resp.ok, a.resp.result?.kv])).toEqual([[4 * S + 2 * LATENCY_US, true, null]]);
    // The linearizable read waits for a read index no leader grants, until the request timeout.
    expect(timedOut!.map((a) => [a.at, a.resp.ok, a.resp.error])).toEqual([[4 * S + LATENCY_US + REQUEST_TIMEOUT_US + LATENCY_US, false, 'etcdserver: request timed out']]);
    expect(serialHealth!.map((a) => a.resp.health)).toEqual([{ health: true, reason: '' }]);
    // By 20 s its election timer has long run out (pre-vote keeps it from disrupting, and it knows no leader).
    expect(health!.map((a) => [a.at, a.resp.health])).toEqual([[20 * S + 2 * LATENCY_US, { health: false, reason: 'RAFT NO LEADER' }]]);
  });

  it('a write that arrives before any leader is known waits and is served once one is elected', () => {
    const h = members([{ at: 1, to: 'e1/etcd', op: { kind: 'put', key: '/early', value: 1 } }]);
    h.sim.run({ untilUs: 5 * S });
    const firstLeaderAt = h.sim.trace.observations.find((o) => o.kind === 'leader' && o.detail['leading'] === true)!.at;
    expect(h.answers.map((a) => [a.resp.ok, a.resp.result?.revision])).toEqual([[true, 1]]);
    expect(h.answers[0]!.at).toBeGreaterThan(firstLeaderAt);
    expect(h.answers[0]!.at).toBeLessThan(firstLeaderAt + 0.1 * S);
  });
});

// ---- One EtcdRequests over a fake member: the edge cases a real run rarely lines up ----

function fakeMember(opts: { leader: number; propose?: (data: unknown) => ProposeResult; readIndex?: (ctx: unknown) => boolean }) {
  const sent: { to: string; resp: EtcdResponse }[] = [];
  const timers = new Map<string, unknown>();
  const readIndexes: unknown[] = [];
  const kv = new KvStore();
  const ctx = {
    life: 1,
    send: (to: string, resp: EtcdResponse) => sent.push({ to, resp }),
    setTimer: (name: string, _d: number, data?: unknown) => timers.set(name, data),
    cancelTimer: (name: string) => timers.delete(name),
    hasTimer: (name: string) => timers.has(name),
  } as unknown as Ctx;
  const member = {
    isStopping: false,
    cfg: { id: 1, requestTimeoutUs: REQUEST_TIMEOUT_US },
    kv,
    node: {
      leader: opts.leader,
      propose: opts.propose ?? (() => ({ ok: true, forwarded: false, index: 1, term: 1 })),
      readIndex: (c: unknown) => { readIndexes.push(c); return opts.readIndex?.(c) ?? true; },
    },
  } as unknown as EtcdMember;
  const reqs = new EtcdRequests(member, ctx);
  const fire = (name: string) => reqs.timer(name, timers.get(name));
  return { reqs, sent, timers, readIndexes, kv, member, fire };
}

const req = (id: number, op: EtcdRequest['op']): EtcdRequest => ({ type: 'etcd.req', id, op });

describe('EtcdRequests (unit)', () => {
  it('a proposal dropped during a leadership transfer fails at once; one refused for want of a leader waits', () => {
    const dropped = fakeMember({ leader: 1, propose: () => ({ ok: false, reason: 'transferring', leader: 1 }) });
    dropped.reqs.receive('c', req(1, { kind: 'put', key: '/a', value: 1 }));
    expect(dropped.sent.map((s) => s.resp)).toEqual([{ type: 'etcd.resp', id: 1, ok: false, error: 'etcdserver: raft proposal dropped' }]);
    expect(dropped.timers.has('req:c#1')).toBe(false);

    let accept = false;
    const proposals: unknown[] = [];
    const waits = fakeMember({ leader: 2, propose: (d) => { proposals.push(d); return accept ? { ok: true, forwarded: true, leader: 2 } : { ok: false, reason: 'no-leader', leader: 0 }; } });
    waits.reqs.receive('c', req(1, { kind: 'put', key: '/a', value: 1 }));
    expect(waits.sent).toEqual([]);
    accept = true;
    waits.reqs.leaderKnown();
    // Proposed again under the same entry id, so the apply that answers it is recognised.
    expect(proposals).toEqual([{ id: '1.1', op: { kind: 'put', key: '/a', value: 1 } }, { id: '1.1', op: { kind: 'put', key: '/a', value: 1 } }]);
    const result: KvResult = waits.kv.apply({ kind: 'put', key: '/a', value: 1 });
    waits.reqs.applied('1.1', result);
    expect(waits.sent.map((s) => [s.to, s.resp.ok, s.resp.result?.revision])).toEqual([['c', true, 1]]);
    // Answered requests leave no timeout behind.
    expect(waits.timers.has('req:c#1')).toBe(false);
  });

  it('serves a linearizable read once the applied index reaches its read index, not before', () => {
    const f = fakeMember({ leader: 1 });
    f.kv.apply({ kind: 'put', key: '/a', value: 'v' });
    f.reqs.receive('c', req(7, { kind: 'get', key: '/a' }));
    expect(f.readIndexes).toEqual(['1.1']);
    f.reqs.readState(5, '1.1');
    f.reqs.appliedUpTo(4);
    expect(f.sent).toEqual([]);
    f.reqs.appliedUpTo(5);
    expect(f.sent.map((s) => [s.resp.id, s.resp.ok, s.resp.result?.kv?.value])).toEqual([[7, true, 'v']]);
  });

  it('reads that arrive while a round is in flight share the next round: one ReadIndex a round, not one a read', () => {
    const f = fakeMember({ leader: 1 });
    f.reqs.receive('c', req(1, { kind: 'get', key: '/a' }));
    f.reqs.receive('c', req(2, { kind: 'get', key: '/a' }));
    f.reqs.receive('d', req(3, { kind: 'health' }));
    expect(f.readIndexes).toEqual(['1.1']);
    f.reqs.readState(4, '1.1');
    f.reqs.appliedUpTo(4);
    // The first round served the read that started it; the two that came later go in the second.
    expect(f.sent.map((s) => s.resp.id)).toEqual([1]);
    expect(f.readIndexes).toEqual(['1.1', '1.2']);
    f.reqs.readState(6, '1.2');
    f.reqs.appliedUpTo(6);
    expect(f.sent.map((s) => [s.to, s.resp.id, s.resp.ok])).toEqual([['c', 1, true], ['c', 2, true], ['d', 3, true]]);
    // Idle again: the next read starts a round at once.
    f.reqs.receive('c', req(4, { kind: 'get', key: '/a' }));
    expect(f.readIndexes).toEqual(['1.1', '1.2', '1.3']);
  });

  it('a round with no grant within the request timeout fails its reads; a late grant for it serves nobody', () => {
    const f = fakeMember({ leader: 1 });
    f.reqs.receive('c', req(7, { kind: 'get', key: '/a' }));
    f.fire('read-round'); // requestCurrentIndex's errorTimer
    expect(f.sent.map((s) => s.resp.error)).toEqual(['etcdserver: request timed out']);
    f.reqs.receive('c', req(7, { kind: 'get', key: '/a' }));
    expect(f.readIndexes).toEqual(['1.1', '1.2']);
    f.reqs.readState(3, '1.1');
    f.reqs.appliedUpTo(10);
    expect(f.sent.length).toBe(1);
    f.reqs.readState(3, '1.2');
    f.reqs.appliedUpTo(10);
    expect(f.sent.map((s) => s.resp.ok)).toEqual([false, true]);
  });

  it('retries an unanswered ReadIndex every read-retry, and a /health that times out answers unhealthy rather than an error', () => {
    const f = fakeMember({ leader: 1 });
    f.reqs.receive('c', req(1, { kind: 'health' }));
    expect(f.readIndexes.length).toBe(1);
    f.fire('read-retry');
    f.fire('read-retry');
    // Re-sent with the same request id: a grant for any of them serves the round.
    expect(f.readIndexes).toEqual(['1.1', '1.1', '1.1']);
    f.fire('req:c#1');
    expect(f.sent.map((s) => s.resp)).toEqual([{ type: 'etcd.resp', id: 1, ok: true, health: { health: false, reason: 'etcdserver: request timed out' } }]);
  });

  it('a stopping member refuses new requests and failAll answers every pending one', () => {
    const f = fakeMember({ leader: 1 });
    f.reqs.receive('c', req(1, { kind: 'put', key: '/a', value: 1 }));
    f.reqs.receive('c', req(2, { kind: 'get', key: '/a' }));
    f.reqs.failAll('etcdserver: server stopped');
    (f.member as unknown as { isStopping: boolean }).isStopping = true;
    f.reqs.receive('c', req(3, { kind: 'get', key: '/a' }));
    expect(f.sent.map((s) => [s.resp.id, s.resp.ok, s.resp.error])).toEqual([
      [1, false, 'etcdserver: server stopped'], [2, false, 'etcdserver: server stopped'], [3, false, 'etcdserver: server stopped'],
    ]);
    // An apply for the failed write, arriving later, answers nobody twice.
    f.reqs.applied('1.1', f.kv.apply({ kind: 'put', key: '/a', value: 1 } as KvOp));
    expect(f.sent.length).toBe(3);
  });
});
