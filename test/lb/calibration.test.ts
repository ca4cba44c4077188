// haproxy detection and recovery times over many seeds, against k8s-ha-facts §5 (inter 2 s, fall 3, rise 2).
import { describe, expect, it } from 'vitest';
import type { Sim as KernelSim } from '../../src/kernel/sim.ts';
import type { Network } from '../../src/net/network.ts';

type Sim = KernelSim<Network>;
import { streamFor } from '../../src/kernel/random.ts';
import { SECOND } from '../../src/kernel/time.ts';
import type { HaproxyConfig } from '../../src/lb/config.ts';
import { at, lbWorld, secondsUntil, summary } from './helpers.ts';

const SEEDS = 200;
const FAULT_AT = 20 * SECOND;
const LB = 'lb-1/haproxy';
const M2 = 'master-2/kube-apiserver';
/** A few network round trips on top of the formulas (checks take 1–2 of them at 500 ± 200 µs). */
const SLACK = 0.02;

type Fault = (sim: Sim) => void;

const kill: Fault = (s) => s.lifecycle.kill(s.process(M2)!, 'test: crash');
const powerOff: Fault = (s) => s.lifecycle.killMachine(s.machine('master-2')!, 'test: power off');
const partition: Fault = (s) => s.network.setPartition([['master-2']]);

/** Seconds from the fault to master-2 being marked `state`, one per seed. */
function sweep(fault: Fault, state: 'UP' | 'DOWN', opts: { heal?: Fault; haproxy?: Partial<HaproxyConfig> } = {}): number[] {
  const out: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = lbWorld({ seed, haproxy: opts.haproxy });
    at(w.sim, FAULT_AT, fault);
    // The return falls anywhere in a check cycle (a check may be in flight into the void).
    const healAt = FAULT_AT + 20 * SECOND + streamFor(seed, 'test:heal').below(4 * SECOND);
    if (opts.heal) at(w.sim, healAt, opts.heal);
    w.sim.run({ untilUs: FAULT_AT + 60 * SECOND });
    const from = opts.heal ? healAt : FAULT_AT;
    const s = secondsUntil(w.sim, LB, M2, state, from);
    expect(s, `seed ${seed}: master-2 never marked ${state}`).toBeDefined();
    out.push(s!);
  }
  return out;
}

function expectWithin(xs: number[], lo: number, hi: number): void {
  const s = summary(xs);
  expect(s.min, JSON.stringify(s)).toBeGreaterThanOrEqual(lo - SLACK);
  expect(s.max, JSON.stringify(s)).toBeLessThanOrEqual(hi + SLACK);
  // The phase s0 ~ U[0, inter): the spread covers most of the range.
  expect(s.max - s.min, JSON.stringify(s)).toBeGreaterThan(0.8 * (hi - lo));
}

describe('haproxy detection: DOWN after the fault', () => {
  it('refused backend (process killed, host up): s0 + (fall−1)·inter = 4–6 s', () => {
    expectWithin(sweep(kill, 'DOWN'), 4, 6);
  });

  it('powered-off backend (black-holed): s0 + fall·T_c + (fall−1)·inter = 10–12 s', () => {
    expectWithin(sweep(powerOff, 'DOWN'), 10, 12);
  });

  it('partitioned backend (black-holed): 10–12 s', () => {
    expectWithin(sweep(partition, 'DOWN'), 10, 12);
  });

  it('fall 5 is respected: refused backend DOWN after 8–10 s', () => {
    expectWithin(sweep(kill, 'DOWN', { haproxy: { fall: 5 } }), 8, 10);
  });

  it('inter 1 s is respected: refused backend DOWN after 2–3 s', () => {
    expectWithin(sweep(kill, 'DOWN', { haproxy: { interUs: 1 * SECOND } }), 2, 3);
  });
});

describe('haproxy recovery: UP after the backend returns', () => {
  it('restarted process: s0 + (rise−1)·inter = 2–4 s', () => {
    expectWithin(sweep(kill, 'UP', { heal: (s) => s.lifecycle.start(s.process(M2)!, 'test: start') }), 2, 4);
  });

  it('rise 3 is respected: UP 4–6 s after the restart', () => {
    const heal: Fault = (s) => s.lifecycle.start(s.process(M2)!, 'test: start');
    expectWithin(sweep(kill, 'UP', { heal, haproxy: { rise: 3 } }), 4, 6);
  });

  it('powered-on machine: 2–6 s (a check sent into the void must time out first)', () => {
    const heal: Fault = (s) => s.lifecycle.startMachine(s.machine('master-2')!, 'test: power on');
    expectWithin(sweep(powerOff, 'UP', { heal }), 2, 6);
  });

  it('healed partition: 2–6 s', () => {
    expectWithin(sweep(partition, 'UP', { heal: (s) => s.network.healAll() }), 2, 6);
  });
});
