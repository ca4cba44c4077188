// kube-scheduler / kube-controller-manager (LeaderComponent): controllers run only while leading, leader actions, how each exits.
import { describe, expect, it } from 'vitest';
import { leaseKey, workKey, type LeaderGroup, type LeaseRecord } from '../../src/control/api.ts';
import { LeaderComponent, type ComponentConfig } from '../../src/control/component.ts';
import type { Controller, ControllerFactory } from '../../src/control/controllers/controller.ts';
import type { Sim } from '../../src/kernel/sim.ts';
import { startAt, states, world } from '../kernel/harness.ts';
import { apiserverOn, fakeEtcd, type FakeEtcdState } from './fakes.ts';

const S = 1_000_000;
const LEASE_US = 15 * S;
const RETRY_US = 2 * S;

/** Every controller start and `ctl:tick` (once a second), by the process that ran it. */
type Log = { at: number; who: string; what: 'start' | 'tick' }[];

function recording(sim: Sim, log: Log): ControllerFactory {
  return (ctx): Controller => ({
    start() {
      log.push({ at: sim.now, who: ctx.self, what: 'start' });
      ctx.setTimer('ctl:tick', 1 * S, undefined, { routine: true });
    },
    timer(name) {
      if (name !== 'ctl:tick') return;
      log.push({ at: sim.now, who: ctx.self, what: 'tick' });
      ctx.setTimer('ctl:tick', 1 * S, undefined, { routine: true });
    },
  });
}

/** A fake etcd, a real apiserver on m1, and the group's component on each of `machines`. */
function cluster(group: LeaderGroup, machines: string[], cfg: Partial<ComponentConfig> = {}) {
  const sim = world({ latencyUs: 1000 });
  const etcd = fakeEtcd(sim);
  const api = apiserverOn(sim);
  const log: Log = [];
  const actions: { identity: string; revision: number }[] = [];
  sim.onCheck('action-commit', (_p, f) => actions.push(f as { identity: string; revision: number }));
  startAt(sim, etcd.p);
  startAt(sim, api);
  for (const m of machines) {
    sim.addMachine({ name: m, role: 'test', zone: null });
    const p = sim.addProcess({ machine: m, component: group, make: () => new LeaderComponent({
      group, endpoint: 'm1/kube-apiserver', electionEnabled: true, leaseDurationUs: LEASE_US, renewDeadlineUs: 10 * S,
      retryPeriodUs: RETRY_US, releaseOnCancel: group === 'kube-scheduler', fastPath: true, controllers: recording(sim, log), ...cfg,
    }) });
    startAt(sim, p, 0.1 * S);
  }
  return { sim, etcd: etcd.state, log, actions };
}

function leaderObs(sim: Sim) {
  return sim.trace.observations.filter((o) => o.kind === 'leader')
    .map((o) => ({ at: o.at, who: o.subject, leading: o.detail['leading'] === true, cause: String(o.detail['cause']) }));
}

function holder(etcd: FakeEtcdState, group: LeaderGroup): string {
  return (etcd.kv.read({ kind: 'get', key: leaseKey(group) }).kv?.value as LeaseRecord).holderIdentity;
}

