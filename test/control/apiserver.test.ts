// kube-apiserver unit tests: health endpoints vs the etcd check, storage verbs on a fake etcd, the request deadline, liveness restarts.
import { describe, expect, it } from 'vitest';
import type { ApiserverConfig } from '../../src/control/apiserver.ts';
import type { ApiRequestBody } from '../../src/control/api.ts';
import { HttpClient, type HttpMethod, type HttpResponse } from '../../src/net/http.ts';
import { proc, startAt, states, world } from '../kernel/harness.ts';
import { apiserverOn, fakeEtcd } from './fakes.ts';

const S = 1_000_000;
const LATENCY_US = 1000;

interface Call { at: number; method: HttpMethod; path: string; body?: ApiRequestBody; timeoutUs?: number }

/** An apiserver on m1, a fake etcd, and a client that sends `calls` at their times; answers are logged with their arrival time. */
function setup(calls: Call[], cfg: Partial<ApiserverConfig> = {}, opts: { etcdUp?: boolean } = {}) {
  const sim = world({ latencyUs: LATENCY_US });
  const etcd = fakeEtcd(sim);
  const api = apiserverOn(sim, cfg);
  const answers: { at: number; path: string; resp: HttpResponse }[] = [];
  let http: HttpClient;
  const client = proc(sim, 'c/client', {
    start(ctx) {
      http = new HttpClient(ctx);
      calls.forEach((c, i) => ctx.setTimer(`call${i}`, c.at, i));
    },
    message(_ctx, _from, msg) { http.onMessage(msg); },
    timer(_ctx, name, data) {
      if (http.onTimer(name, data)) return;
      const c = calls[data as number]!;
      const req = c.body === undefined ? { method: c.method, path: c.path } : { method: c.method, path: c.path, body: c.body };
      http.request('m1/kube-apiserver', req, c.timeoutUs ?? 30 * S, (resp) => answers.push({ at: sim.now, path: c.path, resp }));
    },
  });
  if (opts.etcdUp !== false) startAt(sim, etcd.p);
  startAt(sim, api);
  startAt(sim, client);
  return { sim, etcd: etcd.state, answers };
}

describe('kube-apiserver health endpoints', () => {
  it('/readyz, /livez and /healthz answer 200 while the etcd check succeeds, 500 after its 2 s timeout once etcd stops answering', () => {
    const calls: Call[] = [
      { at: 1 * S, method: 'GET', path: '/readyz' },
      { at: 3 * S, method: 'GET', path: '/livez' },
      { at: 5 * S, method: 'GET', path: '/healthz' },
      { at: 12 * S, method: 'GET', path: '/readyz' },
    ];
    const h = setup(calls);
    h.sim.at(10 * S, 'etcd hangs', () => { h.etcd.hung = true; });
    h.sim.run({ untilUs: 20 * S });
    expect(h.answers.map((a) => [a.path, a.resp.status])).toEqual([['/readyz', 200], ['/livez', 200], ['/healthz', 200], ['/readyz', 500]]);
    // Healthy answers: client→apiserver, apiserver→etcd, back, back: four hops.
    expect(h.answers[0]!.at).toBe(1 * S + 4 * LATENCY_US);
    // The failing check: the request reaches the apiserver (1 hop), the probe waits out its 2 s timeout, the 500 goes back (1 hop).
    expect(h.answers[3]!.at).toBe(12 * S + 2 * S + 2 * LATENCY_US);
    expect(h.answers[3]!.resp.error).toContain('etcd check failed');
  });

  it('a /readyz within timeout/2 of an admitted check gets the stored result without a new etcd probe', () => {
    const calls: Call[] = [
      { at: 1 * S, method: 'GET', path: '/readyz' },
      { at: 1.5 * S, method: 'GET', path: '/readyz' },
      { at: 2.5 * S, method: 'GET', path: '/readyz' },
    ];
    const h = setup(calls);
    let probesAtHalf = -1;
    let probesAtEnd = -1;
    h.sim.at(1.6 * S, 'count', () => { probesAtHalf = h.etcd.requests; });
    h.sim.run({ untilUs: 3 * S });
    probesAtEnd = h.etcd.requests;
    expect(h.answers.map((a) => a.resp.status)).toEqual([200, 200, 200]);
    // The second answer comes straight back (2 hops), no etcd round trip.
    expect(h.answers[1]!.at).toBe(1.5 * S + 2 * LATENCY_US);
    expect(probesAtEnd - probesAtHalf).toBe(1);
  });
});

