// Load-balancer test worlds built on the bare kernel: fake backends, a scripted client, haproxy and keepalived.
import type { Actor, ActorFactory, Ctx, Msg } from '../../src/kernel/actor.ts';
import type { Process } from '../../src/kernel/entities.ts';
import { Sim, type Link } from '../../src/kernel/sim.ts';
import { Network } from '../../src/net/network.ts';
import { SECOND } from '../../src/kernel/time.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { respond, type HttpRequest } from '../../src/net/http.ts';
import { haproxyConfig, type CheckKind, type HaproxyConfig } from '../../src/lb/config.ts';
import { Haproxy } from '../../src/lb/haproxy.ts';
import { Keepalived, type KeepalivedConfig } from '../../src/lb/keepalived.ts';
import { KUBEADM_SCRIPT } from '../../src/lb/vrrp-script.ts';
import { loose } from '../observations.ts';

/** What a fake backend answers; tests flip these while the run is paused between `sim.run` calls. */
export interface BackendControl {
  readyz: number;
  healthz: number;
  etcdHealthy: boolean;
}

export function control(): BackendControl {
  return { readyz: 200, healthz: 200, etcdHealthy: true };
}

/** A stand-in for kube-apiserver (or an etcd member): health endpoints on demand, 200 for anything else. */
export function fakeBackend(ctl: BackendControl): ActorFactory {
  return () => ({
    start() {},
    timer() {},
    message(ctx: Ctx, from: string, msg: Msg) {
      if (msg.type === 'http.req') {
        const req = msg as unknown as HttpRequest;
        const status = req.path === '/readyz' ? ctl.readyz : req.path === '/healthz' ? ctl.healthz : 200;
        respond(ctx, from, req, status, { servedBy: ctx.self, path: req.path });
      } else if (msg.type === 'etcd.req') {
        const op = (msg['op'] as { kind: string }).kind;
        const health = { health: ctl.etcdHealthy, reason: ctl.etcdHealthy ? '' : 'RAFT NO LEADER' };
        ctx.send(from, op === 'health'
          ? { type: 'etcd.resp', id: msg['id'], ok: true, health }
          : { type: 'etcd.resp', id: msg['id'], ok: true, result: { servedBy: ctx.self } });
      }
    },
  });
}

export interface Call {
  /** True time the request leaves the client (clocks are not skewed in these worlds). */
  at: number;
  to: string;
  conn?: string;
  protocol?: 'http' | 'etcd';
  path?: string;
}

export interface Reply {
  /** Index of the call in the plan; its request id is call + 1. */
  call: number;
  id: number;
  sentAt: number;
  at: number;
  from: string;
  status?: number;
  ok?: boolean;
  error?: string;
  servedBy?: string;
  path?: string;
  refused?: boolean;
}

/** A client that sends its planned calls and records every answer (and refusal) it gets. */
export function client(calls: Call[], replies: Reply[]): ActorFactory {
  return (): Actor => ({
    start(ctx) {
      calls.forEach((c, i) => ctx.setTimer(`call:${i}`, c.at - ctx.now(), i));
    },
    timer(ctx, _name, data) {
      const i = data as number;
      const c = calls[i]!;
      const base = { id: i + 1, ...(c.conn !== undefined ? { conn: c.conn } : {}) };
      if (c.protocol === 'etcd') ctx.send(c.to, { type: 'etcd.req', ...base, op: { kind: 'get', key: '/x' } });
      else ctx.send(c.to, { type: 'http.req', ...base, method: 'GET', path: c.path ?? '/api' });
    },
    message(ctx, from, msg) {
      const id = msg['id'] as number;
      const body = (msg['body'] ?? msg['result']) as { servedBy?: string; path?: string } | undefined;
      replies.push({
        call: id - 1, id, sentAt: calls[id - 1]?.at ?? -1, at: ctx.now(), from,
        status: msg['status'] as number | undefined, ok: msg['ok'] as boolean | undefined,
        error: msg['error'] as string | undefined, servedBy: body?.servedBy, path: body?.path,
      });
    },
    refused(ctx, to, msg) {
      const id = msg['id'] as number;
      replies.push({ call: id - 1, id, sentAt: calls[id - 1]?.at ?? -1, at: ctx.now(), from: to, refused: true });
    },
  });
}

export interface LbWorldOptions {
  seed?: number;
  backends?: number;
  check?: CheckKind;
  haproxy?: Partial<HaproxyConfig>;
  latencyUs?: number;
  jitterUs?: number;
  /** Backends are etcd members `etcd-i/etcd` instead of `master-i/kube-apiserver`. */
  etcd?: boolean;
  calls?: Call[];
  /** Extra clients: name → plan (each on its own machine). */
  clients?: Record<string, Call[]>;
}

export interface LbWorld {
  sim: Sim<Network>;
  lb: Process;
  backends: Process[];
  ctl: BackendControl[];
  replies: Reply[];
  repliesOf: Record<string, Reply[]>;
  haproxy(): Haproxy;
}

