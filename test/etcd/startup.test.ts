// A restarted etcd member reads its WAL and database before raft ticks or peers reach it (etcdserver.NewServer; src/etcd/startup.ts).
import { describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import type { Actor, Ctx, Msg } from '../../src/kernel/actor.ts';
import type { EtcdMember } from '../../src/etcd/member.ts';
import { restartStartupUs } from '../../src/etcd/startup.ts';
import { validateScenario } from '../../src/scenario/index.ts';

/** Sends one serializable get to `to` at `atUs` and records when the answer came. */
class OneGet implements Actor {
  answeredAtUs: number | null = null;
  constructor(private readonly atUs: number, private readonly to: string) {}
  start(ctx: Ctx): void {
    ctx.setTimer('get', this.atUs - ctx.now());
  }
  timer(ctx: Ctx): void {
    ctx.send(this.to, { type: 'etcd.req', id: 1, op: { kind: 'get', key: '/x' }, serializable: true });
  }
  message(ctx: Ctx, _from: string, msg: Msg): void {
    if (msg.type === 'etcd.resp') this.answeredAtUs = ctx.now();
  }
}

const KILL_US = 5_000_000;
const RESTART_US = 6_000_000;

function restartRun(seed: number) {
  const sc = validateScenario({
    name: 'startup', seed, duration: '10s',
    cluster: { topology: 'external', masters: 1, etcdMembers: 3, workers: 0, pods: 0, loadBalancer: { count: 0 } },
    params: { network: { latency: '50us', jitter: '0us' } },
  }, 'test');
  const getter = new OneGet(RESTART_US + 1000, 'etcd-2/etcd');
  const run = new Run(sc, { seed, traceHash: false, extend: (b) => b.sim.addProcess({ machine: 'client', component: 'one-get', make: () => getter }) });
  const sim = run.sim;
  run.advance(KILL_US);
  const bootRaftUs = (sim.process('etcd-2/etcd')!.actor as EtcdMember).raftRestartedAtUs;
  sim.lifecycle.kill(sim.process('etcd-2/etcd')!, 'test: SIGKILL');
  run.advance(RESTART_US);
  const sent: number[] = [];
  sim.onTransmit = (from, _to, type, sentAt) => {
    if (from === 'etcd-2/etcd' && type.startsWith('Msg')) sent.push(sentAt);
  };
  sim.lifecycle.start(sim.process('etcd-2/etcd')!, 'test: restart');
  const member = sim.process('etcd-2/etcd')!.actor as EtcdMember;
  const raftUs = member.raftRestartedAtUs;
  const walRecords = member.node.lastIndex;
  run.advance(RESTART_US + 1_000_000);
  return { bootRaftUs, raftUs, sent, answeredAtUs: getter.answeredAtUs, walRecords };
}

describe('an etcd member restarting', () => {
  it('costs more with a longer WAL and a bigger database', () => {
    expect(restartStartupUs(6000, 0).beforeRaftUs).toBeGreaterThan(restartStartupUs(8, 0).beforeRaftUs);
    expect(restartStartupUs(0, 6000).afterRaftUs).toBeGreaterThan(restartStartupUs(0, 0).afterRaftUs);
  });

  it('neither sends to its peers nor answers a client until its start-up is done, then does both', () => {
    for (const seed of [1, 2, 3]) {
      const r = restartRun(seed);
      const s = restartStartupUs(r.walRecords, 0);
      expect(r.raftUs).toBe(RESTART_US + s.beforeRaftUs);
      const readyUs = RESTART_US + s.beforeRaftUs + s.afterRaftUs;
      // Its first raft message answers the leader's first heartbeat after it serves peers.
      expect(r.sent.length).toBeGreaterThan(0);
      expect(Math.min(...r.sent)).toBeGreaterThanOrEqual(readyUs);
      // The get sent 1 ms after the restart waited (held, not lost) and was answered once it was up.
      expect(r.answeredAtUs).not.toBeNull();
      expect(r.answeredAtUs!).toBeGreaterThanOrEqual(readyUs);
      expect(r.answeredAtUs!).toBeLessThan(readyUs + 1000);
    }
  });

  it('does not pay it at first boot (no WAL: etcdserver.NewServer starts a new node)', () => {
    expect(restartRun(1).bootRaftUs).toBe(0);
  });
});
