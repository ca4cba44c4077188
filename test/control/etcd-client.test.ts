// The apiserver's etcd client against scripted etcd members: TCP_USER_TIMEOUT, idle-only keepalive, retries, wait-for-ready, back-off.
import { describe, expect, it } from 'vitest';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import type { Sim } from '../../src/kernel/sim.ts';
import { EtcdClient } from '../../src/control/etcd-client.ts';
import type { EtcdRequest, EtcdResponse } from '../../src/etcd/requests.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

const TARGETS = ['e1/etcd', 'e2/etcd', 'e3/etcd'];

interface Seen { at: number; from: string; kind: string; id: number }

/** Three scripted etcd members that answer every request at once, logging what they get. */
function members(sim: Sim, seen: Seen[], autostart = true): void {
  for (const id of TARGETS) {
    const p = proc(sim, id, {
      message(ctx, from, msg) {
        if (msg.type !== 'etcd.req') return;
        const req = msg as unknown as EtcdRequest;
        seen.push({ at: sim.now, from: id, kind: req.op.kind, id: req.id });
        ctx.send(from, { type: 'etcd.resp', id: req.id, ok: true, result: { revision: 1, succeeded: true } } satisfies EtcdResponse);
      },
    });
    if (autostart) startAt(sim, p);
  }
}

interface Done { at: number; ok: boolean; error?: string }

/** A client process whose calls are made by `plan` (true µs → op) and whose answers are collected. */
function client(sim: Sim, plan: [number, 'get' | 'put', number][]): { done: Done[]; ctx: () => Ctx } {
  const done: Done[] = [];
  let c: EtcdClient;
  let context: Ctx;
  const p = proc(sim, 'api/kube-apiserver', {
    start(ctx) {
      context = ctx;
      c = new EtcdClient(ctx, TARGETS, 'all');
      plan.forEach(([at, kind, timeoutUs], i) => ctx.setTimer(`plan:${i}`, at, [kind, timeoutUs]));
    },
    message(_ctx, _from, msg: Msg) {
      c.onMessage(msg);
    },
    timer(ctx, name, data) {
      if (c.onTimer(name, data)) return;
      const [kind, timeoutUs] = data as ['get' | 'put', number];
      const op = kind === 'get' ? { kind: 'get' as const, key: '/k' } : { kind: 'put' as const, key: '/k', value: 1 };
      c.request(op, timeoutUs, (r) => done.push({ at: sim.now, ok: r.ok, error: r.error }));
      void ctx;
    },
    refused(_ctx, to, msg) {
      c.onRefused(to, msg);
    },
  });
  startAt(sim, p);
  return { done, ctx: () => context };
}

function closes(sim: Sim, endpoint: string): number[] {
  return sim.trace.observations.filter((o) => o.kind === 'etcd-client' && o.detail['endpoint'] === endpoint && o.detail['ready'] === false).map((o) => o.at);
}

const S = 1_000_000;

