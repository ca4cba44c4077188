// Messages through the kernel: latency and jitter, FIFO per pair, loss, refusals, dead hosts, partitions.
import { describe, expect, it } from 'vitest';
import type { Msg } from '../../src/kernel/actor.ts';
import type { Sim as KernelSim } from '../../src/kernel/sim.ts';
import type { Network } from '../../src/net/network.ts';

type Sim = KernelSim<Network>;
import { MS, SECOND } from '../../src/kernel/time.ts';
import { LOOPBACK_US } from '../../src/net/network.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

interface Arrival {
  at: number;
  from: string;
  to: string;
  msg: Msg;
}

/** One listening process `x` per machine; every arrival is logged. Returns the log. */
function listeners(sim: Sim, machines: string[]): Arrival[] {
  const log: Arrival[] = [];
  for (const m of machines) {
    const p = proc(sim, `${m}/x`, { message: (ctx, from, msg) => log.push({ at: sim.now, from, to: ctx.self, msg }) });
    startAt(sim, p);
  }
  return log;
}

/** Send from process `from` at true time `at` (the test acts through the sender's context). */
function sendAt(sim: Sim, at: number, from: string, to: string, msg: Msg): void {
  sim.at(at, `send ${from}>${to}`, (s) => s.process(from)!.send(to, msg));
}

/** Which ordered machine pairs can talk now: one probe per pair, then run 10 ms. */
function talking(sim: Sim, machines: string[], log: Arrival[]): string[] {
  log.length = 0;
  for (const a of machines) for (const b of machines) if (a !== b) sim.process(`${a}/x`)!.send(`${b}/x`, { type: 'probe' });
  sim.run({ untilUs: sim.now + 10 * MS });
  return log.map((e) => `${e.from.split('/')[0]}>${e.to.split('/')[0]}`).sort();
}

function allPairs(machines: string[], except: (a: string, b: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const a of machines) for (const b of machines) if (a !== b && !except(a, b)) out.push(`${a}>${b}`);
  return out.sort();
}

