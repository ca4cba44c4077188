// The report's collector (Metrics + LeaderTracker) folding a hand-made observation list; every expected figure is worked out in the comments.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/trace.ts';
import { Metrics, type Report } from '../../src/report/metrics.ts';
import type { MeasureWindow } from '../../src/report/measure.ts';

const S = 1_000_000;
const INTERVAL_US = 1 * S;
const END_US = 30 * S;

/** The one place observations are built, so a change of their type touches one line. */
function o(atS: number, kind: string, subject: string, detail: Record<string, unknown>): Observation {
  return { at: Math.round(atS * S), kind, subject, detail } as Observation;
}

/**
 * A 30 s story (times in s):
 * - etcd: e1 leads from 1; e1's process is killed at 10; e2 leads from 12; e3 also leads from 20; e2 steps down at 21.
 * - kube-scheduler: m1 leads from 2 (its API reachable at once), unreachable 5–7, its process paused 25–27.
 * - kube-controller-manager: never appears.
 * - probes every second, sent at 1..29 and answered 2 ms later, except: writes sent at 10 and 11 fail;
 *   the read sent at 15 fails with a timeout answered at 20.5 (after the reads sent at 16..20 succeeded).
 * - a fault (kill e1) begins at 10 and ends at 15; an invariant violation at 22.
 */
function story(): Observation[] {
  const list: Observation[] = [
    o(1, 'leader', 'e1/etcd', { group: 'etcd', leading: true, term: 1 }),
    o(2, 'leader', 'm1/kube-scheduler', { group: 'kube-scheduler', leading: true, cause: 'acquired the lease', identity: 'm1_1' }),
    o(2, 'component-api', 'm1/kube-scheduler', { group: 'kube-scheduler', ok: true }),
    o(5, 'component-api', 'm1/kube-scheduler', { group: 'kube-scheduler', ok: false }),
    o(7, 'component-api', 'm1/kube-scheduler', { group: 'kube-scheduler', ok: true }),
    o(10, 'fault', 'kill e1/etcd', { verb: 'kill', index: 0, phase: 'begin', text: 'kill e1/etcd', targets: ['e1/etcd'] }),
    o(10, 'process', 'e1/etcd', { state: 'down', cause: 'killed' }),
    o(12, 'leader', 'e2/etcd', { group: 'etcd', leading: true, term: 2 }),
    o(15, 'fault', 'kill e1/etcd', { verb: 'kill', index: 0, phase: 'end', text: 'end of kill e1/etcd' }),
    o(20, 'leader', 'e3/etcd', { group: 'etcd', leading: true, term: 3 }),
    o(21, 'leader', 'e2/etcd', { group: 'etcd', leading: false, cause: 'stepped down' }),
    o(22, 'invariant', 'etcd', { message: 'two leaders in term 3' }),
    o(25, 'process', 'm1/kube-scheduler', { state: 'paused', cause: 'fault' }),
    o(27, 'process', 'm1/kube-scheduler', { state: 'up', cause: 'fault over', resumed: true }),
  ];
  for (let k = 1; k <= 29; k++) {
    const writeOk = k !== 10 && k !== 11;
    list.push(o(k + 0.002, 'probe', 'client', { op: 'write', ok: writeOk, latencyMs: 2, ...(writeOk ? {} : { error: 'HTTP 504' }) }));
    if (k === 15) list.push(o(20.5, 'probe', 'client', { op: 'read', ok: false, latencyMs: 5500, error: 'client timeout' }));
    else list.push(o(k + 0.002, 'probe', 'client', { op: 'read', ok: true, latencyMs: 2 }));
  }
  // In run order (a stable sort keeps same-time observations as listed).
  return list.sort((a, b) => a.at - b.at);
}

function fold(list: Observation[], measure: MeasureWindow): Report {
  const m = new Metrics(['etcd', 'kube-scheduler'], measure);
  for (const x of list) m.observe(x);
  return m.report({
    scenario: 't', seed: 1, topology: 'stacked', versions: { kubernetes: '1.30', etcd: '3.5' },
    eventsProcessed: 0, wallMs: 0, traceHash: null, truncated: false,
  }, END_US, INTERVAL_US);
}