describe('etcd client (clientv3 over grpc-go)', () => {
  it('drops a powered-off endpoint about 10 s after a request to it went unacknowledged (TCP_USER_TIMEOUT), not after a keepalive round', () => {
    const sim = world({ latencyUs: 1000 });
    const seen: Seen[] = [];
    members(sim, seen);
    // A request every 100 ms from 1 s on; e2 goes dark at 5 s.
    const plan: [number, 'get' | 'put', number][] = Array.from({ length: 200 }, (_, i) => [S + i * 100_000, 'put', 60 * S]);
    client(sim, plan);
    sim.at(5 * S, 'dark', (s) => s.lifecycle.killMachine(s.machine('e2')!, 'test'));
    sim.run({ untilUs: 40 * S });
    const firstUnanswered = seen.filter((x) => x.from === 'e2/etcd' && x.kind === 'put').at(-1)!.at;
    const closed = closes(sim, 'e2/etcd');
    expect(closed.length).toBe(1);
    const sinceSend = (closed[0]! - firstUnanswered) / S;
    expect(sinceSend).toBeGreaterThan(9.5);
    expect(sinceSend).toBeLessThan(10.5);
  });

  it('sends keepalive pings only after 30 s with nothing received', () => {
    const sim = world();
    const seen: Seen[] = [];
    members(sim, seen);
    // Busy for 100 s (a request each second), then idle.
    client(sim, Array.from({ length: 100 }, (_, i) => [S + i * S, 'get', 5 * S] as [number, 'get', number]));
    sim.run({ untilUs: 160 * S });
    const pings = seen.filter((x) => x.kind === 'health' && x.id < 0 && x.at > S);
    expect(pings.filter((x) => x.at < 100 * S)).toEqual([]);
    // Each member last answered at ≤ 100 s: a ping about 30 s later.
    expect(pings.length).toBeGreaterThanOrEqual(3);
    for (const p of pings.slice(0, 3)) expect(p.at / S).toBeGreaterThan(128);
  });

  it('retries a read whose transport closed on another endpoint; a write fails', () => {
    const sim = world();
    const seen: Seen[] = [];
    members(sim, seen);
    // e1 goes dark at 2 s; a get and a put at 3 s: round robin starts where it left off.
    const { done } = client(sim, [[2.5 * S, 'get', 60 * S], [2.6 * S, 'get', 60 * S], [2.7 * S, 'get', 60 * S], [2.8 * S, 'put', 60 * S], [2.9 * S, 'put', 60 * S], [3.0 * S, 'put', 60 * S]]);
    sim.at(2 * S, 'dark', (s) => s.lifecycle.killMachine(s.machine('e1')!, 'test'));
    sim.run({ untilUs: 30 * S });
    expect(done.length).toBe(6);
    const failed = done.filter((d) => !d.ok);
    // Exactly the write that went to e1 fails, about 10 s later; the read that went there is retried and succeeds.
    expect(failed.length).toBe(1);
    expect(failed[0]!.error).toMatch(/closed/);
    expect(done.filter((d) => d.ok).length).toBe(5);
  });

  it('waits for a ready endpoint until the deadline instead of failing at once (wait-for-ready)', () => {
    const sim = world();
    const seen: Seen[] = [];
    members(sim, seen, false);
    const { done } = client(sim, [[100_000, 'get', 10 * S], [200_000, 'put', 1 * S]]);
    // Nothing listens until e3 starts at 3 s.
    sim.at(3 * S, 'up', (s) => s.lifecycle.start(s.process('e3/etcd')!, 'test'));
    sim.run({ untilUs: 20 * S });
    const byTime = [...done].sort((a, b) => a.at - b.at);
    expect(byTime[0]).toMatchObject({ ok: false, error: 'context deadline exceeded' });
    expect(byTime[0]!.at / S).toBeCloseTo(1.2, 1);
    expect(byTime[1]!.ok).toBe(true);
    expect(byTime[1]!.at / S).toBeGreaterThan(3);
  });

  it('reconnects to a refusing endpoint with grpc back-off: 1 s × 1.6ⁿ ± 20 %', () => {
    const sim = world();
    const seen: Seen[] = [];
    members(sim, seen);
    sim.at(1, 'stop e1', (s) => s.lifecycle.kill(s.process('e1/etcd')!, 'test', true));
    const refusedAt: number[] = [];
    // Each connect attempt is one message to e1 (its handshake), refused.
    sim.onTransmit = (from, to, type, at) => {
      if (from === 'api/kube-apiserver' && to === 'e1/etcd' && type === 'etcd.req') refusedAt.push(at);
    };
    client(sim, []);
    sim.run({ untilUs: 60 * S });
    const gaps = refusedAt.slice(1).map((t, i) => (t - refusedAt[i]!) / S);
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    gaps.slice(0, 6).forEach((g, n) => {
      const base = Math.min(120, 1.6 ** n);
      expect(g).toBeGreaterThanOrEqual(base * 0.8 - 0.01);
      expect(g).toBeLessThanOrEqual(base * 1.2 + 0.01);
    });
  });
});
