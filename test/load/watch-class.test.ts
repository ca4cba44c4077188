// Watches as a load class: the spec rules for `watch`, the watch cache's 429 while it initialises, the reflector's retriable 429, and informers in a run.
import { describe, expect, it } from 'vitest';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import { WatchCache } from '../../src/control/watch-cache.ts';
import type { EtcdClient } from '../../src/control/etcd-client.ts';
import { Reflector, type ReflectorHttp } from '../../src/control/reflector.ts';
import type { HttpCallback, HttpRequest, HttpResponse } from '../../src/net/http.ts';
import { validateLoadSpec } from '../../src/load/spec.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { LoadClient } from '../../src/control/load-client.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';

/** A context that records what is sent and which timers are armed; nothing else happens. */
function fakeCtx(): { ctx: Ctx; sent: { to: string; msg: Msg }[]; timers: Map<string, unknown> } {
  const sent: { to: string; msg: Msg }[] = [];
  const timers = new Map<string, unknown>();
  let draws = 0;
  const ctx = {
    self: 'master-1/kube-apiserver', machine: 'master-1', durable: {},
    random: { float: () => ((draws++ * 0.37) % 1) },
    now: () => 0,
    send: (to: string, msg: Msg) => sent.push({ to, msg }),
    setTimer: (name: string, _delayUs: number, data?: unknown) => timers.set(name, data),
    cancelTimer: (name: string) => timers.delete(name),
    hasTimer: (name: string) => timers.has(name),
    emit: () => {},
  } as unknown as Ctx;
  return { ctx, sent, timers };
}

/** An etcd client whose list never answers: the watch cache stays initialising. */
function silentEtcd(): EtcdClient {
  return { onLost: null, request: () => {}, readyTarget: () => undefined } as unknown as EtcdClient;
}

function req(id: number, body: unknown): HttpRequest {
  return { type: 'http.req', id, method: 'GET', path: '/api', body };
}

describe('the load spec of a watch class', () => {
  it('a watch is held, not sent at a rate: perSecond must be left out; other classes still need it', () => {
    expect(validateLoadSpec({ clients: [{ name: 'a', kind: 'user', requests: [{ class: 'watch', objects: 10 }] }] })).toEqual([]);
    expect(validateLoadSpec({ clients: [{ name: 'a', kind: 'user', requests: [{ class: 'watch', perSecond: 1 }] }] }))
      .toEqual([expect.stringMatching(/^load\.clients\[0\]\.requests\[0\]\.perSecond: a watch is held, not sent at a rate/)]);
    expect(validateLoadSpec({ clients: [{ name: 'a', kind: 'user', requests: [{ class: 'get' }] }] }))
      .toEqual(['load.clients[0].requests[0].perSecond: required']);
  });

  it('a scenario with a watch class parses; perSecond on it is bad input at its field path', () => {
    const head = 'name: t\nduration: 30s\ncluster: { topology: stacked, masters: 3 }\n';
    const sc = parseScenarioText(`${head}load: { clients: [{ name: a, requests: [{ class: watch, objects: 100 }] }] }\n`, 'x.yaml');
    expect(sc.load!.clients[0]!.requests[0]).toMatchObject({ class: 'watch', objects: 100 });
    expect(() => parseScenarioText(`${head}load: { clients: [{ name: a, requests: [{ class: watch, perSecond: 2 }] }] }\n`, 'x.yaml'))
      .toThrow(/x\.yaml: load\.clients\[0\]\.requests\[0\]\.perSecond: a watch is held/);
  });
});

describe('a watch cache that is still initialising (ResilientWatchCacheInitialization)', () => {
  const load = { class: 'list', client: 'user', user: 'a-0' };

  it('answers a load client\'s LIST and WATCH at once with 429 "storage is (re)initializing", Retry-After 1', () => {
    const { ctx, sent } = fakeCtx();
    const cache = new WatchCache(ctx, silentEtcd());
    expect(cache.serve('lb', req(1, { verb: 'list', prefix: '/registry/hasim-load/a/', cached: true, load }), { verb: 'list', prefix: '/registry/hasim-load/a/', cached: true, load } as never)).toBe(true);
    const watchBody = { verb: 'watch', prefix: '/registry/hasim-load/a/', resourceVersion: 3, load: { ...load, class: 'watch' } };
    cache.serve('lb', req(2, watchBody), watchBody as never);
    const answers = sent.filter((s) => s.msg.type === 'http.resp').map((s) => s.msg);
    expect(answers).toEqual([
      { type: 'http.resp', id: 1, status: 429, error: 'storage is (re)initializing', retryAfter: '1' },
      { type: 'http.resp', id: 2, status: 429, error: 'storage is (re)initializing', retryAfter: '1' },
    ]);
  });

  it('keeps other clients\' requests (kubelets, informers without a load tag) waiting for the cache, as before', () => {
    const { ctx, sent } = fakeCtx();
    const cache = new WatchCache(ctx, silentEtcd());
    const body = { verb: 'list', prefix: '/registry/pods/', cached: true };
    expect(cache.serve('kubelet', req(1, body), body as never)).toBe(true);
    expect(sent.filter((s) => s.msg.type === 'http.resp')).toEqual([]);
  });
});

