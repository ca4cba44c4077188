// The scheduler's PodView, updated list by list, always says what a rebuild from the whole lists would say.
import { describe, expect, it } from 'vitest';
import type { ApiList } from '../../src/control/api.ts';
import { PodView } from '../../src/control/controllers/pod-view.ts';
import { bindingsKey, lastSegment, podKey, type Bindings } from '../../src/control/objects.ts';

type Item = ApiList['items'][number];

/** The view as the scheduler computed it before it was kept up to date: from the whole lists. */
function rebuilt(bindings: ApiList, pods: ApiList) {
  const bound = new Set<string>();
  const current = new Map<string, { pods: string[]; rv: number }>();
  for (const b of bindings.items) {
    const list = (b.value as Bindings).pods;
    current.set(lastSegment(b.key), { pods: list, rv: b.resourceVersion });
    for (const p of list) bound.add(p);
  }
  const exists = new Set(pods.items.map((p) => lastSegment(p.key)));
  const gone: [string, string[]][] = [];
  for (const [node, b] of current) {
    const missing = b.pods.filter((p) => !exists.has(p));
    if (missing.length > 0) gone.push([node, missing]);
  }
  return { current, pending: [...exists].filter((p) => !bound.has(p)), gone };
}

/** A small deterministic generator (tests only). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A sorted informer list that reuses the previous list's object for every key whose value is unchanged. */
function listOf(entries: Map<string, unknown>, prev: ApiList | null, rv: number): ApiList {
  const old = new Map((prev?.items ?? []).map((i) => [i.key, i]));
  const items: Item[] = [...entries.keys()].sort().map((key) => {
    const o = old.get(key);
    return o !== undefined && JSON.stringify(o.value) === JSON.stringify(entries.get(key)) ? o : { key, value: entries.get(key), resourceVersion: rv };
  });
  return { items, resourceVersion: rv };
}

describe('PodView', () => {
  it('matches a rebuild after every step of random pod and binding churn', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = lcg(seed);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const names = Array.from({ length: 40 }, (_, i) => `web-${(i * 37) % 100}`);
      const nodes = Array.from({ length: 8 }, (_, i) => `worker-${i + 1}`);
      const pods = new Map<string, unknown>();
      const binds = new Map<string, string[]>();
      const view = new PodView();
      let podList: ApiList | null = null;
      let bindList: ApiList | null = null;
      for (let step = 1; step <= 300; step++) {
        const r = rnd();
        const pod = pick(names);
        const node = pick(nodes);
        if (r < 0.3) pods.set(podKey(pod), { phase: 'Pending' });
        else if (r < 0.45) pods.delete(podKey(pod));
        else if (r < 0.55) pods.set(podKey(pod), { phase: step % 2 ? 'Running' : 'Pending' });
        else if (r < 0.75) binds.set(node, [...(binds.get(node) ?? []), pod]);
        else if (r < 0.85) binds.set(node, (binds.get(node) ?? []).filter((p) => p !== pod));
        else if (r < 0.9) binds.delete(node);
        // (0.9–1: nothing changes; the same lists again.)
        const bindEntries = new Map([...binds].map(([n, ps]) => [bindingsKey(n), { pods: ps }] as const));
        bindList = listOf(bindEntries, bindList, step);
        podList = listOf(pods, podList, step);
        view.update(bindList, podList);
        const want = rebuilt(bindList, podList);
        expect(view.pending, `seed ${seed} step ${step}`).toEqual(want.pending);
        expect(view.gone, `seed ${seed} step ${step}`).toEqual(want.gone);
        expect(new Map(view.current), `seed ${seed} step ${step}`).toEqual(want.current);
      }
    }
  });
});
