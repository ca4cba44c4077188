// Kubelets and informers watch through the apiserver's watch cache: delivery on change, re-list after a break, no polling.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loose } from '../observations.ts';
import { Run } from '../../src/cluster/run.ts';
import { Apiserver } from '../../src/control/apiserver.ts';
import type { ApiRequestBody } from '../../src/control/api.ts';
import type { HttpRequest } from '../../src/net/http.ts';
import { BINDINGS_PREFIX, POD_STARTUP_US } from '../../src/control/objects.ts';
import { obs, scenario } from '../etcd/helpers.ts';

interface Seen {
  at: number;
  apiserver: string;
  body: ApiRequestBody;
}

/** Every API request the apiservers serve, with the true time it arrived (spied on Apiserver.serve). */
function recordRequests(): { seen: Seen[]; run: (yaml: string, seed: number) => Run } {
  const seen: Seen[] = [];
  let current: Run | null = null;
  const proto = Apiserver.prototype as unknown as { serve(from: string, req: HttpRequest): void };
  const original = proto.serve;
  vi.spyOn(proto, 'serve').mockImplementation(function (this: unknown, from: string, req: HttpRequest) {
    const self = this as { ctx: { self: string } };
    seen.push({ at: current!.sim.time, apiserver: self.ctx.self, body: req.body as ApiRequestBody });
    return original.call(this, from, req);
  });
  return {
    seen,
    run(yaml, seed) {
      current = new Run(scenario(yaml), { seed });
      current.finish();
      return current;
    },
  };
}

const podReads = (s: Seen): boolean => (s.body.verb === 'get' || s.body.verb === 'list') && 'key' in s.body && s.body.key.startsWith(BINDINGS_PREFIX);

afterEach(() => vi.restoreAllMocks());

describe('the kubelet watches its pods', () => {
  it('a pod bound to a node reaches its kubelet within one watch delivery (it starts POD_STARTUP_US after the bind, not a poll later)', () => {
    const { run } = recordRequests();
    for (let seed = 1; seed <= 3; seed++) {
      const r = run('name: t\nduration: 30s\ncluster: { workers: 3, pods: 6 }\n', seed);
      const scheduled = obs(r, 'pod', (o) => loose(o)['scheduled'] === true);
      expect(scheduled.length, `seed ${seed}`).toBe(6);
      for (const s of scheduled) {
        const started = obs(r, 'pod', (o) => loose(o)['running'] === true && loose(o)['pod'] === loose(s)['pod']);
        expect(started.length, `seed ${seed} ${String(loose(s)['pod'])}`).toBe(1);
        // One delivery: etcd apply → the apiserver's cacher → the kubelet, a few network hops (ms), no poll period.
        const lagUs = started[0]!.at - s.at - POD_STARTUP_US;
        expect(Math.abs(lagUs), `seed ${seed}`).toBeLessThan(20_000);
      }
    }
  });

  it('a watch broken by its apiserver restarting re-lists (the new cache answers 410 Gone) and later bindings still arrive', () => {
    const { seen, run } = recordRequests();
    // No load balancer: every client talks to master-1's apiserver, which is killed and started again 10 s later.
    const r = run(`name: t
duration: 200s
cluster: { masters: 3, workers: 6, pods: 12, loadBalancer: { count: 0 } }
params: { nodeLifecycle: { tolerationSeconds: 20s } }
faults: [ { at: 60s, kill: master-1/kube-apiserver }, { at: 70s, start: master-1/kube-apiserver }, { at: 100s, kill: worker-6 } ]
`, 2);
    const reads = seen.filter(podReads);
    expect(reads.filter((s) => s.at < 30e6).length).toBe(6);
    expect(reads.filter((s) => s.at >= 30e6 && s.at < 60e6)).toEqual([]);
    // Every kubelet lists again once the restarted apiserver answers its resumed watch with 410.
    const relisted = new Set(reads.filter((s) => s.at >= 60e6).map((s) => ('key' in s.body ? s.body.key : '')));
    expect(relisted.size).toBe(5 + 1);
    // The watch works after the re-list: worker-6's evicted pods are bound elsewhere and start there.
    const evicted = obs(r, 'pod', (o) => loose(o)['evicted'] === true);
    expect(evicted.length).toBe(2);
    const restarted = obs(r, 'pod', (o) => loose(o)['running'] === true && o.at > evicted[0]!.at);
    expect(restarted.length).toBe(2);
  });
});

describe('steady state', () => {
  it('100 workers make no periodic pod reads: after start-up, only watches (renewed every 5–10 min) and node Lease writes', () => {
    const { seen, run } = recordRequests();
    run('name: t\nduration: 700s\ncluster: { topology: external, masters: 3, etcdMembers: 3, workers: 100, pods: 200 }\n', 1);
    const steady = seen.filter((s) => s.at >= 60e6);
    const byVerb = new Map<string, number>();
    for (const s of steady) {
      const b = s.body as { key?: string; prefix?: string };
      const resource = (b.key ?? b.prefix ?? '').split('/')[2];
      const kind = `${s.body.verb} ${resource}`;
      byVerb.set(kind, (byVerb.get(kind) ?? 0) + 1);
    }
    expect(steady.filter(podReads)).toEqual([]);
    // Node Lease renewals: about one per kubelet per 10 s over 640 s.
    expect(byVerb.get('update leases')).toBeGreaterThan(100 * 60);
    // Each kubelet re-watches when its watch times out (5–10 min): at most 2 in 640 s, no more.
    const podWatches = byVerb.get('watch hasim-bindings') ?? 0;
    expect(podWatches).toBeGreaterThan(0);
    expect(podWatches).toBeLessThanOrEqual(200);
    // Controllers read their informers: no list reaches an apiserver in steady state.
    expect([...byVerb.keys()].filter((k) => k.startsWith('list'))).toEqual([]);
  });
});
