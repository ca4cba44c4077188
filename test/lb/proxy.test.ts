// haproxy `mode tcp` proxying rules: round-robin, pinned connections, retries, errors, bounded state.
import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/kernel/time.ts';
import { at, lbWorld, type Call } from './helpers.ts';

const LB = 'lb-1/haproxy';
const [M1, M2, M3] = [1, 2, 3].map((j) => `master-${j}/kube-apiserver`);

/** One request per new connection, every `gapUs` from `startUs`. */
function freshConns(n: number, startUs: number, gapUs = 100 * MS): Call[] {
  return Array.from({ length: n }, (_, i) => ({ at: startUs + i * gapUs, to: LB, conn: `c${startUs}-${i}` }));
}

describe('proxying', () => {
  it('new connections go round-robin over the UP backends', () => {
    const w = lbWorld({ calls: freshConns(6, 5 * SECOND) });
    w.sim.run({ untilUs: 10 * SECOND });
    expect(w.replies.map((r) => r.servedBy)).toEqual([M1, M2, M3, M1, M2, M3]);
    expect(w.replies.every((r) => r.status === 200 && r.from === LB)).toBe(true);
  });

  it('round-robin skips a DOWN backend', () => {
    const w = lbWorld({ calls: freshConns(4, 20 * SECOND) });
    at(w.sim, 5 * SECOND, () => (w.ctl[1]!.readyz = 500));
    w.sim.run({ untilUs: 25 * SECOND });
    expect(w.replies.map((r) => r.servedBy)).toEqual([M1, M3, M1, M3]);
  });

  it('an established connection stays on its backend after it is marked DOWN (on-marked-down: no action)', () => {
    const calls: Call[] = [1, 20, 21, 22].map((s) => ({ at: s * SECOND, to: LB, conn: 'A' }));
    calls.push({ at: 20.5 * SECOND, to: LB, conn: 'B' });
    const w = lbWorld({ calls });
    at(w.sim, 5 * SECOND, () => (w.ctl[0]!.readyz = 500)); // master-1 marked DOWN but still serves
    w.sim.run({ untilUs: 25 * SECOND });
    const byCall = new Map(w.replies.map((r) => [r.call, r]));
    expect([0, 1, 2, 3].map((i) => byCall.get(i)!.servedBy)).toEqual([M1, M1, M1, M1]);
    expect(byCall.get(4)!.servedBy).not.toBe(M1);
  });

  it('... until the backend resets it: 502, and the next request opens a new connection elsewhere', () => {
    const calls: Call[] = [1, 11, 12].map((s) => ({ at: s * SECOND, to: LB, conn: 'A' }));
    const w = lbWorld({ calls });
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.kill(w.backends[0]!, 'crash'));
    w.sim.run({ untilUs: 20 * SECOND });
    const [first, reset, again] = w.replies;
    expect(first!.servedBy).toBe(M1);
    expect(reset!.status).toBe(502);
    expect(reset!.error).toContain('reset');
    expect(again!.status).toBe(200);
    expect(again!.servedBy).not.toBe(M1);
  });

  it('a refused backend not yet marked DOWN: retries + redispatch serve the request from another backend', () => {
    const w = lbWorld({ calls: [{ at: 5 * SECOND, to: LB, conn: 'new' }], latencyUs: 1000, jitterUs: 0 });
    at(w.sim, 4 * SECOND, (s) => s.lifecycle.kill(w.backends[0]!, 'crash')); // DOWN only at 8–10 s
    w.sim.run({ untilUs: 6 * SECOND });
    const r = w.replies[0]!;
    expect(r.status).toBe(200);
    expect(r.servedBy).toBe(M2);
    // client→lb, SYN refused (1 round trip), SYN to master-2 (1 round trip), request (1), lb→client: 8 ms.
    expect(r.at - r.sentAt).toBe(8 * MS);
  });

  it('retries 0 (no redispatch): a refused connect is a 503', () => {
    const w = lbWorld({ calls: [{ at: 5 * SECOND, to: LB }], haproxy: { retries: 0 } });
    at(w.sim, 4 * SECOND, (s) => s.lifecycle.kill(w.backends[0]!, 'crash'));
    w.sim.run({ untilUs: 6 * SECOND });
    expect(w.replies[0]!.status).toBe(503);
    expect(w.replies[0]!.error).toContain('connection refused');
  });

  it('retries without redispatch wait the turn-around (min(timeout connect, 1 s)) and stay on the same server', () => {
    const w = lbWorld({ calls: [{ at: 5 * SECOND, to: LB }], haproxy: { retries: 2, redispatch: false }, latencyUs: 1000, jitterUs: 0 });
    at(w.sim, 4 * SECOND, (s) => s.lifecycle.kill(w.backends[0]!, 'crash'));
    w.sim.run({ untilUs: 10 * SECOND });
    const r = w.replies[0]!;
    expect(r.status).toBe(503);
    // Three refused connects (2 ms each) with two 1 s turn-arounds between them, plus the client's round trip.
    expect(r.at - r.sentAt).toBe(2 * SECOND + 8 * MS);
  });

  it('no UP backend: 503 at once', () => {
    const w = lbWorld({ calls: [{ at: 20 * SECOND, to: LB }], latencyUs: 1000, jitterUs: 0 });
    at(w.sim, 5 * SECOND, () => w.ctl.forEach((c) => (c.readyz = 500)));
    w.sim.run({ untilUs: 21 * SECOND });
    const r = w.replies[0]!;
    expect(r.status).toBe(503);
    expect(r.error).toBe('haproxy: no server available');
    expect(r.at - r.sentAt).toBe(2 * MS);
  });

  it('timeout server: a black-holed established connection answers 504 after 20 s, then the connection is gone', () => {
    const calls: Call[] = [1, 6, 30].map((s) => ({ at: s * SECOND, to: LB, conn: 'A' }));
    const w = lbWorld({ calls, latencyUs: 1000, jitterUs: 0 });
    at(w.sim, 5 * SECOND, (s) => s.lifecycle.killMachine(s.machine('master-1')!, 'power off'));
    w.sim.run({ untilUs: 40 * SECOND });
    const [first, stuck, after] = w.replies;
    expect(first!.servedBy).toBe(M1);
    expect(stuck!.status).toBe(504);
    expect(stuck!.at - stuck!.sentAt).toBe(20 * SECOND + 2 * MS);
    expect(after!.servedBy).not.toBe(M1);
  });

  it('a busy connection is not idle: requests answered within timeout server keep it open', () => {
    const calls: Call[] = Array.from({ length: 30 }, (_, i) => ({ at: (1 + i) * SECOND, to: LB, conn: 'A' }));
    const w = lbWorld({ calls });
    w.sim.run({ untilUs: 35 * SECOND });
    expect(new Set(w.replies.map((r) => r.servedBy))).toEqual(new Set([M1]));
  });

  it('responses reach the right client with the right id', () => {
    const plan = (path: string): Call[] => Array.from({ length: 20 }, (_, i) => ({ at: SECOND + i * 7 * MS, to: LB, path: `${path}/${i}` }));
    const w = lbWorld({ clients: { alice: plan('/a'), bob: plan('/b') }, latencyUs: 500, jitterUs: 400 });
    w.sim.run({ untilUs: 3 * SECOND });
    for (const [name, prefix] of [['alice', '/a'], ['bob', '/b']] as const) {
      const replies = w.repliesOf[name]!;
      expect(replies.length).toBe(20);
      for (const r of replies) expect(r.path).toBe(`${prefix}/${r.id - 1}`);
    }
  });

  it('etcd requests are relayed as etcd.resp, and failures are etcd.resp {ok: false}', () => {
    const calls: Call[] = [{ at: SECOND, to: LB, protocol: 'etcd' }, { at: 20 * SECOND, to: LB, protocol: 'etcd', conn: 'x' }];
    const w = lbWorld({ check: 'etcd-health', etcd: true, calls });
    at(w.sim, 5 * SECOND, () => w.ctl.forEach((c) => (c.etcdHealthy = false)));
    w.sim.run({ untilUs: 21 * SECOND });
    expect(w.replies.map((r) => [r.ok, r.servedBy, r.error])).toEqual([
      [true, 'etcd-1/etcd', undefined],
      [false, undefined, 'haproxy: no server available'],
    ]);
  });

  it('bookkeeping is bounded: nothing pending after the replies, idle connections closed after timeout server', () => {
    const w = lbWorld({ calls: freshConns(50, SECOND, 10 * MS) });
    w.sim.run({ untilUs: 3 * SECOND });
    expect(w.replies.length).toBe(50);
    expect(w.haproxy().proxy.pendingRequests).toBe(0);
    expect(w.haproxy().proxy.openConnections).toBe(50);
    w.sim.run({ untilUs: 25 * SECOND });
    expect(w.haproxy().proxy.openConnections).toBe(0);
  });
});
