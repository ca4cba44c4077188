// haproxy health-check rules: scheduling, check kinds, refused vs black-holed, observations.
import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/kernel/time.ts';
import { at, lbWorld, observations, transitions } from './helpers.ts';
import { loose } from '../observations.ts';

const M1 = 'master-1/kube-apiserver';
const M2 = 'master-2/kube-apiserver';

/** True send times of the check connects (tcp.syn) haproxy sends to `backend`. */
function checkStarts(w: ReturnType<typeof lbWorld>, backend: string): number[] {
  const out: number[] = [];
  w.sim.onTransmit = (from, to, type, sentAt) => {
    if (from === 'lb-1/haproxy' && to === backend && type === 'tcp.syn') out.push(sentAt);
  };
  return out;
}

describe('check scheduling (haproxy check.c)', () => {
  it('the first check of each server runs at a random phase in [0, inter)', () => {
    const phases: number[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const w = lbWorld({ seed });
      const starts = checkStarts(w, M1);
      w.sim.run({ untilUs: 2 * SECOND });
      expect(starts.length).toBe(1);
      phases.push(starts[0]!);
    }
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(2 * SECOND);
    expect(new Set(phases).size).toBeGreaterThan(45);
  });

  it('the next check starts inter after the previous one completed: a cycle is check duration + inter', () => {
    const w = lbWorld({ latencyUs: 1000, jitterUs: 0 });
    const starts = checkStarts(w, M1);
    w.sim.run({ untilUs: 20 * SECOND });
    // An HTTP check: connect (1 round trip) then GET (1 round trip) = 4 ms, then inter.
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(new Set(gaps)).toEqual(new Set([2 * SECOND + 4 * MS]));
  });

  it('a tcp check is one round trip: the cycle is inter + 2 ms at 1 ms latency', () => {
    const w = lbWorld({ latencyUs: 1000, jitterUs: 0, check: 'tcp' });
    const starts = checkStarts(w, M1);
    w.sim.run({ untilUs: 20 * SECOND });
    expect(new Set(starts.slice(1).map((t, i) => t - starts[i]!))).toEqual(new Set([2 * SECOND + 2 * MS]));
  });
});

describe('observations', () => {
  it('every backend is reported UP at start (reason initial), with no note', () => {
    const w = lbWorld();
    w.sim.run({ untilUs: 1 });
    const initial = observations(w.sim, 'lb-backend').map((o) => o.detail);
    expect(initial).toEqual([M1, M2, 'master-3/kube-apiserver'].map((backend) => ({ backend, state: 'UP', reason: 'initial' })));
  });

  it('a transition carries backend, state, reason and a sentence', () => {
    const w = lbWorld();
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.kill(w.backends[1]!, 'test'));
    w.sim.run({ untilUs: 20 * SECOND });
    const down = observations(w.sim, 'lb-backend', (o) => loose(o)['state'] === 'DOWN');
    expect(down.map((o) => [o.subject, o.detail])).toEqual([['lb-1/haproxy', {
      backend: M2, state: 'DOWN', reason: 'connection refused',
      note: 'master-2/kube-apiserver marked DOWN after 3 failed /readyz checks (connection refused)',
    }]]);
  });

  it('servers start UP, but haproxy drops one that fails its very first check (health starts at rise)', () => {
    const w = lbWorld();
    w.sim.lifecycle.kill(w.backends[0]!, 'dead before the first check');
    w.sim.run({ untilUs: 3 * SECOND });
    const t = transitions(w.sim, 'lb-1/haproxy', M1);
    expect(t.map((x) => [x.state, x.note])).toEqual([
      ['DOWN', 'master-1/kube-apiserver marked DOWN after 1 failed /readyz check (connection refused)'],
    ]);
    expect(t[0]!.at).toBeLessThan(2 * SECOND + 10 * MS);
  });
});