describe('delivery', () => {
  it('a message arrives one link latency after it was sent, naming its sender', () => {
    const sim = world({ latencyUs: 1500 }, ['a', 'b']);
    const log = listeners(sim, ['a', 'b']);
    const msg = { type: 'hello', n: 1 };
    sendAt(sim, 10 * MS, 'a/x', 'b/x', msg);
    sim.run({ untilUs: SECOND });
    expect(log).toEqual([{ at: 10 * MS + 1500, from: 'a/x', to: 'b/x', msg }]);
    expect(log[0]!.msg).toBe(msg);
  });

  it('jitter keeps each delay within [latency − jitter, latency + jitter), and does vary it', () => {
    const sim = world({ latencyUs: 1000, jitterUs: 300 }, ['a', 'b']);
    const log = listeners(sim, ['a', 'b']);
    for (let i = 0; i < 500; i++) sendAt(sim, i * 10 * MS, 'a/x', 'b/x', { type: 'm', sentAt: i * 10 * MS });
    sim.run({ untilUs: 10 * SECOND });
    const delays = log.map((e) => e.at - (e.msg['sentAt'] as number));
    expect(delays).toHaveLength(500);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(700);
    expect(Math.max(...delays)).toBeLessThan(1300);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it('messages between one pair arrive in the order sent (FIFO), however large the jitter', () => {
    const sim = world({ latencyUs: 1000, jitterUs: 900 }, ['a', 'b', 'c']);
    const log = listeners(sim, ['a', 'b', 'c']);
    // Each message carries its sender's running count, assigned when it is actually sent.
    const sent = new Map<string, number>();
    const send = (s: Sim, from: string): void => {
      const k = sent.get(from) ?? 0;
      sent.set(from, k + 1);
      s.process(from)!.send('b/x', { type: 'm', k });
    };
    sim.at(0, 'burst', (s) => {
      for (let i = 0; i < 100; i++) send(s, 'a/x');
    });
    for (let i = 0; i < 200; i++) sim.at(1 + i * 7, 'send', (s) => send(s, i % 2 ? 'a/x' : 'c/x'));
    sim.run({ untilUs: SECOND });
    for (const from of ['a/x', 'c/x']) {
      const order = log.filter((e) => e.from === from).map((e) => e.msg['k'] as number);
      expect(order).toEqual(Array.from({ length: sent.get(from)! }, (_, k) => k));
    }
    expect(log).toHaveLength(300);
    // The jitter is real (delays spread over 100–1900 µs), so order is the kernel's doing.
    expect(new Set(log.map((e) => e.at)).size).toBeGreaterThan(20);
  });

  it('processes on one machine talk over loopback: 20 µs, no loss, no partition', () => {
    const sim = world({ loss: 1 }, ['a']);
    const got: number[] = [];
    const b = proc(sim, 'a/b', { message: () => got.push(sim.now) });
    const c = proc(sim, 'a/c', {});
    startAt(sim, b);
    startAt(sim, c);
    sim.network.isolate('a');
    sim.network.setPartition([['a'], ['z']]);
    sendAt(sim, 5 * MS, 'a/c', 'a/b', { type: 'local' });
    sim.run({ untilUs: SECOND });
    expect(got).toEqual([5 * MS + LOOPBACK_US]);
  });

  it.each([
    [0, 3000, 3000],
    [0.3, 1950, 2250],
    [1, 0, 0],
  ])('loss %f drops packets at about that rate (%i–%i of 3000 arrive)', (loss, lo, hi) => {
    const sim = world({ loss }, ['a', 'b']);
    const log = listeners(sim, ['a', 'b']);
    for (let i = 0; i < 3000; i++) sendAt(sim, i * 100, 'a/x', 'b/x', { type: 'm' });
    sim.run({ untilUs: SECOND });
    expect(log.length).toBeGreaterThanOrEqual(lo);
    expect(log.length).toBeLessThanOrEqual(hi);
  });

  it('sending to an unknown process is a programming error', () => {
    const sim = world({}, ['a']);
    listeners(sim, ['a']);
    expect(() => sim.process('a/x')!.send('nowhere/x', { type: 'm' })).toThrow(/unknown process nowhere\/x/);
  });
});

describe('refusals and dead hosts', () => {
  function pair(): { sim: Sim; refused: [number, string, Msg][]; got: number[] } {
    const sim = world({ latencyUs: 1000 }, ['a', 'b']);
    const refused: [number, string, Msg][] = [];
    const got: number[] = [];
    startAt(sim, proc(sim, 'a/x', { refused: (_ctx, to, msg) => refused.push([sim.now, to, msg]) }));
    proc(sim, 'b/x', { message: () => got.push(sim.now) }); // not started: down on an up machine
    return { sim, refused, got };
  }

  it('a message to a down process on an up machine comes back as refused, one round trip later', () => {
    const { sim, refused, got } = pair();
    const msg = { type: 'hello' };
    sendAt(sim, 10 * MS, 'a/x', 'b/x', msg);
    sim.run({ untilUs: SECOND });
    expect(got).toEqual([]);
    expect(refused).toEqual([[10 * MS + 2000, 'b/x', msg]]);
    expect(refused[0]![2]).toBe(msg);
  });

  it('a killed process refuses; once started again it receives', () => {
    const { sim, refused, got } = pair();
    const b = sim.process('b/x')!;
    startAt(sim, b);
    sim.at(5 * MS, 'kill', (s) => s.lifecycle.kill(b, 'fault'));
    sendAt(sim, 10 * MS, 'a/x', 'b/x', { type: 'one' });
    sim.at(20 * MS, 'start', (s) => s.lifecycle.start(b, 'fault over'));
    sendAt(sim, 30 * MS, 'a/x', 'b/x', { type: 'two' });
    sim.run({ untilUs: SECOND });
    expect(refused.map(([t, to]) => [t, to])).toEqual([[12 * MS, 'b/x']]);
    expect(got).toEqual([31 * MS]);
  });

  it('a message to a powered-off machine vanishes: no delivery, no refusal', () => {
    const { sim, refused, got } = pair();
    sim.lifecycle.killMachine(sim.machine('b')!, 'power');
    sendAt(sim, 10 * MS, 'a/x', 'b/x', { type: 'hello' });
    sim.run({ untilUs: SECOND });
    expect(got).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('a message in flight when its destination powers off vanishes too', () => {
    const { sim, refused, got } = pair();
    startAt(sim, sim.process('b/x')!);
    sendAt(sim, 10 * MS, 'a/x', 'b/x', { type: 'hello' });
    sim.at(10 * MS + 500, 'power off', (s) => s.lifecycle.killMachine(s.machine('b')!, 'power'));
    sim.run({ untilUs: SECOND });
    expect(got).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('a refusal to a sender that went down meanwhile is dropped', () => {
    const { sim, refused } = pair();
    const a = sim.process('a/x')!;
    sendAt(sim, 10 * MS, 'a/x', 'b/x', { type: 'hello' });
    sim.at(11 * MS, 'kill sender', (s) => s.lifecycle.kill(a, 'fault'));
    sim.at(12 * MS + 500, 'start sender', (s) => s.lifecycle.start(a, 'again'));
    sim.run({ untilUs: SECOND });
    expect(refused).toEqual([]);
  });
});

describe('partitions through the kernel', () => {
  const M = ['a', 'b', 'c', 'd', 'e'];

  it('partition groups: machines in different groups cannot talk; unlisted machines form one more group', () => {
    const sim = world({}, M);
    const log = listeners(sim, M);
    sim.run({ untilUs: MS });
    expect(talking(sim, M, log)).toEqual(allPairs(M));
    sim.network.setPartition([['a', 'b'], ['c']]);
    expect(talking(sim, M, log)).toEqual(['a>b', 'b>a', 'd>e', 'e>d']);
    sim.network.clearPartition();
    expect(talking(sim, M, log)).toEqual(allPairs(M));
  });

  it('isolate cuts a machine off from everyone, both ways, until unisolated', () => {
    const sim = world({}, M);
    const log = listeners(sim, M);
    sim.network.isolate('c');
    expect(talking(sim, M, log)).toEqual(allPairs(M, (a, b) => a === 'c' || b === 'c'));
    sim.network.unisolate('c');
    expect(talking(sim, M, log)).toEqual(allPairs(M));
  });

  it('a one-way cut drops traffic in its direction only', () => {
    const sim = world({}, M);
    const log = listeners(sim, M);
    sim.network.cut('a', 'b');
    expect(talking(sim, M, log)).toEqual(allPairs(M, (a, b) => a === 'a' && b === 'b'));
    sim.network.uncut('a', 'b');
    expect(talking(sim, M, log)).toEqual(allPairs(M));
  });

  it('healAll removes partitions, isolation and cuts at once', () => {
    const sim = world({}, M);
    const log = listeners(sim, M);
    sim.network.setPartition([['a'], ['b', 'c']]);
    sim.network.isolate('d');
    sim.network.cut('b', 'c');
    sim.network.cut('e', 'a');
    expect(talking(sim, M, log)).toEqual(['c>b']);
    sim.network.healAll();
    expect(talking(sim, M, log)).toEqual(allPairs(M));
  });

  it('a refusal crosses the network too: a cut return path swallows it', () => {
    const sim = world({}, ['a', 'b']);
    const refused: string[] = [];
    startAt(sim, proc(sim, 'a/x', { refused: (_c, to) => refused.push(to) }));
    proc(sim, 'b/x', {});
    sim.network.cut('b', 'a');
    sendAt(sim, MS, 'a/x', 'b/x', { type: 'hello' });
    sim.run({ untilUs: SECOND });
    expect(refused).toEqual([]);
  });

  it('a degraded link adds latency in both directions and leaves other links alone', () => {
    const sim = world({ latencyUs: 1000 }, ['a', 'b', 'c']);
    const log = listeners(sim, ['a', 'b', 'c']);
    const id = sim.network.degrade({ between: ['a', 'b'], addUs: 200 * MS, jitterUs: 0, loss: 0 });
    sendAt(sim, 0, 'a/x', 'b/x', { type: 'ab' });
    sendAt(sim, 0, 'b/x', 'a/x', { type: 'ba' });
    sendAt(sim, 0, 'a/x', 'c/x', { type: 'ac' });
    sim.at(MS, 'undegrade', (s) => s.network.undegrade(id));
    sendAt(sim, 2 * MS, 'c/x', 'a/x', { type: 'ca' });
    sim.run({ untilUs: SECOND });
    expect(log.map((e) => [e.msg.type, e.at])).toEqual([['ac', 1000], ['ca', 3000], ['ab', 201_000], ['ba', 201_000]]);
    // After the degradation is removed, a→b is back to normal (FIFO behind nothing).
    sendAt(sim, 2 * SECOND, 'a/x', 'b/x', { type: 'ab2' });
    sim.run({ untilUs: 3 * SECOND });
    expect(log.at(-1)!.at).toBe(2 * SECOND + 1000);
  });
});
