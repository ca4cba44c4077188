// The page reads what the models emit: every control-plane observation of real runs is read, and the apiserver pill fills.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import type { Observation } from '../../src/index.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { loose } from '../observations.ts';
import { readBackend, readLease, readNode, readPod, readReady, readVip } from '../../web/src/readers.ts';
import { apply, emptyState } from '../../web/src/state.ts';

const traceOf = (name: string): Observation[] => runScenario(loadScenarioFile(`scenarios/${name}.yaml`), { seed: 1 }).run.sim.trace.observations;

/** The observations a reader must understand, and whether it did. */
const MUST_READ: Record<string, (o: Observation) => boolean> = {
  'lb-backend': (o) => readBackend(o) !== null,
  vip: (o) => readVip(o) !== undefined,
  lease: (o) => readLease(o) !== null,
  apiserver: (o) => readReady(o) !== null,
  // Ready/NotReady writes (taint writes carry no readiness).
  node: (o) => !('ready' in o.detail) || readNode(o) !== null,
  // Pods starting or stopping on a node (the scheduler's and ReplicaSet's pod notes place no pod on a node).
  pod: (o) => !(o.subject.endsWith('/kubelet') || loose(o)['evicted'] === true) || readPod(o) !== null,
};

describe('readers of the control-plane kinds', () => {
  const traces = ['lb-pair-with-vip', 'worker-power-off', 'lose-etcd-quorum'].map(traceOf);

  it('read every such observation of real runs', () => {
    const seen = new Map<string, number>();
    const unread: Observation[] = [];
    for (const o of traces.flat()) {
      const read = MUST_READ[o.kind];
      if (read === undefined) continue;
      seen.set(o.kind, (seen.get(o.kind) ?? 0) + 1);
      if (!read(o)) unread.push(o);
    }
    expect(unread.slice(0, 5)).toEqual([]);
    // Each kind occurred, so the check above checked something.
    expect([...seen.keys()].sort()).toEqual(Object.keys(MUST_READ).sort());
  });

  it('read what they say: a DOWN backend, the VIP taken and dropped, a NotReady node, an evicted pod', () => {
    const all = traces.flat();
    const down = all.find((o) => o.kind === 'lb-backend' && o.detail['state'] === 'DOWN')!;
    expect(readBackend(down)).toMatchObject({ lb: down.subject.split('/')[0], up: false });
    expect(all.filter((o) => o.kind === 'vip').map(readVip)).toEqual(expect.arrayContaining(['lb-1', null]));
    expect(readNode(all.find((o) => o.kind === 'node' && o.detail['ready'] === false)!)).toMatchObject({ node: 'worker-2', ready: false });
    expect(readPod(all.find((o) => o.kind === 'pod' && loose(o)['evicted'] === true)!)).toMatchObject({ node: 'worker-2', gone: true });
  });
});

describe('the apiserver pill (ViewState.apiservers)', () => {
  it('holds each apiserver\'s readiness as its etcd health check last stored it', () => {
    const trace = traceOf('lose-etcd-quorum');
    const first = trace.findIndex((o) => o.kind === 'apiserver');
    expect(first).toBeGreaterThan(0);
    const s = emptyState();
    for (const o of trace.slice(0, first)) apply(s, o);
    expect(s.apiservers).toEqual({});
    apply(s, trace[first]!);
    expect(s.apiservers[trace[first]!.subject]).toEqual({ ok: false, text: loose(trace[first]!)['cause'], since: trace[first]!.at });
    expect(String(loose(trace[first]!)['cause'])).toMatch(/^etcd check failed/);
    for (const o of trace.slice(first + 1)) apply(s, o);
    const last = new Map(trace.filter((o) => o.kind === 'apiserver').map((o) => [o.subject, loose(o)['ready']]));
    expect(Object.fromEntries(Object.entries(s.apiservers).map(([id, v]) => [id, v.ok]))).toEqual(Object.fromEntries(last));
    expect(Object.keys(s.apiservers).length).toBe(3);
  });
});