describe('check kinds', () => {
  it('readyz marks a backend whose /readyz returns 500 DOWN', () => {
    const w = lbWorld({ check: 'readyz' });
    at(w.sim, 10 * SECOND, () => (w.ctl[0]!.readyz = 500));
    w.sim.run({ untilUs: 30 * SECOND });
    expect(transitions(w.sim, 'lb-1/haproxy', M1).map((t) => [t.state, t.reason])).toEqual([['DOWN', 'HTTP 500']]);
  });

  it('tcp keeps a backend whose /readyz and /healthz return 500 UP (the pitfall: the kernel still accepts connections)', () => {
    const w = lbWorld({ check: 'tcp' });
    at(w.sim, 10 * SECOND, () => Object.assign(w.ctl[0]!, { readyz: 500, healthz: 500 }));
    w.sim.run({ untilUs: 60 * SECOND });
    expect(transitions(w.sim, 'lb-1/haproxy', M1)).toEqual([]);
  });

  it('healthz follows /healthz only: /readyz 500 stays UP, /healthz 500 goes DOWN', () => {
    const w = lbWorld({ check: 'healthz' });
    at(w.sim, 10 * SECOND, () => (w.ctl[0]!.readyz = 500));
    at(w.sim, 30 * SECOND, () => (w.ctl[0]!.healthz = 500));
    w.sim.run({ untilUs: 60 * SECOND });
    const t = transitions(w.sim, 'lb-1/haproxy', M1);
    expect(t.map((x) => [x.state, x.reason])).toEqual([['DOWN', 'HTTP 500']]);
    expect(t[0]!.at).toBeGreaterThan(30 * SECOND);
  });

  it('etcd-health marks a member whose /health is false DOWN and brings it back when it is true again', () => {
    const w = lbWorld({ check: 'etcd-health', etcd: true });
    at(w.sim, 10 * SECOND, () => (w.ctl[2]!.etcdHealthy = false));
    at(w.sim, 30 * SECOND, () => (w.ctl[2]!.etcdHealthy = true));
    w.sim.run({ untilUs: 60 * SECOND });
    const t = transitions(w.sim, 'lb-1/haproxy', 'etcd-3/etcd');
    expect(t.map((x) => [x.state, x.reason])).toEqual([['DOWN', 'health false: RAFT NO LEADER'], ['UP', 'passed']]);
    expect(t[0]!.note).toBe('etcd-3/etcd marked DOWN after 3 failed etcd /health checks (health false: RAFT NO LEADER)');
    expect(t[1]!.note).toBe('etcd-3/etcd marked UP after 2 successful etcd /health checks');
  });

  it('a paused backend passes a tcp check (the OS answers the handshake) but fails an HTTP check by timeout', () => {
    for (const check of ['tcp', 'readyz'] as const) {
      const w = lbWorld({ check });
      at(w.sim, 10 * SECOND, (s) => s.lifecycle.pause(w.backends[0]!, 'SIGSTOP'));
      w.sim.run({ untilUs: 40 * SECOND });
      const t = transitions(w.sim, 'lb-1/haproxy', M1);
      if (check === 'tcp') expect(t).toEqual([]);
      else expect(t.map((x) => [x.state, x.reason])).toEqual([['DOWN', 'response timeout']]);
    }
  });

  it('a black-holed check fails at its timeout (inter), a refused one at once', () => {
    const w = lbWorld({ latencyUs: 1000, jitterUs: 0 });
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.killMachine(s.machine('master-1')!, 'power off'));
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.kill(w.backends[1]!, 'crash'));
    w.sim.run({ untilUs: 30 * SECOND });
    expect(transitions(w.sim, 'lb-1/haproxy', M1)[0]!.reason).toBe('connect timeout');
    expect(transitions(w.sim, 'lb-1/haproxy', M2)[0]!.reason).toBe('connection refused');
  });

  it('with timeout check set, the connect gets min(timeout connect, inter) and the response timeout check', () => {
    const w = lbWorld({ latencyUs: 1000, jitterUs: 0, haproxy: { timeoutCheckUs: 10 * SECOND, timeoutConnectUs: 1 * SECOND } });
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.killMachine(s.machine('master-1')!, 'power off'));
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.pause(w.backends[1]!, 'SIGSTOP'));
    w.sim.run({ untilUs: 60 * SECOND });
    // Black-holed connect: three 1 s timeouts and two inter gaps after a phase in [0, 2 s): 7–9 s.
    const blackholed = transitions(w.sim, 'lb-1/haproxy', M1)[0]!;
    expect(blackholed.reason).toBe('connect timeout');
    expect(blackholed.at - 10 * SECOND).toBeGreaterThanOrEqual(7 * SECOND);
    expect(blackholed.at - 10 * SECOND).toBeLessThanOrEqual(9 * SECOND + 10 * MS);
    // Paused backend: connected, then the response waits `timeout check` (10 s): three failures ≈ 3 × 12 s.
    const paused = transitions(w.sim, 'lb-1/haproxy', M2)[0]!;
    expect(paused.reason).toBe('response timeout');
    expect(paused.at - 10 * SECOND).toBeGreaterThan(30 * SECOND);
  });
});
