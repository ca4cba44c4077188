// report/metrics.ts: the report folded from observations alone (the trace is the only channel into the report).
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/observations.ts';
import { GROUPS } from '../../src/report/leaders.ts';
import { Metrics, type Report } from '../../src/report/metrics.ts';
import { metricValue } from '../../src/report/values.ts';
import { KNOWN_METRICS } from '../../src/scenario/metrics.ts';

const S = 1_000_000;
const BASE = {
  scenario: 't', seed: 1, topology: 'stacked', versions: { kubernetes: '1.31', etcd: '3.5' },
  eventsProcessed: 0, wallMs: 0, traceHash: 'x', truncated: false,
};

function fold(observations: Observation[], endUs: number, opts: ConstructorParameters<typeof Metrics>[2] = {}): Report {
  const m = new Metrics(GROUPS, { from: 'start' }, opts);
  for (const o of observations) m.observe(o);
  return m.report(BASE, endUs, 1 * S);
}

const probe = (at: number, op: 'read' | 'write', ok: boolean): Observation => ({ at, kind: 'probe', subject: 'client', detail: { op, ok, latencyMs: 2 } });
const running = (at: number, pod: string, node: string, on: boolean): Observation =>
  ({ at, kind: 'pod', subject: `${node}/kubelet`, detail: { pod, node, running: on } });

describe('Metrics folds the trace', () => {
  it('a lease holder serves from its leader observation, not from the next observation after it', () => {
    // kube-scheduler on master-1 leads at 2 s; its apiserver is unreachable 4–8 s; the run ends at 10 s.
    // Measured from the leader observation: window 2–10 s (8 s), serving 2–4 s and 8–10 s (4 s) → 0.5.
    // Counting from the next observation (4 s) would give a 6 s window with 2 s served → 1/3.
    const api = (at: number, ok: boolean): Observation =>
      ({ at, kind: 'component-api', subject: 'master-1/kube-scheduler', detail: { group: 'kube-scheduler', ok } });
    const r = fold([
      { at: 2 * S, kind: 'leader', subject: 'master-1/kube-scheduler', detail: { group: 'kube-scheduler', leading: true, cause: 'elected' } },
      api(4 * S, false),
      api(8 * S, true),
    ], 10 * S);
    expect(r.availability.scheduler).toBeCloseTo(0.5, 12);
  });

  it('stale-action observations count per group (staleLeaderActions)', () => {
    const stale = (at: number, group: 'kube-scheduler' | 'kube-controller-manager'): Observation =>
      ({ at, kind: 'stale-action', subject: 'master-1/kube-apiserver', detail: { group, identity: 'a', leaseHolder: 'b', revision: at } });
    const r = fold([stale(1 * S, 'kube-scheduler'), stale(2 * S, 'kube-scheduler'), stale(3 * S, 'kube-controller-manager')], 5 * S);
    expect(r.leaders['kube-scheduler'].staleLeaderActions).toBe(2);
    expect(r.leaders['kube-controller-manager'].staleLeaderActions).toBe(1);
    expect(r.leaders.etcd.staleLeaderActions).toBe(0);
  });

  it('nodes.*: NotReady transitions and evictions from node and pod observations', () => {
    const r = fold([
      { at: 1 * S, kind: 'node', subject: 'master-1/kube-controller-manager', detail: { node: 'worker-1', ready: false, note: '' } },
      { at: 2 * S, kind: 'node', subject: 'master-1/kube-controller-manager', detail: { node: 'worker-1', taint: true, note: '' } },
      { at: 3 * S, kind: 'pod', subject: 'master-1/kube-controller-manager', detail: { pod: 'p1', node: 'worker-1', evicted: true, note: '' } },
      { at: 4 * S, kind: 'node', subject: 'master-1/kube-controller-manager', detail: { node: 'worker-1', ready: true, note: '' } },
    ], 5 * S);
    expect(r.nodes).toEqual({ notReadyTransitions: 1, evictions: 1 });
  });

  it('workloads: pods a kubelet runs, lost with the kubelet; null without workers', () => {
    const trace: Observation[] = [
      running(0, 'p1', 'worker-1', true),
      running(0, 'p2', 'worker-2', true),
      { at: 4 * S, kind: 'process', subject: 'worker-2/kubelet', detail: { state: 'down', cause: 'killed', crash: true } },
      running(6 * S, 'p2', 'worker-1', true),
    ];
    const r = fold(trace, 10 * S, { desiredPods: 2 });
    expect(r.availability.workloads).toBeCloseTo((10 * 2 - 2) / (10 * 2), 12);
    expect(r.pods).toEqual({ desired: 2, maxRunning: 2, minRunning: 1 });
    const none = fold(trace, 10 * S);
    expect(none.availability.workloads).toBeNull();
    expect(none.pods).toEqual({ desired: 0, maxRunning: null, minRunning: null });
  });

  it('a fast-forward observation counts the skipped probes with the last outcome', () => {
    const trace: Observation[] = [
      probe(1 * S, 'write', true),
      probe(2 * S, 'write', false),
      { at: 13 * S, kind: 'fast-forward', subject: 'kernel', detail: { seconds: 10, note: '' } },
      probe(13 * S, 'write', false),
    ];
    const withSkip = fold(trace, 14 * S, { probeIntervalUs: 1 * S });
    expect(withSkip.fastForward).toEqual({ jumps: 1, skippedSeconds: 10 });
    expect(withSkip.availability.apiWrite).toBeCloseTo(1 / 13, 12);
    // Without the probe period nothing is counted for the skipped stretch.
    expect(fold(trace, 14 * S).availability.apiWrite).toBeCloseTo(1 / 3, 12);
  });
});