describe('Metrics over a hand-made run, measured from the start', () => {
  const r = fold(story(), { from: 'start' });

  it('etcd: holders, changes, leaderless and dual-leader time, quorum availability', () => {
    // Holders' times are run seconds, as every other time of the report.
    expect(r.leaders.etcd.holders).toEqual([
      { holder: 'e1/etcd', from: 1, to: 10 },
      { holder: 'e2/etcd', from: 12, to: 21 },
      { holder: 'e3/etcd', from: 20, to: null },
    ]);
    // e1 → e2 → e3: two changes of holder.
    expect(r.leaders.etcd.changes).toBe(2);
    // Nobody led 10–12; two led 20–21.
    expect(r.leaders.etcd.leaderlessSeconds).toBe(2);
    expect(r.leaders.etcd.maxLeaderlessSeconds).toBe(2);
    expect(r.leaders.etcd.dualLeaderSeconds).toBe(1);
    // Led 1–10 and 12–30 (27 s) of the 29 s since it first led.
    expect(r.availability.etcdQuorum).toBeCloseTo(27 / 29, 12);
  });

  it('kube-scheduler: a paused leader leads nobody; the same holder coming back is no change', () => {
    expect(r.leaders['kube-scheduler'].holders).toEqual([
      { holder: 'm1/kube-scheduler', from: 2, to: 25 },
      { holder: 'm1/kube-scheduler', from: 27, to: null },
    ]);
    expect(r.leaders['kube-scheduler'].changes).toBe(0);
    expect(r.leaders['kube-scheduler'].leaderlessSeconds).toBe(2);
    // Leading and reachable 2–5, 7–25, 27–30: 24 s of the 28 s since it first led.
    expect(r.availability.scheduler).toBeCloseTo(24 / 28, 12);
    // A group nobody ever led has no availability figure.
    expect(r.availability.controllerManager).toBeNull();
    expect(r.leaders['kube-controller-manager']).toMatchObject({ changes: 0, leaderlessSeconds: 0, holders: [] });
  });

  it('failovers in loss order, with their gap and the cause of the loss', () => {
    expect(r.failovers).toEqual([
      { group: 'etcd', lostAt: 10, recoveredAt: 12, gapSeconds: 2, cause: 'e1/etcd went down: killed' },
      { group: 'kube-scheduler', lostAt: 25, recoveredAt: 27, gapSeconds: 2, cause: 'm1/kube-scheduler paused: fault' },
    ]);
  });

  it('probe availability and downtime in send order (a late failure still splits the reads that came back before it)', () => {
    // Writes: 27 of 29 ok; one stretch, first failure sent at 10, last at 11, plus one interval: 2 s.
    expect(r.availability.apiWrite).toBeCloseTo(27 / 29, 12);
    expect(r.downtime.apiWrite).toEqual({ totalSeconds: 2, longestSeconds: 2 });
    // Reads: 28 of 29; the read sent at 15 is a one-probe stretch: 1 s.
    expect(r.availability.apiRead).toBeCloseTo(28 / 29, 12);
    expect(r.downtime.apiRead).toEqual({ totalSeconds: 1, longestSeconds: 1 });
  });

  it('window, bootstrap, faults, recovery and invariants', () => {
    expect(r.window).toEqual({ fromSeconds: 0, toSeconds: 30, from: 'start' });
    // Ready at 2: both groups led and a write had succeeded (at 1.002).
    expect(r.bootstrapSeconds).toBe(2);
    expect(r.faults).toBe(1);
    // After the fault ends at 15, both groups lead; the first write after it succeeds at 15.002.
    expect(r.recovery.seconds).toBeCloseTo(0.002, 9);
    expect(r.invariants.violations).toEqual(['22s etcd: two leaders in term 3']);
  });
});

describe('Metrics measured from a later window start', () => {
  it('from when the cluster was ready (2 s): time shares and probes count from there', () => {
    const r = fold(story(), { from: 'ready' });
    expect(r.window).toEqual({ fromSeconds: 2, toSeconds: 30, from: 'ready' });
    // etcd led 2–10 and 12–30: 26 of 28 s. Writes sent at 2..29: 28, two failed.
    expect(r.availability.etcdQuorum).toBeCloseTo(26 / 28, 12);
    expect(r.availability.apiWrite).toBeCloseTo(26 / 28, 12);
    expect(r.leaders.etcd.changes).toBe(2);
  });

  it('from 11 s, inside the etcd outage: the leaderless stretch and its failover count from 11', () => {
    const r = fold(story(), { from: 11 * S });
    expect(r.window).toEqual({ fromSeconds: 11, toSeconds: 30, from: 'time' });
    expect(r.leaders.etcd.leaderlessSeconds).toBe(1);
    expect(r.failovers.find((f) => f.group === 'etcd')).toEqual({ group: 'etcd', lostAt: 11, recoveredAt: 12, gapSeconds: 1, cause: 'e1/etcd went down: killed' });
    // Holders stay a full history.
    expect(r.leaders.etcd.holders.map((h) => h.holder)).toEqual(['e1/etcd', 'e2/etcd', 'e3/etcd']);
    // Writes sent at 11..29: 19, the one at 11 failed; the one sent at 10 (answered before 11) is outside.
    expect(r.availability.apiWrite).toBeCloseTo(18 / 19, 12);
    expect(r.downtime.apiWrite).toEqual({ totalSeconds: 1, longestSeconds: 1 });
    // Led 12–30 of 11–30.
    expect(r.availability.etcdQuorum).toBeCloseTo(18 / 19, 12);
  });

  it('a failover still open at the end has no recovery, and the leaderless stretch runs to the end', () => {
    const list = story().filter((x) => !(x.kind === 'process' && x.subject === 'm1/kube-scheduler' && x.detail['state'] === 'up'));
    const r = fold(list, { from: 'start' });
    expect(r.failovers.at(-1)).toEqual({ group: 'kube-scheduler', lostAt: 25, recoveredAt: null, gapSeconds: null, cause: 'm1/kube-scheduler paused: fault' });
    expect(r.leaders['kube-scheduler'].maxLeaderlessSeconds).toBe(5);
    expect(r.leaders['kube-scheduler'].leaderlessSeconds).toBe(5);
  });
});