/** One haproxy on `lb-1` in front of N fake backends, and a client on `client`; every process starts at 0. */
export function lbWorld(o: LbWorldOptions = {}): LbWorld {
  const sim = new Sim({ seed: o.seed ?? 1, link: new Network({ latencyUs: o.latencyUs ?? 500, jitterUs: o.jitterUs ?? 200, loss: 0 }) });
  const n = o.backends ?? 3;
  const ctl = Array.from({ length: n }, control);
  const backends = ctl.map((c, j) => {
    const machine = o.etcd ? `etcd-${j + 1}` : `master-${j + 1}`;
    sim.addMachine({ name: machine, role: 'test', zone: null });
    return sim.addProcess({ machine, component: o.etcd ? 'etcd' : 'kube-apiserver', make: fakeBackend(c) });
  });
  const cfg = haproxyConfig({ backends: backends.map((p) => p.id), check: o.check ?? 'readyz', ...o.haproxy });
  sim.addMachine({ name: 'lb-1', role: 'test', zone: null });
  const lb = sim.addProcess({ machine: 'lb-1', component: 'haproxy', make: () => new Haproxy(cfg) });
  const replies: Reply[] = [];
  sim.addMachine({ name: 'client', role: 'test', zone: null });
  sim.addProcess({ machine: 'client', component: 'kubectl', make: client(o.calls ?? [], replies) });
  const repliesOf: Record<string, Reply[]> = {};
  for (const [name, plan] of Object.entries(o.clients ?? {})) {
    repliesOf[name] = [];
    sim.addMachine({ name, role: 'test', zone: null });
    sim.addProcess({ machine: name, component: 'kubectl', make: client(plan, repliesOf[name]) });
  }
  for (const p of sim.processes) sim.lifecycle.start(p, 'boot');
  return { sim, lb, backends, ctl, replies, repliesOf, haproxy: () => lb.actor as Haproxy };
}

export interface VipWorldOptions {
  seed?: number;
  lbs?: number;
  latencyUs?: number;
  jitterUs?: number;
  advertIntUs?: number;
  calls?: Call[];
  /** Override priorities (default 101, 100, 99…). */
  priorities?: number[];
  /** Override the tie-break addresses (default 1, 2, 3…). */
  addresses?: number[];
}

export interface VipWorld {
  sim: Sim<Network>;
  lbs: string[];
  replies: Reply[];
  keepalived(machine: string): Keepalived;
}

/** `lb-1…K`, each with haproxy (in front of three fake apiservers) and keepalived as the model configures them. */
export function vipWorld(o: VipWorldOptions = {}): VipWorld {
  const sim = new Sim({ seed: o.seed ?? 1, link: new Network({ latencyUs: o.latencyUs ?? 100, jitterUs: o.jitterUs ?? 50, loss: 0 }) });
  const masters = [1, 2, 3].map((j) => {
    sim.addMachine({ name: `master-${j}`, role: 'test', zone: null });
    return sim.addProcess({ machine: `master-${j}`, component: 'kube-apiserver', make: fakeBackend(control()) }).id;
  });
  const k = o.lbs ?? 3;
  const lbs = Array.from({ length: k }, (_, i) => `lb-${i + 1}`);
  for (const [i, name] of lbs.entries()) {
    sim.addMachine({ name, role: 'test', zone: null });
    const hap = haproxyConfig({ backends: masters, check: 'readyz' });
    sim.addProcess({ machine: name, component: 'haproxy', make: () => new Haproxy(hap) });
    const cfg: KeepalivedConfig = {
      peers: lbs.filter((m) => m !== name).map((m) => `${m}/keepalived`),
      priority: o.priorities?.[i] ?? 101 - i,
      address: o.addresses?.[i] ?? i + 1,
      advertIntUs: o.advertIntUs ?? SECOND,
      preempt: true,
      vip: 'vip',
      vipTarget: `${name}/haproxy`,
      script: { ...KUBEADM_SCRIPT, name: 'chk_haproxy', target: `${name}/haproxy` },
    };
    sim.addProcess({ machine: name, component: 'keepalived', make: () => new Keepalived(cfg) });
  }
  sim.setAlias('vip', null);
  const replies: Reply[] = [];
  sim.addMachine({ name: 'client', role: 'test', zone: null });
  sim.addProcess({ machine: 'client', component: 'kubectl', make: client(o.calls ?? [], replies) });
  for (const p of sim.processes) sim.lifecycle.start(p, 'boot');
  return { sim, lbs, replies, keepalived: (m) => sim.process(`${m}/keepalived`)!.actor as Keepalived };
}

export function observations(sim: Sim, kind: string, filter: (o: Observation) => boolean = () => true): Observation[] {
  return sim.trace.observations.filter((o) => o.kind === kind && filter(o));
}

/** `lb-backend` transitions (not the initial states) of one backend, as seen by one haproxy. */
export function transitions(sim: Sim, lb: string, backend: string): { at: number; state: string; reason: string; note: string }[] {
  return observations(sim, 'lb-backend', (o) => o.subject === lb && loose(o)['backend'] === backend && loose(o)['reason'] !== 'initial')
    .map((o) => ({ at: o.at, state: String(loose(o)['state']), reason: String(loose(o)['reason']), note: String(loose(o)['note']) }));
}

/** The first transition of `backend` to `state` at or after `after`, as seconds since `after`. */
export function secondsUntil(sim: Sim, lb: string, backend: string, state: 'UP' | 'DOWN', after: number): number | undefined {
  const t = transitions(sim, lb, backend).find((x) => x.state === state && x.at >= after);
  return t && (t.at - after) / SECOND;
}

export function summary(xs: number[]): { min: number; p50: number; max: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, p50: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]!, n: s.length };
}

/** Run the world to true time `untilUs`, then call `fn` (flip a backend, inject a fault…). */
export function at<L extends Link>(sim: Sim<L>, untilUs: number, fn: (sim: Sim<L>) => void): void {
  sim.at(untilUs, 'test', fn);
}