describe('the reflector and a 429 on its watch (reflector.go isWatchErrorRetriable)', () => {
  it('backs off and watches again from its resourceVersion instead of re-listing', () => {
    const { ctx, timers } = fakeCtx();
    const calls: string[] = [];
    let end: HttpCallback | null = null;
    const http: ReflectorHttp = {
      request: (_to, r, _t, cb) => {
        calls.push(`list`);
        cb({ type: 'http.resp', id: 1, status: 200, body: { items: [], resourceVersion: 7 } });
        return 1;
      },
      stream: (_to, r, _t, _chunk, onEnd) => {
        calls.push(`watch@${(r.body as { resourceVersion: number }).resourceVersion}`);
        end = onEnd;
        return 2;
      },
      abort: () => {},
    };
    const refl = new Reflector(ctx, http, { endpoint: 'vip', prefix: '/registry/x/', timerName: 'refl', requestTimeoutUs: 60_000_000 });
    refl.start();
    expect(calls).toEqual(['list', 'watch@7']);
    end!({ type: 'http.resp', id: 2, status: 429, error: 'storage is (re)initializing' } as HttpResponse);
    expect(timers.get('refl')).toBe('watch');
    refl.timer('refl', timers.get('refl'));
    expect(calls).toEqual(['list', 'watch@7', 'watch@7']);
    expect(refl.lists).toBe(1);
  });
});

describe('an informer of a load client', () => {
  it('takes a token for its LIST, retries it after Retry-After, then watches on the client\'s connection', () => {
    const f = fakeCtx();
    const emitted: unknown[] = [];
    (f.ctx as unknown as { emit: (k: string, d: unknown) => void }).emit = (_k, d) => emitted.push(d);
    const lc = new LoadClient({
      name: 'agents', endpoint: 'vip', kind: 'service-account', count: 1, qps: 5, burst: 10, arrivals: 'poisson',
      requests: [{ class: 'watch', perSecond: 0, objects: 500 }], timeoutUs: 60_000_000,
    });
    lc.start(f.ctx);
    lc.timer(f.ctx, 'informer-start:0:0', f.timers.get('informer-start:0:0'));
    const reqs = (): HttpRequest[] => f.sent.map((s) => s.msg as unknown as HttpRequest);
    expect(reqs()).toHaveLength(1);
    expect(reqs()[0]!.body).toMatchObject({ verb: 'list', prefix: '/registry/hasim-load/agents/', cached: true, load: { class: 'list', client: 'service-account', objects: 500 } });
    expect(reqs()[0]!.conn).toBe('agents-0.0');
    lc.message(f.ctx, 'vip', { type: 'http.resp', id: reqs()[0]!.id, status: 429, error: 'storage is (re)initializing', retryAfter: '1' });
    expect(f.timers.has('retry:1')).toBe(true);
    lc.timer(f.ctx, 'retry:1', f.timers.get('retry:1'));
    expect(reqs()).toHaveLength(2);
    lc.message(f.ctx, 'vip', { type: 'http.resp', id: reqs()[1]!.id, status: 200, body: { items: [], resourceVersion: 9 } });
    expect(emitted).toEqual([{ client: 'agents', class: 'list', status: 200, ok: true, latencyMs: 0, retries: 1, informer: true }]);
    expect(reqs()).toHaveLength(3);
    expect(reqs()[2]!.body).toMatchObject({ verb: 'watch', resourceVersion: 9, load: { class: 'watch' } });
    expect(reqs()[2]!.conn).toBe('agents-0.0');
  });
});

describe('informers of a watch class in a run', () => {
  const scenario = (faults: string): string => `name: t
duration: 70s
cluster: { topology: stacked, masters: 3 }
load:
  balance: leastconn
  clients:
    - { name: agents, count: 30, requests: [{ class: watch, objects: 200 }] }
${faults}`;

  it('each agent lists once at start; a restarted apiserver\'s new cache forces re-lists (410) of agents that land on it', () => {
    const quiet = runScenario(parseScenarioText(scenario(''), 'x.yaml'), { seed: 1 }).report.load!;
    expect(quiet.phases).toHaveLength(1);
    // Started at a drawn time in the first 10 s; the few sent before the cluster was ready are not measured.
    expect(quiet.phases[0]!.informerLists).toBeGreaterThanOrEqual(24);
    expect(quiet.relists).toBe(0);
    const restarted = runScenario(parseScenarioText(scenario('faults: [{ at: 20s, stop: master-1/kube-apiserver, for: 10s }]\n'), 'x.yaml'), { seed: 1 }).report.load!;
    expect(restarted.phases).toHaveLength(2);
    expect(restarted.relists).toBeGreaterThan(0);
    expect(restarted.phases[1]!.classes.find((c) => c.class === 'list')!.requests).toBe(restarted.relists);
  });
});
