// keepalived VRRP rules: master-down interval, preemption, vrrp_script weight, the VIP as clients see it.
import { describe, expect, it } from 'vitest';
import { streamFor } from '../../src/kernel/random.ts';
import type { Sim as KernelSim } from '../../src/kernel/sim.ts';
import type { Network } from '../../src/net/network.ts';

type Sim = KernelSim<Network>;
import { MS, SECOND } from '../../src/kernel/time.ts';
import { masterDownUs, skewUs } from '../../src/lb/keepalived.ts';
import { at, observations, summary, vipWorld, type Call } from './helpers.ts';
import { loose } from '../observations.ts';

/** `[true time, machine]` of every instance becoming MASTER. */
function masters(sim: Sim): [number, string][] {
  return observations(sim, 'vip', (o) => loose(o)['state'] === 'MASTER').map((o) => [o.at, String(loose(o)['holder'])]);
}

function firstMasterAfter(sim: Sim, t: number): [number, string] | undefined {
  return masters(sim).find(([at]) => at > t);
}

/** A crash time spread over one advert interval, from the seed (the advert phase is otherwise fixed). */
function crashTime(seed: number, base: number): number {
  return base + streamFor(seed, 'test:crash').below(SECOND);
}

describe('VRRP timer arithmetic (keepalived vrrp.h, VRRPv2)', () => {
  it.each([
    [100, 609_375],
    [101, 605_468],
    [99, 613_281],
    [255, 3_906],
  ])('skew for priority %i is (256 − p)/256 s = %i µs', (p, us) => {
    expect(skewUs(p)).toBe(us);
  });

  it('master-down interval = 3 × advert_int + skew: 3.609375 s for priority 100 at advert_int 1 s', () => {
    expect(masterDownUs(SECOND, 100)).toBe(3_609_375);
    expect(masterDownUs(2 * SECOND, 101)).toBe(6_605_468);
  });
});

