// etcd watches on a member (history, compaction, leader loss) and the apiserver's watch cache fed by one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import { Cacher } from '../../src/control/cacher.ts';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import { WatchHub, type WatchResponse } from '../../src/etcd/watch.ts';
import { scenario } from './helpers.ts';

function fakeCtx(): { ctx: Ctx; sent: { to: string; msg: WatchResponse }[]; advance(us: number): void } {
  let now = 0;
  const sent: { to: string; msg: WatchResponse }[] = [];
  const ctx = { now: () => now, send: (to: string, msg: Msg) => sent.push({ to, msg: msg as unknown as WatchResponse }) } as unknown as Ctx;
  return { ctx, sent, advance: (us) => void (now += us) };
}

const put = (key: string, value: unknown, revision: number) => [{ kind: 'put' as const, key, value }, { succeeded: true, revision }] as const;

describe('etcd watch on a member', () => {
  it('a watcher gets the history from its start revision, then each applied batch under its prefix, one message per batch', () => {
    const { ctx, sent } = fakeCtx();
    const hub = new WatchHub(ctx, 0, 10);
    hub.record(...put('/registry/nodes/a', 1, 1));
    hub.record(...put('/registry/pods/x', 1, 2));
    hub.flush();
    hub.receive('apiserver', 6, { kind: 'watch', prefix: '/registry/nodes/', startRevision: 1 });
    expect(sent.map((s) => s.msg.events?.map((e) => e.revision))).toEqual([[1]]);
    hub.record(...put('/registry/nodes/b', 1, 3));
    hub.record(...put('/registry/pods/y', 1, 4));
    hub.record(...put('/registry/nodes/c', 1, 5));
    hub.flush();
    expect(sent[1]!.msg).toMatchObject({ id: 6, ok: true, more: true });
    expect(sent[1]!.msg.events?.map((e) => e.key)).toEqual(['/registry/nodes/b', '/registry/nodes/c']);
  });

  it('a start revision at or below the compacted one fails with the compact revision (the client re-lists)', () => {
    const { ctx, sent, advance } = fakeCtx();
    const hub = new WatchHub(ctx, 0, 10);
    hub.record(...put('/k/a', 1, 1));
    advance(300_000_001);
    // Each 5-minute tick compacts to the revision seen at the previous tick: 0 at the first (300 s), 1 at the second.
    hub.record(...put('/k/b', 1, 2));
    advance(300_000_000);
    hub.record(...put('/k/c', 1, 3));
    hub.receive('apiserver', 2, { kind: 'watch', prefix: '/k/', startRevision: 1 });
    expect(sent.at(-1)!.msg).toMatchObject({ ok: false, compactRevision: 1 });
    hub.receive('apiserver', 6, { kind: 'watch', prefix: '/k/', startRevision: 2 });
    expect(sent.at(-1)!.msg.events?.map((e) => e.revision)).toEqual([2, 3]);
  });

  it('watches that require a leader end after 3 election timeouts without one', () => {
    const { ctx, sent } = fakeCtx();
    const hub = new WatchHub(ctx, 0, 10);
    hub.receive('apiserver', 2, { kind: 'watch', prefix: '/k/', startRevision: 1 });
    for (let t = 0; t < 29; t++) hub.tick(false);
    expect(hub.size).toBe(1);
    hub.tick(false);
    expect(hub.size).toBe(0);
    expect(sent.at(-1)!.msg).toMatchObject({ ok: false, error: 'etcdserver: no leader' });
  });
});

describe("the apiserver's watch cache", () => {
  afterEach(() => vi.restoreAllMocks());

  it('re-lists from etcd when its etcd watch breaks (its member killed), and only then', () => {
    const starts: { at: number; apiserver: string }[] = [];
    let run: Run | null = null;
    const proto = Cacher.prototype as unknown as { startCaching(): void };
    const original = proto.startCaching;
    vi.spyOn(proto, 'startCaching').mockImplementation(function (this: unknown) {
      starts.push({ at: run!.sim.time, apiserver: (this as { ctx: Ctx }).ctx.self });
      return original.call(this);
    });
    // Stacked: each apiserver uses its local etcd member only.
    run = new Run(scenario('name: t\nduration: 150s\ncluster: { masters: 3, workers: 3, pods: 6 }\nfaults: [ { at: 60s, kill: master-2/etcd }, { at: 90s, start: master-2/etcd } ]\n'), { seed: 1 });
    run.finish();
    const later = starts.filter((s) => s.at > 30e6);
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(later.map((s) => s.apiserver))).toEqual(new Set(['master-2/kube-apiserver']));
    expect(Math.min(...later.map((s) => s.at))).toBeGreaterThanOrEqual(60e6);
  });
});
