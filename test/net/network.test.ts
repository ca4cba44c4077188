// The network model on its own: reachability (groups, isolation, cuts, heal) and per-packet delay and loss.
import { describe, expect, it } from 'vitest';
import { streamFor } from '../../src/kernel/random.ts';
import { LOOPBACK_US, Network, type NetParams } from '../../src/net/network.ts';

const M = ['a', 'b', 'c', 'd', 'e'];

function net(params: Partial<NetParams> = {}): Network {
  return new Network({ latencyUs: 1000, jitterUs: 0, loss: 0, ...params });
}

/** Ordered pairs `a>b` that are reachable now. */
function reach(n: Network): string[] {
  const out: string[] = [];
  for (const a of M) for (const b of M) if (a !== b && n.reachable(a, b)) out.push(`${a}>${b}`);
  return out;
}

function pairs(except: (a: string, b: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const a of M) for (const b of M) if (a !== b && !except(a, b)) out.push(`${a}>${b}`);
  return out;
}

function delays(n: Network, a: string, b: string, count: number, seed = 1): number[] {
  const s = streamFor(seed, `net:${a}`);
  return Array.from({ length: count }, () => n.delay(a, b, s));
}

describe('reachability', () => {
  it('everything is reachable on a healthy network, and a machine always reaches itself', () => {
    const n = net();
    expect(reach(n)).toEqual(pairs());
    n.isolate('a');
    n.setPartition([['b'], ['c']]);
    expect(n.reachable('a', 'a')).toBe(true);
  });

  it('partition groups split the machines; unlisted machines form one more group', () => {
    const n = net();
    n.setPartition([['a', 'b'], ['c']]);
    expect(reach(n)).toEqual(['a>b', 'b>a', 'd>e', 'e>d']);
    n.setPartition([['a'], ['b', 'c', 'd', 'e']]); // a new partition replaces the old one
    expect(reach(n)).toEqual(pairs((x, y) => x === 'a' || y === 'a'));
    n.clearPartition();
    expect(reach(n)).toEqual(pairs());
  });

  it('isolation is counted: two isolations need two unisolations', () => {
    const n = net();
    n.isolate('c');
    n.isolate('c');
    const withoutC = pairs((x, y) => x === 'c' || y === 'c');
    expect(reach(n)).toEqual(withoutC);
    n.unisolate('c');
    expect(reach(n)).toEqual(withoutC);
    n.unisolate('c');
    expect(reach(n)).toEqual(pairs());
    n.unisolate('c'); // one too many is harmless
    expect(reach(n)).toEqual(pairs());
  });

  it('a cut is one-way and counted', () => {
    const n = net();
    n.cut('a', 'b');
    n.cut('a', 'b');
    expect(n.reachable('a', 'b')).toBe(false);
    expect(n.reachable('b', 'a')).toBe(true);
    n.uncut('a', 'b');
    expect(n.reachable('a', 'b')).toBe(false);
    n.uncut('a', 'b');
    expect(reach(n)).toEqual(pairs());
  });

  it('partition, isolation and cuts combine, and healAll removes them all', () => {
    const n = net();
    n.setPartition([['a', 'b', 'c']]);
    n.isolate('a');
    n.cut('b', 'c');
    expect(reach(n)).toEqual(['c>b', 'd>e', 'e>d']);
    n.healAll();
    expect(reach(n)).toEqual(pairs());
  });

  it('describe() summarises what is broken', () => {
    const n = net();
    expect(n.describe()).toEqual({ partition: null, cuts: [], isolated: [] });
    n.setPartition([['a', 'b'], ['c']]);
    n.cut('d', 'e');
    n.isolate('e');
    expect(n.describe()).toEqual({ partition: [['a', 'b'], ['c']], cuts: ['d>e'], isolated: ['e'] });
  });
});

