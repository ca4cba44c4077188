// The web UI's state at time t: folding from a checkpoint equals folding from the start; lanes and steps.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/trace.ts';
import { Track } from '../../web/src/track.ts';
import { axisFormat } from '../../web/src/views/ticks.ts';
import { Player } from '../../web/src/player.ts';
import { apply, emptyState, leadersOf } from '../../web/src/state.ts';
import { CHECKPOINT_EVERY, countUpTo, Store } from '../../web/src/store.ts';
import { mulberry32 } from '../kernel/prng.ts';
import { observation, type LooseObservation } from '../observations.ts';

const MEMBERS = ['master-1/etcd', 'master-2/etcd', 'master-3/etcd'];

/** A long, varied stream of observations of every kind the page reads (plus one it must ignore). */
function synthetic(n: number, seed = 7): Observation[] {
  const rng = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  // Loose on purpose: partial details and a kind nothing emits, which readers must skip.
  const out: LooseObservation[] = [];
  let at = 0;
  let term = 1;
  for (let i = 0; i < n; i++) {
    at += Math.floor(rng() * 50_000);
    const member = pick(MEMBERS);
    const r = rng();
    if (r < 0.2) out.push({ at, kind: 'probe', subject: 'client', detail: { op: pick(['read', 'write']), ok: rng() < 0.8, latencyMs: 3 } });
    else if (r < 0.35) out.push({ at, kind: 'etcd', subject: member, detail: { member: member.replace(/^master-(\d).*/, 'etcd-$1'), role: pick(['follower', 'candidate', 'leader']), term: (term += rng() < 0.1 ? 1 : 0), leader: null } });
    else if (r < 0.5) out.push({ at, kind: 'leader', subject: pick([member, 'master-2/kube-scheduler']), detail: { group: pick(['etcd', 'kube-scheduler']), leading: rng() < 0.5, cause: 'x', term } });
    else if (r < 0.6) out.push({ at, kind: 'process', subject: member, detail: { state: pick(['up', 'down', 'paused', 'backoff']), cause: 'fault' } });
    else if (r < 0.65) out.push({ at, kind: 'machine', subject: pick(['master-1', 'lb-1']), detail: { state: pick(['up', 'down']), cause: 'fault' } });
    else if (r < 0.7) out.push({ at, kind: 'network', subject: 'network', detail: { partition: rng() < 0.5 ? [['master-1']] : null, cuts: [], isolated: rng() < 0.3 ? ['lb-1'] : [] } });
    else if (r < 0.75) out.push({ at, kind: 'fault', subject: 'kill master-1', detail: { verb: 'kill', index: i % 5, phase: pick(['begin', 'end']), text: 'kill master-1', forSeconds: 3 } });
    else if (r < 0.8) out.push({ at, kind: 'lb-backend', subject: 'lb-1/haproxy', detail: { backend: pick(['master-1', 'master-2']), state: pick(['UP', 'DOWN']) } });
    else if (r < 0.85) out.push({ at, kind: 'node', subject: 'master-1/kube-controller-manager', detail: { node: pick(['worker-1', 'worker-2']), ...(rng() < 0.3 ? { taint: rng() < 0.5 } : { ready: rng() < 0.7 }) } });
    else if (r < 0.9) {
      const [pod, node, how] = [`pod-${Math.floor(rng() * 6)}`, pick(['worker-1', 'worker-2']), pick(['running', 'stopped', 'evicted'])];
      out.push({ at, kind: 'pod', subject: how === 'evicted' ? 'master-1/kube-controller-manager' : `${node}/kubelet`, detail: { pod, node, ...(how === 'evicted' ? { evicted: true } : { running: how === 'running' }) } });
    }
    else if (r < 0.95) out.push({ at, kind: 'vip', subject: pick(['lb-1/keepalived', 'lb-2/keepalived']), detail: { holder: pick(['lb-1', 'lb-2', null]), state: 'MASTER' } });
    else out.push({ at, kind: 'some-future-kind', subject: 'x', detail: { anything: [1, 2] } });
  }
  return out.map((o) => observation(o.at, o.kind, o.subject, o.detail));
}

function foldFromScratch(obs: readonly Observation[], t: number) {
  const s = emptyState();
  for (const o of obs) if (o.at <= t) apply(s, o);
  return s;
}

