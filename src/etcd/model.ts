// The etcd model for the topology builder: one member per master (stacked) or per etcd machine (external).
import type { Model } from '../cluster/models.ts';
import { etcdMemberProcess, machineIndex } from '../scenario/index.ts';
import { EtcdSafety } from './checker.ts';
import { EtcdMember } from './member.ts';

/** Keep at most this many applied entries in each raft log before snapshotting the KV store. */
const COMPACT_AFTER = 10_000;


export const etcdModel: Model = {
  component: 'etcd',
  actor(machine, b) {
    const { cluster, params } = b.scenario;
    const peers = Array.from({ length: cluster.etcdMembers }, (_, i) => etcdMemberProcess(cluster, i + 1));
    const cfg = {
      id: machineIndex(machine.name),
      peers,
      heartbeatUs: params.etcd.heartbeatInterval,
      electionTicks: Math.round(params.etcd.electionTimeout / params.etcd.heartbeatInterval),
      preVote: params.etcd.preVote,
      requestTimeoutUs: params.etcd.requestTimeout,
      compactAfter: COMPACT_AFTER,
    };
    return () => new EtcdMember(cfg);
  },
  setup(b) {
    const { cluster } = b.scenario;
    const members = Array.from({ length: cluster.etcdMembers }, (_, i) => etcdMemberProcess(cluster, i + 1));
    const safety = new EtcdSafety(b.sim, members);
    b.onFinish(() => safety.checkLogs());
    const leading = new Map<string, number>();
    b.sim.trace.listen((o) => {
      if (o.kind === 'leader' && o.detail['group'] === 'etcd') {
        if (o.detail['leading'] === true) leading.set(o.subject, o.detail['term'] as number);
        else leading.delete(o.subject);
      } else if (o.kind === 'process' && o.detail['state'] === 'down') {
        leading.delete(o.subject);
      }
    });
    const running = (id: string): boolean => b.sim.process(id)?.status === 'running';
    b.targets.defineRole('etcd:leader', () => {
      let best: string | undefined;
      let bestTerm = -1;
      for (const [id, term] of leading) if (running(id) && term > bestTerm) [best, bestTerm] = [id, term];
      return best;
    });
    b.targets.defineRole('etcd:follower', () => members.find((id) => running(id) && !leading.has(id)));
  },
};