describe('kube-apiserver storage verbs', () => {
  it('maps get/create/update/list/delete onto etcd ops with resourceVersion preconditions', () => {
    const K = '/registry/things/a';
    const seq: [HttpMethod, ApiRequestBody][] = [
      ['GET', { verb: 'get', key: K }], // 404: nothing yet
      ['POST', { verb: 'create', key: K, value: 'v1' }], // rev 1
      ['POST', { verb: 'create', key: K, value: 'again' }], // 409: exists
      ['GET', { verb: 'get', key: K }], // 200 v1 @1
      ['PUT', { verb: 'update', key: K, value: 'stale', resourceVersion: 7 }], // 409
      ['PUT', { verb: 'update', key: K, value: 'v2', resourceVersion: 1 }], // rev 2
      ['PUT', { verb: 'put', key: '/registry/things/b', value: 'b1' }], // rev 3
      ['GET', { verb: 'list', prefix: '/registry/things/' }], // a@2, b@3, rv 3
      ['DELETE', { verb: 'delete', key: K, resourceVersion: 1 }], // 409: a is at 2
      ['DELETE', { verb: 'delete', key: K, resourceVersion: 2 }], // 200, rev 4
      ['DELETE', { verb: 'delete', key: K }], // 404
    ];
    const h = setup(seq.map(([method, body], i) => ({ at: 1 * S + i * 100_000, method, path: '/api', body })));
    h.sim.run({ untilUs: 5 * S });
    expect(h.answers.map((a) => a.resp.status)).toEqual([404, 200, 409, 200, 409, 200, 200, 200, 409, 200, 404]);
    const bodies = h.answers.map((a) => a.resp.body);
    expect(bodies[1]).toEqual({ value: 'v1', resourceVersion: 1 });
    expect(bodies[3]).toEqual({ value: 'v1', resourceVersion: 1 });
    expect(bodies[5]).toEqual({ value: 'v2', resourceVersion: 2 });
    expect(bodies[7]).toEqual({
      items: [{ key: K, value: 'v2', resourceVersion: 2 }, { key: '/registry/things/b', value: 'b1', resourceVersion: 3 }],
      resourceVersion: 3,
    });
    expect(bodies[9]).toEqual({ value: null, resourceVersion: 4 });
    expect(h.etcd.kv.read({ kind: 'get', key: K }).kv).toBeNull();
  });

  it('tells the checkers of committed Lease writes and leader actions, not of other writes', () => {
    const lease = { holderIdentity: 'm2_abc', leaseDurationSeconds: 15, acquireTime: 0, renewTime: 0, leaderTransitions: 3 };
    const calls: Call[] = [
      { at: 1 * S, method: 'PUT', path: '/api', body: { verb: 'put', key: '/registry/leases/kube-system/kube-scheduler', value: lease } },
      { at: 1.1 * S, method: 'PUT', path: '/api', body: { verb: 'put', key: '/w', value: 1, actor: { group: 'kube-scheduler', identity: 'm2_abc' }, action: true } },
      { at: 1.2 * S, method: 'PUT', path: '/api', body: { verb: 'put', key: '/x', value: 1 } },
    ];
    const h = setup(calls);
    const facts: [string, string, unknown][] = [];
    h.sim.onCheck('lease-commit', (p, f) => facts.push(['lease-commit', p, f]));
    h.sim.onCheck('action-commit', (p, f) => facts.push(['action-commit', p, f]));
    h.sim.run({ untilUs: 2 * S });
    expect(facts).toEqual([
      ['lease-commit', 'm1/kube-apiserver', { group: 'kube-scheduler', holder: 'm2_abc', revision: 1 }],
      ['action-commit', 'm1/kube-apiserver', { group: 'kube-scheduler', identity: 'm2_abc', revision: 2 }],
    ]);
    const leases = h.sim.trace.observations.filter((o) => o.kind === 'lease');
    expect(leases.map((o) => o.detail)).toEqual([{ group: 'kube-scheduler', holder: 'm2_abc', transitions: 3, revision: 1 }]);
  });
});