describe('scenario/metrics.ts (names an expect may use) against the report', () => {
  /** Numeric report fields that are not metrics an expectation may bound. */
  // Settings echoed into the report (the run's seed, the window, the N+1 limits the scenario set), not measurements.
  const NOT_METRICS = ['seed', 'wallMs', 'window.fromSeconds', 'window.toSeconds', 'fastForward.jumps', 'fastForward.skippedSeconds',
    'load.verdict.limitMs', 'load.verdict.limitFraction'];

  function numericLeaves(node: unknown, path: string[] = []): string[] {
    if (node === null || typeof node === 'number') return [path.join('.')];
    if (typeof node !== 'object' || Array.isArray(node)) return [];
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => numericLeaves(v, [...path, k]));
  }

  it('every numeric report field is a known metric, and every known metric has a value path in the report', () => {
    // With workers and with load (a sample each side of a fault and a write after it, for the N+1 verdict).
    const sample = (at: number): Observation =>
      ({ at, kind: 'apiserver-load', subject: 'master-1/kube-apiserver', detail: { utilisation: 0.5, inFlight: 1, waiting: 0, served: 10, rejected: 0 } });
    const report = fold([
      probe(1 * S, 'write', true), running(0, 'p1', 'worker-1', true), sample(1 * S),
      { at: 2 * S, kind: 'fault', subject: 'kill master-1', detail: { verb: 'kill', index: 0, phase: 'begin', text: 'kill master-1' } },
      { at: 3 * S, kind: 'load-request', subject: 'client/load-c', detail: { client: 'c', class: 'update', status: 200, ok: true, latencyMs: 5 } },
      sample(4 * S),
      { at: 4 * S, kind: 'etcd-latency', subject: 'master-1/etcd', detail: { fsyncs: 2, fsyncMeanMs: 1, fsyncMaxMs: 1, applied: 2, applyMeanMs: 2, applyMaxMs: 3, lateHeartbeats: 0, maxHeartbeatGapMs: 100 } },
    ], 5 * S, { desiredPods: 1, probeIntervalUs: 1 * S, load: { limits: { p99WriteMs: 100, rejectedFraction: 0.01 } } });
    expect(report.load?.verdict?.holds).toBe(true);
    expect(report.load?.etcd?.maxHeartbeatGapMs).toBe(100);
    const leaves = numericLeaves(report).filter((p) => !NOT_METRICS.includes(p));
    const known = new Set(KNOWN_METRICS);
    expect(leaves.filter((p) => !known.has(p))).toEqual([]);
    // Known metrics that are not leaves are derived by metricValue (failover figures, the violation count).
    const derived = KNOWN_METRICS.filter((m) => !leaves.includes(m));
    expect(derived.filter((m) => metricValue(report, m) === null)).toEqual([]);
    expect(derived.every((m) => m.startsWith('failovers.') || m === 'invariants.violationCount')).toBe(true);
  });
});