describe('keepalived', () => {
  it('everyone starts BACKUP; lb-1 (priority 101) is first to time out and holds the VIP from ≈3.6 s', () => {
    const w = vipWorld();
    w.sim.run({ untilUs: 30 * SECOND });
    expect(masters(w.sim)).toEqual([[masterDownUs(SECOND, 101), 'lb-1']]);
    expect(w.sim.aliases.get('vip')).toBe('lb-1/haproxy');
    const first = observations(w.sim, 'vip')[0]!;
    expect(first.subject).toBe('lb-1/keepalived');
    expect(first.detail).toEqual({
      holder: 'lb-1', state: 'MASTER', priority: 101,
      note: 'lb-1 became VRRP MASTER (priority 101) and took the VIP: no advert from a stronger peer for 3.605468s',
    });
  });

  it('holder crash: the backup takes over exactly 3 × advert_int + skew after the last advert it heard', () => {
    const sinceCrash: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const w = vipWorld({ seed });
      const crash = crashTime(seed, 20 * SECOND);
      let lastAdvert = 0;
      w.sim.onTransmit = (from, to, type, sentAt, arriveAt) => {
        if (from === 'lb-1/keepalived' && to === 'lb-2/keepalived' && type === 'vrrp.advert' && sentAt < crash) lastAdvert = arriveAt;
      };
      at(w.sim, crash, (s) => s.lifecycle.killMachine(s.machine('lb-1')!, 'power off'));
      w.sim.run({ untilUs: 40 * SECOND });
      const next = firstMasterAfter(w.sim, crash);
      expect(next?.[1], `seed ${seed}`).toBe('lb-2');
      expect(next![0] - lastAdvert, `seed ${seed}`).toBe(masterDownUs(SECOND, 100));
      expect(w.sim.aliases.get('vip')).toBe('lb-2/haproxy');
      sinceCrash.push((next![0] - crash) / SECOND);
    }
    // Measured from the crash the takeover comes 3.61 s minus the time since the last advert: (2.61, 3.61].
    const s = summary(sinceCrash);
    expect(s.min).toBeGreaterThan(2.6);
    expect(s.max).toBeLessThanOrEqual(3.61);
    expect(s.max - s.min).toBeGreaterThan(0.9);
  });

  it('preempt: lb-1 takes the VIP back ≈3.6 s after it returns, and lb-2 steps down on hearing it', () => {
    const w = vipWorld();
    at(w.sim, 20 * SECOND, (s) => s.lifecycle.killMachine(s.machine('lb-1')!, 'power off'));
    at(w.sim, 40 * SECOND, (s) => s.lifecycle.startMachine(s.machine('lb-1')!, 'power on'));
    w.sim.run({ untilUs: 60 * SECOND });
    const back = firstMasterAfter(w.sim, 40 * SECOND)!;
    expect(back[1]).toBe('lb-1');
    // lb-1 discards lb-2's lower-priority adverts, so its own master-down timer runs out.
    expect(back[0] - 40 * SECOND).toBe(masterDownUs(SECOND, 101));
    const left = observations(w.sim, 'vip', (o) => o.subject === 'lb-2/keepalived' && loose(o)['state'] === 'BACKUP');
    expect(left.length).toBe(1);
    expect(left[0]!.at - back[0]).toBeLessThan(1 * MS);
    expect(loose(left[0]!)['note']).toBe('lb-2 left VRRP MASTER: heard lb-1 advertise priority 101 (ours 100)');
    expect(w.sim.aliases.get('vip')).toBe('lb-1/haproxy');
  });

  it('a holder whose haproxy died loses the VIP after the vrrp_script fall (10 × 3 s) and one master-down interval', () => {
    const delays: number[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const w = vipWorld({ seed });
      const kill = crashTime(seed, 20 * SECOND) + streamFor(seed, 'test:phase').below(3 * SECOND);
      at(w.sim, kill, (s) => s.lifecycle.kill(s.process('lb-1/haproxy')!, 'crash'));
      w.sim.run({ untilUs: 80 * SECOND });
      const failed = observations(w.sim, 'vrrp-script', (o) => o.subject === 'lb-1/keepalived' && loose(o)['state'] === 'failed');
      expect(failed.length, `seed ${seed}`).toBe(1);
      expect((failed[0]!.at - kill) / SECOND).toBeGreaterThan(27);
      expect((failed[0]!.at - kill) / SECOND).toBeLessThanOrEqual(30.01);
      expect(loose(failed[0]!)['note']).toBe('chk_haproxy failed 10 times (lb-1/haproxy: connection refused): priority 101 → 99');
      const next = firstMasterAfter(w.sim, kill)!;
      expect(next[1]).toBe('lb-2');
      delays.push((next[0] - kill) / SECOND);
    }
    const s = summary(delays);
    expect(s.min).toBeGreaterThan(29.5);
    expect(s.max).toBeLessThan(33.7);
  });

  it('the script recovers after rise (2) successes: lb-1 gets priority 101 back and preempts', () => {
    const w = vipWorld();
    at(w.sim, 20 * SECOND, (s) => s.lifecycle.kill(s.process('lb-1/haproxy')!, 'crash'));
    at(w.sim, 70 * SECOND, (s) => s.lifecycle.start(s.process('lb-1/haproxy')!, 'restart'));
    w.sim.run({ untilUs: 90 * SECOND });
    const ok = observations(w.sim, 'vrrp-script', (o) => loose(o)['state'] === 'ok');
    expect(ok.map((o) => loose(o)['note'])).toEqual(['chk_haproxy succeeded 2 times: priority 99 → 101']);
    expect((ok[0]!.at - 70 * SECOND) / SECOND).toBeLessThanOrEqual(6);
    expect(masters(w.sim).map(([, m]) => m)).toEqual(['lb-1', 'lb-2', 'lb-1']);
  });

  it('graceful stop of the MASTER: a priority 0 advert lets the backup take over after its skew', () => {
    const w = vipWorld();
    at(w.sim, 20 * SECOND, (s) => s.lifecycle.stop(s.process('lb-1/keepalived')!, 'systemctl stop'));
    w.sim.run({ untilUs: 30 * SECOND });
    const next = firstMasterAfter(w.sim, 20 * SECOND)!;
    expect(next[1]).toBe('lb-2');
    const note = loose(observations(w.sim, 'vip', (o) => o.at === next[0])[0]!)['note'];
    expect(note).toBe('lb-2 became VRRP MASTER (priority 100) and took the VIP: the MASTER resigned (priority 0 advert) 0.609375s ago');
    expect(next[0] - 20 * SECOND).toBeGreaterThanOrEqual(skewUs(100));
    expect(next[0] - 20 * SECOND).toBeLessThan(skewUs(100) + 1 * MS);
  });

  it('equal priorities: the higher address wins and the other steps down', () => {
    const w = vipWorld({ lbs: 2, priorities: [100, 100] });
    w.sim.run({ untilUs: 20 * SECOND });
    const vips = observations(w.sim, 'vip').map((o) => [loose(o)['holder'], o.subject]);
    // Both time out together, both claim; lb-1 hears lb-2 (higher address) and yields.
    expect(vips).toEqual([['lb-1', 'lb-1/keepalived'], ['lb-2', 'lb-2/keepalived'], [null, 'lb-1/keepalived']]);
    expect(w.sim.aliases.get('vip')).toBe('lb-2/haproxy');
  });

  it('a MASTER repeats its gratuitous ARP after garp_master_delay (5 s), repairing a stale address', () => {
    const w = vipWorld();
    const first = masterDownUs(SECOND, 101);
    at(w.sim, first + 1 * SECOND, (s) => s.setAlias('vip', 'lb-2/haproxy')); // a stale ARP entry
    w.sim.run({ untilUs: first + 5 * SECOND - 1 });
    expect(w.sim.aliases.get('vip')).toBe('lb-2/haproxy');
    w.sim.run({ untilUs: first + 5 * SECOND });
    expect(w.sim.aliases.get('vip')).toBe('lb-1/haproxy');
  });

  it('split brain: partitioned LBs are both MASTER; after the heal the lower one yields and the higher re-announces the VIP', () => {
    const w = vipWorld({ lbs: 2 });
    at(w.sim, 10 * SECOND, (s) => s.network.setPartition([['lb-1'], ['lb-2']]));
    at(w.sim, 30 * SECOND, (s) => s.network.healAll());
    w.sim.run({ untilUs: 29 * SECOND });
    expect(masters(w.sim).map(([, m]) => m)).toEqual(['lb-1', 'lb-2']);
    expect(w.sim.aliases.get('vip')).toBe('lb-2/haproxy'); // the last gratuitous ARP wins
    w.sim.run({ untilUs: 32 * SECOND });
    const left = observations(w.sim, 'vip', (o) => loose(o)['state'] === 'BACKUP');
    expect(left.map((o) => o.subject)).toEqual(['lb-2/keepalived']);
    expect(w.sim.aliases.get('vip')).toBe('lb-1/haproxy');
  });
});

