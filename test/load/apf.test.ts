// APF: bootstrap limits, shuffle-sharding, fair dispatch order, 429 on full queues, queue-wait time-out.
import { describe, expect, it } from 'vitest';
import {
  APF_BOOTSTRAP_LEVELS_1_32,
  dealHand,
  flowHash53,
  nominalConcurrencyLimits,
  queueWaitLimitUs,
  serverConcurrencyLimit,
  type PriorityLevelSpec,
} from '../../src/load/apf-config.ts';
import { ApfServer, QueueSet, type ApfRequest } from '../../src/load/apf.ts';

const req = (id: string, flowHash: number, priorityLevel = 'test'): ApfRequest => ({ id, flowHash, priorityLevel });
const level = (over: Partial<PriorityLevelSpec>): PriorityLevelSpec => ({
  name: 'test', exempt: false, nominalConcurrencyShares: 1, lendablePercent: 0, limitResponse: 'queue',
  queues: 2, handSize: 1, queueLengthLimit: 2, ...over,
});

describe('APF configuration (bootstrap/default.go, apf_controller.go)', () => {
  it('server concurrency limit is the sum of the two inflight flags: 400 + 200 = 600', () => {
    expect(serverConcurrencyLimit(400, 200)).toBe(600);
  });

  it('nominal limits are ceil(600 * shares / 245) for the 1.32 levels', () => {
    const limits = nominalConcurrencyLimits(600, APF_BOOTSTRAP_LEVELS_1_32);
    // shares: exempt 0, catch-all 5, system 30, node-high 40, leader-election 10, workload-high 40,
    // workload-low 100, global-default 20 → sum 245. 600*30/245 = 73.47 → 74, and so on.
    expect(Object.fromEntries(limits)).toEqual({
      exempt: 0, 'catch-all': 13, system: 74, 'node-high': 98, 'leader-election': 25,
      'workload-high': 98, 'workload-low': 245, 'global-default': 49,
    });
    // The ceil makes them sum to a little more than 600, as upstream's comment says.
    expect([...limits.values()].reduce((a, b) => a + b, 0)).toBe(602);
  });

  it('queue wait limit: RequestTimeout/4 = 15 s by default, a quarter of a deadline, capped at 1 min', () => {
    expect(queueWaitLimitUs()).toBe(15_000_000);
    expect(queueWaitLimitUs(60_000_000, 10_000_000)).toBe(2_500_000);
    expect(queueWaitLimitUs(600_000_000)).toBe(60_000_000);
  });

  it('dealHand follows Dealer.Deal: mixed-radix digits shifted past earlier cards', () => {
    expect(dealHand(0, 128, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    // hash 1: digits [1,0,0,0,0,0]; card 2 is 0 → 1 (≥ digit 0) → 2 (≥ digit 1), and so on.
    expect(dealHand(1, 128, 6)).toEqual([1, 0, 2, 3, 4, 5]);
    // hash 4*1 + 2 = 6 on deck 4, hand 2: digits [2, 1]; card 1 is 1, not ≥ 2 → stays 1.
    expect(dealHand(6, 4, 2)).toEqual([2, 1]);
  });

  it('dealHand always gives distinct cards inside the deck', () => {
    for (let h = 0; h < 2000; h++) {
      const hand = dealHand(flowHash53('fs', `user-${h}`), 128, 6);
      expect(new Set(hand).size).toBe(6);
      for (const c of hand) expect(c >= 0 && c < 128).toBe(true);
    }
  });
});

describe('QueueSet (queueset.go)', () => {
  it('queues past the limit, rejects with queue-full only when the chosen queue is full too', () => {
    const qs = new QueueSet(level({}), 1, 15_000_000);
    expect(qs.enqueue(req('A', 0), 0)).toEqual({ kind: 'dispatched' });
    expect(qs.enqueue(req('B', 0), 0)).toEqual({ kind: 'queued' });
    expect(qs.enqueue(req('C', 0), 0)).toEqual({ kind: 'queued' });
    expect(qs.enqueue(req('D', 0), 0)).toEqual({ kind: 'rejected', reason: 'queue-full' });
    // Another flow lands on the other queue (hand size 1, deck 2: queue = hash mod 2).
    expect(qs.enqueue(req('E', 1), 0)).toEqual({ kind: 'queued' });
    expect(qs.queueLengths()).toEqual([2, 1]);
    expect(qs.stats.rejectedQueueFull).toBe(1);
  });

  it('dispatches the queue with the smallest virtual finish time, not the oldest request', () => {
    const qs = new QueueSet(level({}), 1, 15_000_000);
    qs.enqueue(req('A', 0), 0);
    qs.enqueue(req('B', 0), 0);
    qs.enqueue(req('C', 0), 0);
    qs.enqueue(req('E', 1), 0);
    // At 10 ms: R = 10 ms * min(4 seats, CL 1) / 2 active queues = 5000. Queue 0 started at R 0, got
    // +G for A and -(G - 10 ms) when A finished → 10 000; queue 1 is still at 0. E goes first.
    expect(qs.finish('A', 10_000).map((r) => r.id)).toEqual(['E']);
    expect(qs.virtualTime()).toBe(5_000);
    expect(qs.finish('E', 11_000).map((r) => r.id)).toEqual(['B']);
    expect(qs.virtualTime()).toBe(5_500);
  });

  it('interleaves a heavy and a light flow one for one', () => {
    const qs = new QueueSet(level({ queueLengthLimit: 100 }), 1, 15_000_000);
    const order: string[] = [];
    for (let i = 1; i <= 6; i++) if (qs.enqueue(req(`H${i}`, 0), 0).kind === 'dispatched') order.push(`H${i}`);
    for (let i = 1; i <= 2; i++) qs.enqueue(req(`L${i}`, 1), 0);
    let running = order[0]!;
    for (let t = 3_000; order.length < 8; t += 3_000) {
      const next = qs.finish(running, t);
      expect(next).toHaveLength(1);
      running = next[0]!.id;
      order.push(running);
    }
    // Each request takes exactly G, so queues alternate; on a tie the scan after the last pick wins.
    expect(order).toEqual(['H1', 'L1', 'H2', 'L2', 'H3', 'H4', 'H5', 'H6']);
  });

  it('shuffle-sharding puts a request on the least-loaded queue of its hand, from a rotating offset', () => {
    const qs = new QueueSet(level({ queues: 4, handSize: 2, queueLengthLimit: 10 }), 1, 15_000_000);
    // hash 0 on deck 4, hand 2 → queues [0, 1].
    for (const id of ['R1', 'R2', 'R3', 'R4']) qs.enqueue(req(id, 0), 0);
    // R1 dispatched at once; R2 (offset 1) ties → queue 1; R3 (offset 0) → queue 0; R4 → queue 1.
    expect(qs.queueLengths()).toEqual([1, 2, 0, 0]);
  });

  it('a request that waits past the limit leaves with a time-out 429', () => {
    const qs = new QueueSet(level({}), 1, 15_000_000);
    qs.enqueue(req('A', 0), 0);
    qs.enqueue(req('B', 0), 1_000);
    expect(qs.nextExpiryUs()).toBe(15_001_000);
    expect(qs.expire(15_000_999)).toEqual([]);
    expect(qs.expire(15_001_000).map((r) => r.id)).toEqual(['B']);
    expect(qs.stats.rejectedTimeOut).toBe(1);
    expect(qs.nextExpiryUs()).toBeNull();
    expect(qs.finish('A', 15_002_000)).toEqual([]);
  });

  it('a request with its own timeout waits a quarter of it (getRequestWaitContext)', () => {
    const qs = new QueueSet(level({}), 1, 15_000_000);
    qs.enqueue(req('A', 0), 0);
    qs.enqueue(req('slow', 0), 0);
    qs.enqueue({ ...req('probe', 1), timeoutUs: 2_000_000 }, 100);
    expect(qs.nextExpiryUs()).toBe(500_100);
    expect(qs.expire(500_100).map((r) => r.id)).toEqual(['probe']);
    expect(qs.nextExpiryUs()).toBe(15_000_000);
  });

  it('a reject-type level (catch-all) has no queues: over its limit it rejects at once', () => {
    const spec = APF_BOOTSTRAP_LEVELS_1_32.find((l) => l.name === 'catch-all')!;
    const qs = new QueueSet(spec, 13, 15_000_000);
    for (let i = 0; i < 13; i++) expect(qs.enqueue(req(`r${i}`, i, 'catch-all'), 0).kind).toBe('dispatched');
    expect(qs.enqueue(req('r13', 13, 'catch-all'), 0)).toEqual({ kind: 'rejected', reason: 'concurrency-limit' });
    qs.finish('r0', 5);
    expect(qs.enqueue(req('r14', 14, 'catch-all'), 5).kind).toBe('dispatched');
  });
});

describe('ApfServer', () => {
  it('exempt requests are never limited; in-flight counts every level', () => {
    const apf = new ApfServer();
    for (let i = 0; i < 700; i++) expect(apf.enqueue(req(`x${i}`, i, 'exempt'), 0).kind).toBe('dispatched');
    expect(apf.enqueue(req('lease', 7, 'leader-election'), 0).kind).toBe('dispatched');
    expect(apf.inFlight()).toBe(701);
  });

  it('a level holds its nominal limit: leader-election 25 executing, the 26th waits, finishing one dispatches it', () => {
    const apf = new ApfServer();
    for (let i = 0; i < 25; i++) expect(apf.enqueue(req(`le${i}`, i, 'leader-election'), 0).kind).toBe('dispatched');
    expect(apf.enqueue(req('le25', 25, 'leader-election'), 0).kind).toBe('queued');
    expect(apf.finish('le3', 2_000).map((r) => r.id)).toEqual(['le25']);
    const stats = apf.stats().find((s) => s.name === 'leader-election')!;
    expect(stats).toMatchObject({ concurrencyLimit: 25, executing: 25, waiting: 0, dispatched: 26 });
  });

  it('expire reports timed-out waiters of every level; smaller inflight flags shrink every level', () => {
    const apf = new ApfServer({ maxRequestsInflight: 40, maxMutatingRequestsInflight: 9 });
    // 49 * 10 / 245 = 2 seats for leader-election.
    expect(apf.level('leader-election').concurrencyLimit).toBe(2);
    apf.enqueue(req('a', 1, 'leader-election'), 0);
    apf.enqueue(req('b', 2, 'leader-election'), 0);
    expect(apf.enqueue(req('c', 3, 'leader-election'), 10).kind).toBe('queued');
    expect(apf.nextExpiryUs()).toBe(15_000_010);
    expect(apf.expire(15_000_010).map((r) => r.id)).toEqual(['c']);
    expect(() => apf.finish('c', 15_000_011)).toThrow(/unknown request c/);
    expect(() => apf.enqueue(req('a', 1, 'leader-election'), 15_000_012)).toThrow(/already waiting or executing/);
  });
});