describe('state at time t', () => {
  const obs = synthetic(5 * CHECKPOINT_EVERY + 321);
  const store = new Store();
  // Arrives in chunks, as from the worker.
  for (let i = 0; i < obs.length; i += 777) store.append(obs.slice(i, i + 777), obs[Math.min(i + 776, obs.length - 1)]!.at, 0);
  const end = obs[obs.length - 1]!.at;

  it('equals the fold from the start, at any time, seeking forward and backward', () => {
    const rng = mulberry32(3);
    const times = [0, end, end + 1, obs[CHECKPOINT_EVERY]!.at, ...Array.from({ length: 40 }, () => Math.floor(rng() * end))];
    for (const t of [...times, ...times.reverse()]) expect(store.stateAt(t)).toEqual(foldFromScratch(obs, t));
  });

  it('a fresh fold from the nearest checkpoint equals the fold from the start', () => {
    for (const n of [0, 1, CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY, 3 * CHECKPOINT_EVERY + 5, obs.length]) {
      expect(store.foldFromCheckpoint(n)).toEqual(foldFromScratch(obs.slice(0, n), Infinity));
    }
  });

  it('countUpTo includes observations at exactly t', () => {
    expect(countUpTo(obs, obs[10]!.at)).toBeGreaterThan(10);
    expect(countUpTo(obs, -1)).toBe(0);
  });

  it('a dead or paused member leads nobody, as the report counts it', () => {
    const s = emptyState();
    apply(s, { at: 1, kind: 'leader', subject: 'master-1/etcd', detail: { group: 'etcd', leading: true, cause: 'won' } });
    expect(leadersOf(s, 'etcd')).toEqual(['master-1/etcd']);
    apply(s, { at: 2, kind: 'process', subject: 'master-1/etcd', detail: { state: 'paused', cause: 'fault' } });
    expect(leadersOf(s, 'etcd')).toEqual([]);
    apply(s, { at: 3, kind: 'process', subject: 'master-1/etcd', detail: { state: 'down', cause: 'fault' } });
    apply(s, { at: 4, kind: 'process', subject: 'master-1/etcd', detail: { state: 'up', cause: 'start' } });
    expect(leadersOf(s, 'etcd')).toEqual([]);
  });
});

describe('timeline lanes', () => {
  it('a track keeps the last state set at one instant and merges repeats', () => {
    const t = new Track();
    t.set(0, 'up', '');
    t.set(10, 'down', 'a');
    t.set(10, 'up', '');
    t.set(20, 'up', '');
    t.extend(30);
    expect(t.segs).toEqual([{ from: 0, to: 30, key: 'up', text: '' }]);
    t.set(40, 'down', 'b');
    expect(t.at(35)?.key).toBe('up');
    expect(t.at(40)?.key).toBe('down');
  });

  it('step goes to the next and previous change, skipping routine probes; a probe changes at its send time', () => {
    const store = new Store();
    const probe = (at: number, ok: boolean, latencyMs = 1): Observation => ({ at, kind: 'probe', subject: 'client', detail: { op: 'read', ok, latencyMs } });
    store.append([probe(1e6, true), probe(2e6, true), probe(3e6 + 5000, false, 5), { at: 5e6, kind: 'machine', subject: 'm', detail: { state: 'down', cause: 'x' } }, probe(6e6, false)], 10e6, 0);
    const p = new Player();
    expect(store.steps).toEqual([1e6 - 1000, 3e6, 5e6]);
    p.t = 1e6;
    expect(p.next(store)).toBe(3e6);
    p.t = 5e6;
    expect(p.previous(store)).toBe(3e6);
  });

  it('a probe that waits is drawn from its send time as hanging, then its outcome; answers may come out of order', () => {
    const store = new Store();
    const probe = (at: number, ok: boolean, latencyMs: number): Observation => ({ at, kind: 'probe', subject: 'client', detail: { op: 'write', ok, latencyMs } });
    // Sent at 30 s and 31 s, timed out 5 s later; sent at 32 s, answered in 5 ms (reported before the timeouts).
    store.append([probe(32_005_000, true, 5), probe(35e6, false, 5000), probe(36e6, false, 5000)], 40e6, 0);
    const track = store.lanes.probes.write.track;
    expect(track.at(30.5e6)?.key).toBe('hang');
    expect(track.at(31.5e6)?.key).toBe('hang');
    expect(track.at(32.5e6)?.key).toBe('ok');
    expect(track.segs.map((s) => s.from)).toEqual([30e6, 31e6, 32e6]);
  });

  it('slow motion: a burst of changes milliseconds apart plays slowly, routine seconds-apart changes at the chosen speed', () => {
    const p = new Player();
    p.setSpeed(10);
    const clock = { duration: 100e6, computedUntil: 100e6, done: true, steps: [10e6, 12e6, 31_777_000, 31_777_400, 31_778_000, 40e6] };
    expect(p.speedAt(11e6, clock)).toBe(10);
    // 400 µs between two changes: held for 300 ms of wall time.
    expect(p.speedAt(31_777_100, clock)).toBeCloseTo(400 / 300_000);
    p.autoSlow = false;
    expect(p.speedAt(31_777_100, clock)).toBe(10);
    p.autoSlow = true;
    p.setSpeed(1000); // skimming: no slow motion
    expect(p.speedAt(31_777_100, clock)).toBe(1000);
    p.setSpeed(0.001);
    expect(p.speed).toBe(0.001);
  });

  it('the axis keeps enough decimals below a millisecond', () => {
    expect(axisFormat([31_777_000, 31_779_000], [31_777_000, 31_777_500])(31_777_500)).toBe('31.7775s');
    expect(axisFormat([0, 90e6], [0, 15e6])(45e6)).toBe('45s');
    expect(axisFormat([0, 7200e6], [0, 900e6])(5400e6)).toBe('1h30m');
  });
});