describe('the VIP as a client sees it', () => {
  const EVERY = 100 * MS;
  const calls: Call[] = Array.from({ length: 300 }, (_, i) => ({ at: (i + 1) * EVERY, to: 'vip', conn: `c${i}` }));

  it('requests reach the holder\'s haproxy; before the first MASTER and while a dead holder keeps it, they vanish', () => {
    const w = vipWorld({ calls, seed: 3 });
    const crash = 15_050 * MS;
    at(w.sim, crash, (s) => s.lifecycle.killMachine(s.machine('lb-1')!, 'power off'));
    w.sim.run({ untilUs: 31 * SECOND });
    const first = masters(w.sim)[0]![0];
    const takeover = firstMasterAfter(w.sim, crash)![0];
    const answered = new Map(w.replies.map((r) => [r.call, r]));
    expect(w.replies.every((r) => !r.refused && r.status === 200)).toBe(true);
    for (const [i, c] of calls.entries()) {
      const r = answered.get(i);
      if (c.at < first) expect(r, `call at ${c.at}`).toBeUndefined();
      else if (c.at < crash - 5 * MS) expect(r?.from, `call at ${c.at}`).toBe('lb-1/haproxy');
      else if (c.at > crash && c.at < takeover) expect(r, `call at ${c.at}`).toBeUndefined();
      else if (c.at > takeover) expect(r?.from, `call at ${c.at}`).toBe('lb-2/haproxy');
    }
    const lost = calls.filter((c, i) => c.at > crash && c.at < takeover && !answered.has(i));
    expect(lost.length).toBeGreaterThan(25);
  });

  it('a holder whose haproxy is dead (keepalived alive) refuses connections on the VIP until the VIP moves', () => {
    const w = vipWorld({ calls });
    at(w.sim, 10 * SECOND, (s) => s.lifecycle.kill(s.process('lb-1/haproxy')!, 'crash'));
    w.sim.run({ untilUs: 31 * SECOND });
    const refused = w.replies.filter((r) => r.refused);
    expect(refused.length).toBeGreaterThan(150);
    expect(refused.every((r) => r.from === 'lb-1/haproxy')).toBe(true);
  });
});

describe('determinism', () => {
  it('same seed, same trace hash (LBs, VIP, client, a crash and a return)', () => {
    const hash = (seed: number): string => {
      const calls: Call[] = Array.from({ length: 100 }, (_, i) => ({ at: (i + 1) * 250 * MS, to: 'vip', conn: `c${i % 7}` }));
      const w = vipWorld({ seed, calls, latencyUs: 500, jitterUs: 300 });
      at(w.sim, 10 * SECOND, (s) => s.lifecycle.killMachine(s.machine('lb-1')!, 'power off'));
      at(w.sim, 18 * SECOND, (s) => s.lifecycle.startMachine(s.machine('lb-1')!, 'power on'));
      w.sim.run({ untilUs: 30 * SECOND });
      return w.sim.trace.hash();
    };
    expect(hash(7)).toBe(hash(7));
    expect(hash(7)).not.toBe(hash(8));
  });
});
