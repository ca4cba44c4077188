// The apiserver's etcd health check (factory/etcd3.go newETCD3Check) and an external etcd follower host powered off.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import { EtcdHealthCheck } from '../../src/control/apiserver.ts';
import type { EtcdClient } from '../../src/control/etcd-client.ts';
import type { EtcdResponse } from '../../src/etcd/requests.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { scenario } from '../etcd/helpers.ts';
import { Apiserver } from '../../src/control/apiserver.ts';
import type { EtcdRequest } from '../../src/etcd/requests.ts';
import { HttpClient, type HttpResponse } from '../../src/net/http.ts';
import { proc, startAt, world } from '../kernel/harness.ts';
import { loose } from '../observations.ts';

const S = 1_000_000;

/** A fake client whose probes the test answers by hand. */
function fakeCheck() {
  let now = 0;
  const probes: ((r: EtcdResponse) => void)[] = [];
  const client = { request: (_op: unknown, _t: number, cb: (r: EtcdResponse) => void) => probes.push(cb) } as unknown as EtcdClient;
  const ctx = { now: () => now } as unknown as Ctx;
  const check = new EtcdHealthCheck(ctx, client, 2 * S);
  const answers: [string, string | null][] = [];
  return {
    check, probes, answers,
    at(t: number) { now = t; },
    ask(who: string) { check.run((e) => answers.push([who, e])); },
  };
}

describe('etcd health check (newETCD3Check)', () => {
  it('turned-away callers get the stored result at once; a hung probe fails only its own caller and is not stored over a newer one', () => {
    const f = fakeCheck();
    f.at(0);
    f.ask('a'); // admitted: probe 0 hangs
    f.at(0.5 * S);
    f.ask('b'); // rate-limited: the stored result (none yet: healthy), at once
    expect(f.answers).toEqual([['b', null]]);
    f.at(1 * S);
    f.ask('c'); // admitted again: probes overlap
    expect(f.probes.length).toBe(2);
    f.probes[1]!({ type: 'etcd.resp', id: 2, ok: true });
    f.at(2 * S);
    f.probes[0]!({ type: 'etcd.resp', id: 1, ok: false, error: 'context deadline exceeded' });
    expect(f.answers).toEqual([['b', null], ['c', null], ['a', 'etcd check failed: context deadline exceeded']]);
    // The failure of the older probe is not stored over the newer success.
    f.at(2.5 * S);
    f.ask('d');
    expect(f.probes.length).toBe(3);
    f.at(2.6 * S);
    f.ask('e');
    expect(f.answers.at(-1)).toEqual(['e', null]);
    expect(f.check.lastError).toBeNull();
  });
});

describe('an external etcd follower host powered off, quorum intact', () => {
  it('leaves the scheduler and controller-manager leases held in at least 7 of 8 seeds and marks no apiserver DOWN', () => {
    const sc = scenario(`name: t\nduration: 120s\ncluster: { topology: external, etcdMembers: 3, masters: 3, loadBalancer: { count: 2, vip: keepalived } }\nfaults: [ { at: 40s, kill: "etcd:follower", scope: machine } ]\n`);
    let held = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { report, run } = runScenario(sc, { seed });
      expect(report.invariants.violations, `seed ${seed}`).toEqual([]);
      if (report.failovers.every((f) => f.group === 'etcd')) held++;
      const downs = run.sim.trace.observations.filter((o) => o.kind === 'lb-backend' && o.detail['state'] === 'DOWN');
      expect(downs.map((o) => `${o.at / S}s ${o.subject} ${String(loose(o)['backend'])}`), `seed ${seed}`).toEqual([]);
    }
    expect(held).toBeGreaterThanOrEqual(7);
  });
});

describe('the apiserver\'s request deadline', () => {
  it('drops an etcd call once the client\'s ?timeout= has passed, so a write queued for a ready connection is never sent late', () => {
    const sim = world({ latencyUs: 1000 });
    const writes: number[] = [];
    const etcd = proc(sim, 'e1/etcd', {
      message(ctx, from, msg) {
        const req = msg as unknown as EtcdRequest;
        if (req.op.kind === 'put') writes.push(sim.now);
        ctx.send(from, { type: 'etcd.resp', id: req.id, ok: true, result: { revision: 1, succeeded: true } });
      },
    });
    sim.addMachine({ name: 'm1', role: 'test', zone: null });
    const api = sim.addProcess({ machine: 'm1', component: 'kube-apiserver', make: () => new Apiserver({
      etcdTargets: ['e1/etcd'], etcdMode: 'all', etcdCheckTimeoutUs: 2 * S, livenessRestart: false, requestTimeoutUs: 60 * S,
    }) });
    void api;
    const answers: HttpResponse[] = [];
    let http: HttpClient;
    const client = proc(sim, 'c/client', {
      start(ctx) {
        http = new HttpClient(ctx);
        ctx.setTimer('go', 1 * S);
      },
      message(_ctx, _from, msg) { http.onMessage(msg); },
      timer(_ctx, name, data) {
        if (http.onTimer(name, data)) return;
        http.request('m1/kube-apiserver', { method: 'PUT', path: '/x', body: { verb: 'put', key: '/x', value: 1 } }, 2 * S, (r) => answers.push(r));
      },
    });
    // etcd is down from the start and comes up at 5 s: the write waits for a ready connection.
    startAt(sim, client);
    sim.lifecycle.start(sim.process('m1/kube-apiserver')!, 'test');
    sim.at(5 * S, 'etcd up', (s) => s.lifecycle.start(etcd, 'test'));
    sim.run({ untilUs: 90 * S });
    expect(answers.map((a) => a.status)).toEqual([0]);
    expect(writes).toEqual([]);
  });
});
