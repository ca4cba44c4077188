// The scheduler's pass reads the node list only when it has pods to place or deleted pods to unbind, and reuses what it derived from unchanged lists.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import type { ApiList } from '../../src/control/api.ts';
import { PodScheduler } from '../../src/control/controllers/scheduler.ts';
import { Api, BINDINGS_PREFIX, bindingsKey, nodeKey, NODES_PREFIX, podKey, PODS_PREFIX, type NodeObject } from '../../src/control/objects.ts';

type Item = ApiList['items'][number];
const item = (key: string, value: unknown, rv = 1): Item => ({ key, value, resourceVersion: rv });
const node = (name: string): Item => item(nodeKey(name), { ready: true, unreachableSince: null, zone: 1 } as unknown as NodeObject);

/** A scheduler over informer lists the test sets, with every list read and every API call recorded. */
function harness() {
  const lists: Record<string, ApiList> = {
    [NODES_PREFIX]: { items: [node('worker-1'), node('worker-2')], resourceVersion: 1 },
    [BINDINGS_PREFIX]: { items: [item(bindingsKey('worker-1'), { pods: ['a'] })], resourceVersion: 1 },
    [PODS_PREFIX]: { items: [item(podKey('a'), { phase: 'Running' })], resourceVersion: 1 },
  };
  const reads: string[] = [];
  const calls: { verb: string; key?: string; value?: unknown }[] = [];
  const api = {
    inform() {},
    list(prefix: string, cb: (l: ApiList | null) => void) {
      reads.push(prefix);
      cb(lists[prefix] ?? null);
    },
    call(op: { verb: string; key?: string; value?: unknown }) {
      calls.push(op);
    },
  } as unknown as Api;
  const ctx = { setTimer() {}, emit() {}, now: () => 0 } as unknown as Ctx;
  const s = new PodScheduler(ctx, api);
  s.start();
  const pass = () => {
    reads.length = 0;
    s.timer('ctl:sched');
  };
  return { lists, reads, calls, pass };
}

describe('scheduler pass', () => {
  it('with every pod bound, a pass reads bindings and pods but not the node list', () => {
    const h = harness();
    h.pass();
    expect(h.reads).toEqual([BINDINGS_PREFIX, PODS_PREFIX]);
    expect(h.calls).toEqual([]);
    // The node list changed (a node's status): still nothing to place, still not read.
    h.lists[NODES_PREFIX] = { items: [node('worker-1'), node('worker-2'), node('worker-3')], resourceVersion: 2 };
    h.pass();
    expect(h.reads).toEqual([BINDINGS_PREFIX, PODS_PREFIX]);
    expect(h.calls).toEqual([]);
  });

  it('a new pod makes the pass read the nodes and bind it on the emptiest Ready worker', () => {
    const h = harness();
    h.pass();
    h.lists[PODS_PREFIX] = { items: [item(podKey('a'), { phase: 'Running' }), item(podKey('b'), { phase: 'Pending' })], resourceVersion: 2 };
    h.pass();
    expect(h.reads).toEqual([BINDINGS_PREFIX, PODS_PREFIX, NODES_PREFIX]);
    expect(h.calls).toEqual([expect.objectContaining({ verb: 'create', key: bindingsKey('worker-2'), value: { pods: ['b'] } })]);
  });

  it('a bound pod that was deleted is unbound at every pass until the bindings change', () => {
    const h = harness();
    h.lists[PODS_PREFIX] = { items: [], resourceVersion: 2 };
    h.pass();
    h.pass();
    // unbind reads the node's bindings first (a get), once per pass.
    expect(h.calls.filter((c) => c.verb === 'get' && c.key === bindingsKey('worker-1')).length).toBe(2);
  });
});