describe('delay and loss', () => {
  it('loopback costs 20 µs, draws nothing, and ignores loss and partitions', () => {
    const n = net({ loss: 1, jitterUs: 500 });
    n.isolate('a');
    const s = streamFor(1, 'net:a');
    expect(n.delay('a', 'a', s)).toBe(LOOPBACK_US);
    expect(s.float()).toBe(streamFor(1, 'net:a').float());
  });

  it('an unreachable destination gives -1', () => {
    const n = net();
    n.cut('a', 'b');
    expect(delays(n, 'a', 'b', 5)).toEqual([-1, -1, -1, -1, -1]);
    expect(delays(n, 'b', 'a', 1)).toEqual([1000]);
  });

  it.each([
    [1000, 300],
    [500, 500],
    [100, 300],
  ])('latency %i µs with jitter %i µs: integer delays in [max(1, L − J), L + J)', (latencyUs, jitterUs) => {
    const d = delays(net({ latencyUs, jitterUs }), 'a', 'b', 5000);
    expect(d.every(Number.isInteger)).toBe(true);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(Math.max(1, latencyUs - jitterUs));
    expect(Math.max(...d)).toBeLessThan(latencyUs + jitterUs);
    expect(new Set(d).size).toBeGreaterThan(jitterUs / 2);
  });

  it.each([
    [0.1, 0.08, 0.12],
    [0.5, 0.47, 0.53],
    [1, 1, 1],
  ])('loss %f loses about that fraction of packets', (loss, lo, hi) => {
    const d = delays(net({ loss }), 'a', 'b', 5000);
    const lost = d.filter((x) => x === -1).length / d.length;
    expect(lost).toBeGreaterThanOrEqual(lo);
    expect(lost).toBeLessThanOrEqual(hi);
  });

  it('a link degradation adds latency on that link in both directions, and only there', () => {
    const n = net();
    const id = n.degrade({ between: ['a', 'b'], addUs: 200_000, jitterUs: 0, loss: 0 });
    expect(delays(n, 'a', 'b', 3)).toEqual([201_000, 201_000, 201_000]);
    expect(delays(n, 'b', 'a', 1)).toEqual([201_000]);
    expect(delays(n, 'a', 'c', 1)).toEqual([1000]);
    n.undegrade(id);
    expect(delays(n, 'a', 'b', 1)).toEqual([1000]);
  });

  it('degradations on every link stack, and loss combines as independent drops', () => {
    const n = net({ loss: 0.2 });
    n.degrade({ between: 'all', addUs: 10_000, jitterUs: 2_000, loss: 0.5 });
    n.degrade({ between: ['c', 'd'], addUs: 5_000, jitterUs: 0, loss: 0 });
    const ab = delays(n, 'a', 'b', 20_000);
    const kept = ab.filter((x) => x !== -1);
    // 1 − (1 − 0.2)(1 − 0.5) = 0.6 lost.
    expect(kept.length / ab.length).toBeGreaterThan(0.38);
    expect(kept.length / ab.length).toBeLessThan(0.42);
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(1000 + 8_000);
    expect(Math.max(...kept)).toBeLessThan(1000 + 12_000);
    const cd = delays(n, 'c', 'd', 2000).filter((x) => x !== -1);
    expect(Math.min(...cd)).toBeGreaterThanOrEqual(1000 + 8_000 + 5_000);
  });

  it('without jitter every delay is the latency itself (at least 1 µs)', () => {
    expect(new Set(delays(net({ latencyUs: 1000 }), 'a', 'b', 100))).toEqual(new Set([1000]));
    expect(new Set(delays(net({ latencyUs: 0 }), 'a', 'b', 100))).toEqual(new Set([1]));
  });

  it('degradations are undone by the id degrade() returned, one at a time', () => {
    const n = net();
    const slow = n.degrade({ between: ['a', 'b'], addUs: 100_000, jitterUs: 0, loss: 0 });
    const slower = n.degrade({ between: ['a', 'b'], addUs: 20_000, jitterUs: 0, loss: 0 });
    expect(slow).not.toBe(slower);
    expect(delays(n, 'a', 'b', 1)).toEqual([121_000]);
    n.undegrade(slow);
    expect(delays(n, 'a', 'b', 1)).toEqual([21_000]);
    n.undegrade(slower);
    expect(delays(n, 'a', 'b', 1)).toEqual([1000]);
  });

  it('healAll leaves degradations in place (they are undone by id)', () => {
    const n = net();
    n.degrade({ between: 'all', addUs: 50_000, jitterUs: 0, loss: 0 });
    n.healAll();
    expect(delays(n, 'a', 'b', 1)).toEqual([51_000]);
  });

  it('the same stream gives the same delays (the network draws only from the stream it is given)', () => {
    const params = { latencyUs: 2000, jitterUs: 1500, loss: 0.3 };
    expect(delays(net(params), 'a', 'b', 500, 9)).toEqual(delays(net(params), 'a', 'b', 500, 9));
  });
});