describe('LeaderComponent', () => {
  it('with --leader-elect=false acts at once: controllers start, and a tagged work write lands every second', () => {
    const c = cluster('kube-controller-manager', ['m2'], { electionEnabled: false });
    c.sim.run({ untilUs: 10.5 * S });
    expect(leaderObs(c.sim).map((o) => [o.at, o.who, o.leading])).toEqual([[0.1 * S, 'm2/kube-controller-manager', true]]);
    expect(c.log.filter((e) => e.what === 'start').map((e) => e.at)).toEqual([0.1 * S]);
    // Work at 1.1, 2.1, … 10.1 s: ten actions, each committed at the next etcd revision (no Lease writes without election).
    expect(c.actions.map((a) => a.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(c.actions.map((a) => a.identity)).size).toBe(1);
    expect(c.etcd.kv.read({ kind: 'get', key: workKey('kube-controller-manager') }).kv?.value).toEqual({ by: c.actions[0]!.identity });
  });

  it('runs controllers only in the member that acquired the Lease', () => {
    const c = cluster('kube-scheduler', ['m2', 'm3']);
    c.sim.run({ untilUs: 20 * S });
    const lead = leaderObs(c.sim);
    expect(lead.filter((o) => o.leading).length).toBe(1);
    const leader = lead[0]!.who;
    expect(new Set(c.log.map((e) => e.who))).toEqual(new Set([leader]));
    expect(c.log.filter((e) => e.what === 'start').map((e) => e.at)).toEqual([lead[0]!.at]);
    expect(holder(c.etcd, 'kube-scheduler')).toBe(c.actions[0]!.identity);
  });

  it('a leader cut off from the apiserver stops leading after renewDeadline, exits, and its controllers stop; the other takes over', () => {
    const c = cluster('kube-controller-manager', ['m2', 'm3']);
    c.sim.run({ untilUs: 20 * S });
    const first = leaderObs(c.sim)[0]!;
    const other = first.who === 'm2/kube-controller-manager' ? 'm3/kube-controller-manager' : 'm2/kube-controller-manager';
    const cutAt = 20 * S;
    c.sim.network.isolate(first.who.split('/')[0]!);
    c.sim.run({ untilUs: 60 * S });
    const lost = leaderObs(c.sim).find((o) => o.who === first.who && !o.leading)!;
    expect(lost.cause).toContain('renew');
    // The renew deadline (10 s) runs from the first renew try after the last success, which came within a retry period of the cut.
    expect(lost.at).toBeGreaterThan(cutAt + 10 * S - RETRY_US * 1.2);
    expect(lost.at).toBeLessThanOrEqual(cutAt + 10 * S + RETRY_US * 1.2);
    // controller-manager: exit(1) at once on losing (OnStoppedLeading).
    expect(states(c.sim, first.who).filter(([, s]) => s === 'down').map(([t]) => t)).toEqual([lost.at]);
    const ticksOfFirst = c.log.filter((e) => e.who === first.who && e.what === 'tick');
    expect(ticksOfFirst.length).toBeGreaterThan(10);
    expect(Math.max(...ticksOfFirst.map((e) => e.at))).toBeLessThan(lost.at);
    // The other waits for the Lease to expire (15 s after it last saw it change), then leads and starts its controllers.
    const taken = leaderObs(c.sim).find((o) => o.who === other && o.leading)!;
    expect(taken.at).toBeGreaterThan(cutAt + LEASE_US - RETRY_US * 1.2);
    expect(c.log.filter((e) => e.who === other && e.what === 'start').map((e) => e.at)).toEqual([taken.at]);
  });

  it('SIGTERM: the scheduler releases its Lease so the other acquires within a retry period; the controller-manager does not', () => {
    const successor = (group: LeaderGroup) => {
      const c = cluster(group, ['m2', 'm3']);
      c.sim.run({ untilUs: 20 * S });
      const first = leaderObs(c.sim)[0]!;
      c.sim.lifecycle.stop(c.sim.process(first.who)!, 'test');
      c.sim.run({ untilUs: 60 * S });
      const stopped = leaderObs(c.sim).find((o) => o.who === first.who && !o.leading)!;
      const next = leaderObs(c.sim).find((o) => o.who !== first.who && o.leading)!;
      return { stopped, gapUs: next.at - 20 * S };
    };
    const sched = successor('kube-scheduler');
    expect(sched.stopped.cause).toBe('stopped; released the lease');
    // An empty holder is free at once: the next acquire try (every retryPeriod × up to 1.2 jitter) takes it.
    expect(sched.gapUs).toBeLessThan(RETRY_US * 1.2 + 0.1 * S);
    const kcm = successor('kube-controller-manager');
    expect(kcm.stopped.cause).toBe('stopped without releasing the lease');
    // A held Lease must expire first: at least leaseDuration after the last renewal, itself at most a retry period before the stop.
    expect(kcm.gapUs).toBeGreaterThan(LEASE_US - RETRY_US * 1.2);
  });

  it('a scheduler stopping while its release write hangs runs no controller work in the meantime', () => {
    const c = cluster('kube-scheduler', ['m2', 'm3']);
    c.sim.run({ untilUs: 20 * S });
    const first = leaderObs(c.sim)[0]!;
    c.etcd.hung = true;
    c.sim.lifecycle.stop(c.sim.process(first.who)!, 'test');
    c.sim.run({ untilUs: 60 * S });
    const downAt = states(c.sim, first.who).filter(([, s]) => s === 'down').map(([t]) => t);
    // The release waits for its request timeout, seconds in which the controllers' 1 s timers keep firing…
    expect(downAt.length).toBe(1);
    expect(downAt[0]!).toBeGreaterThan(22 * S);
    // …and are not handed to a controller of a process that no longer leads.
    expect(c.log.filter((e) => e.who === first.who && e.at > 20 * S)).toEqual([]);
  });
});
