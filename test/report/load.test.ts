// The load report fold: phases split at the first fault, nearest-rank percentiles, the N+1 verdict only when asked.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/trace.ts';
import { LoadFold, percentile } from '../../src/report/load.ts';

const S = 1_000_000;
let seq = 0;
const obs = (at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation =>
  ({ at, seq: seq++, kind, subject, detail }) as unknown as Observation;
const sample = (at: number, subject: string, utilisation: number, served: number, rejected: number): Observation =>
  obs(at, 'apiserver-load', subject, { utilisation, inFlight: 1, waiting: 0, served, rejected });
const request = (at: number, cls: string, latencyMs: number, ok = true): Observation =>
  obs(at, 'load-request', 'client/load-u', { client: 'u', class: cls, status: ok ? 200 : 0, ok, latencyMs });

function fold(limits: { p99WriteMs: number; rejectedFraction: number } | null): LoadFold {
  const f = new LoadFold(limits);
  f.observe(request(2 * S, 'get', 1000)); // sent at 1 s: before the window (from 1.5 s), not counted
  f.observe(sample(5 * S, 'master-1/kube-apiserver', 0.5, 100, 0));
  f.observe(sample(5 * S, 'master-2/kube-apiserver', 0.7, 100, 0));
  for (let i = 1; i <= 100; i++) f.observe(request(3 * S + i, 'update', i));
  f.observe(obs(6 * S, 'fault', 'master-1', { phase: 'begin', verb: 'stop' }));
  f.observe(sample(10 * S, 'master-2/kube-apiserver', 1, 90, 10));
  f.observe(request(9 * S, 'update', 2000, false));
  return f;
}

describe('load report', () => {
  it('percentile is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('splits at the first fault, counts from the window start, and answers N+1 only when asked', () => {
    const r = fold({ p99WriteMs: 1000, rejectedFraction: 0.05 }).finish(1.5 * S, 12 * S);
    const [before, after] = r.phases;
    expect(before!.classes).toEqual([{ class: 'update', requests: 100, failed: 0, retried: 0, p50Ms: 50, p99Ms: 99 }]);
    expect(before!.apiservers.map((a) => a.utilisation)).toEqual([0.5, 0.7]);
    expect(after!.fromSeconds).toBe(6);
    expect(after!.rejectedFraction).toBe(0.1);
    expect(after!.writeP99Ms).toBe(2000);
    expect(r.verdict).toEqual({ p99WriteMs: 2000, limitMs: 1000, rejectedFraction: 0.1, limitFraction: 0.05, holds: false });
    expect(r.endUtilisation).toEqual([{ name: 'master-1/kube-apiserver', utilisation: 0.5 }, { name: 'master-2/kube-apiserver', utilisation: 0.85 }]);
    expect(r.endSpread).toBe(0.35);
    expect(fold(null).finish(1.5 * S, 12 * S).verdict).toBeUndefined();
  });
});

describe('load report: informers', () => {
  it('counts informer LISTs per phase, re-lists after the first fault, and "storage is (re)initializing" 429s', () => {
    const f = new LoadFold(null);
    const informerList = (at: number): Observation =>
      obs(at, 'load-request', 'client/load-agents', { client: 'agents', class: 'list', status: 200, ok: true, latencyMs: 100, informer: true });
    f.observe(informerList(2 * S));
    f.observe(informerList(3 * S));
    f.observe(request(3 * S, 'list', 100)); // a plain LIST of a load client: not an informer's
    f.observe(obs(4 * S, 'apiserver-load', 'master-1/kube-apiserver', { utilisation: 0.1, inFlight: 0, waiting: 0, served: 5, rejected: 2, initialising: 2 }));
    f.observe(obs(6 * S, 'fault', 'master-1', { phase: 'begin', verb: 'stop' }));
    for (const at of [7, 8, 9]) f.observe(informerList(at * S));
    const r = f.finish(1 * S, 12 * S);
    expect(r.phases.map((p) => [p.informerLists, p.initialising429s])).toEqual([[2, 2], [3, 0]]);
    expect(r.relists).toBe(3);
    expect(new LoadFold(null).finish(0, S).relists).toBe(0);
  });
});