describe('kube-apiserver reads', () => {
  it('serves plain reads as quorum reads, cached reads from the watch cache (one etcd list + watch per resource)', () => {
    const seq: ApiRequestBody[] = [
      { verb: 'get', key: '/a' },
      { verb: 'get', key: '/a', cached: true },
      { verb: 'get', key: '/a', cached: true },
      { verb: 'list', prefix: '/' },
      { verb: 'list', prefix: '/', cached: true },
    ];
    const h = setup(seq.map((body, i) => ({ at: 1 * S + i * 100_000, method: 'GET', path: '/api', body })));
    h.sim.run({ untilUs: 5 * S });
    expect(h.answers.map((a) => a.resp.status)).toEqual([404, 404, 404, 200, 200]);
    // Hops of 1 ms: a read through etcd takes four (client → apiserver → etcd and back), as does the first
    // cached read of a resource (it waits for the cacher's list); a cached read of a ready cache takes two.
    expect(h.answers.map((a) => a.at - 1 * S)).toEqual([4_000, 104_000, 202_000, 304_000, 404_000]);
    // The first cached read of a resource starts its cacher (cacher.go startCaching: list, then watch from
    // that revision); the second cached get of it costs etcd nothing. Uncached reads are quorum reads.
    expect(h.etcd.log).toEqual([
      { kind: 'get', serializable: false },
      { kind: 'list', serializable: false }, { kind: 'watch', serializable: false },
      { kind: 'list', serializable: false },
      { kind: 'list', serializable: false }, { kind: 'watch', serializable: false },
    ]);
  });
});

describe('kube-apiserver request deadline', () => {
  it('answers 504 after --request-timeout when etcd does not answer, or after the client\'s shorter ?timeout=', () => {
    const body: ApiRequestBody = { verb: 'put', key: '/x', value: 1 };
    const calls: Call[] = [
      { at: 1 * S, method: 'PUT', path: '/api', body, timeoutUs: 30 * S },
      { at: 2 * S, method: 'PUT', path: '/api', body, timeoutUs: 1 * S },
    ];
    const h = setup(calls, { requestTimeoutUs: 3 * S });
    h.sim.at(0.5 * S, 'etcd hangs', () => { h.etcd.hung = true; });
    h.sim.run({ untilUs: 40 * S });
    // The 1 s client: its own deadline fires first (status 0); the apiserver's 504 for it arrives later and is dropped.
    // The 30 s client: the apiserver gives up after min(30 s, 3 s) = 3 s; one hop each way.
    expect(h.answers.map((a) => [a.at, a.resp.status])).toEqual([
      [2 * S + 1 * S, 0],
      [1 * S + LATENCY_US + 3 * S + LATENCY_US, 504],
    ]);
  });
});

describe('kube-apiserver liveness restart', () => {
  it('exits after 8 consecutive failed /livez probes (every 10 s, each failing after the 2 s check timeout), only when enabled', () => {
    const down = setup([], { livenessRestart: true }, { etcdUp: false });
    down.sim.run({ untilUs: 100 * S });
    const exits = states(down.sim, 'm1/kube-apiserver').filter(([, s]) => s === 'down');
    // Probe k starts at k·10 s; the 8th, at 80 s, fails when its 2 s timeout runs out.
    expect(exits.map(([t]) => t)).toEqual([82 * S]);

    const off = setup([], { livenessRestart: false }, { etcdUp: false });
    off.sim.run({ untilUs: 100 * S });
    expect(states(off.sim, 'm1/kube-apiserver').filter(([, s]) => s === 'down')).toEqual([]);

    const healthy = setup([], { livenessRestart: true });
    healthy.sim.run({ untilUs: 100 * S });
    expect(states(healthy.sim, 'm1/kube-apiserver').filter(([, s]) => s === 'down')).toEqual([]);
  });

  it('a success resets the count: 7 failures, a success, then 7 more do not restart it', () => {
    const h = setup([], { livenessRestart: true });
    h.etcd.failing = true;
    // Probes at 10..70 s fail; etcd answers at 75..85 s so the 80 s probe succeeds; probes at 90..150 s fail (7).
    h.sim.at(75 * S, 'etcd answers', () => { h.etcd.failing = false; });
    h.sim.at(85 * S, 'etcd fails', () => { h.etcd.failing = true; });
    h.sim.run({ untilUs: 155 * S });
    expect(states(h.sim, 'm1/kube-apiserver').filter(([, s]) => s === 'down')).toEqual([]);
    // One more failing probe (at 160 s, answered at once: one hop to etcd and one back) is the 8th in a row.
    h.sim.run({ untilUs: 170 * S });
    expect(states(h.sim, 'm1/kube-apiserver').filter(([, s]) => s === 'down').map(([t]) => t)).toEqual([160 * S + 2 * LATENCY_US]);
  });
});
