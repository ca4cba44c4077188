// Control-plane test fakes: a one-member etcd over a real KvStore, and a real kube-apiserver in front of it.
import { Apiserver, type ApiserverConfig } from '../../src/control/apiserver.ts';
import { KvStore } from '../../src/etcd/kv.ts';
import type { EtcdRequest, EtcdResponse } from '../../src/etcd/requests.ts';
import type { Process } from '../../src/kernel/entities.ts';
import type { Sim } from '../../src/kernel/sim.ts';
import { proc } from '../kernel/harness.ts';

const S = 1_000_000;

export interface FakeEtcdState {
  /** Silent: no answer at all. */
  hung: boolean;
  /** Every request fails at once with an error clientv3 does not retry. */
  failing: boolean;
  kv: KvStore;
  /** Requests answered or refused (not keepalive pings: those arrive as `health`, counted too). */
  requests: number;
  /** Each data request's op kind and whether it asked for a serializable (local, possibly stale) read. */
  log: { kind: string; serializable: boolean }[];
}

/** A one-member etcd at e1/etcd (not started) that applies every op to a real KvStore. */
export function fakeEtcd(sim: Sim): { state: FakeEtcdState; p: Process } {
  const state: FakeEtcdState = { hung: false, failing: false, kv: new KvStore(), requests: 0, log: [] };
  const p = proc(sim, 'e1/etcd', {
    message(ctx, from, msg) {
      if (msg.type !== 'etcd.req' || state.hung) return;
      const req = msg as unknown as EtcdRequest;
      state.requests++;
      if (req.id > 0 && req.op.kind !== 'health') state.log.push({ kind: req.op.kind, serializable: req.serializable === true });
      if (state.failing) return ctx.send(from, { type: 'etcd.resp', id: req.id, ok: false, error: 'etcdserver: too many requests' } satisfies EtcdResponse);
      // A watch: the stream opens (etcd/watch.ts), with no events, since nothing else writes here.
      if ((req.op as { kind: string }).kind === 'watch') return ctx.send(from, { type: 'etcd.resp', id: req.id, ok: true, more: true, events: [] });
      const resp: EtcdResponse = req.op.kind === 'health'
        ? { type: 'etcd.resp', id: req.id, ok: true, health: { health: true, reason: '' } }
        : { type: 'etcd.resp', id: req.id, ok: true, result: state.kv.apply(req.op) };
      ctx.send(from, resp);
    },
  });
  return { state, p };
}

/** A kube-apiserver at m1/kube-apiserver (not started) over e1/etcd. */
export function apiserverOn(sim: Sim, cfg: Partial<ApiserverConfig> = {}): Process {
  sim.addMachine({ name: 'm1', role: 'test', zone: null });
  return sim.addProcess({ machine: 'm1', component: 'kube-apiserver', make: () => new Apiserver({
    etcdTargets: ['e1/etcd'], etcdMode: 'all', etcdCheckTimeoutUs: 2 * S, livenessRestart: false, requestTimeoutUs: 60 * S, ...cfg,
  }) });
}
