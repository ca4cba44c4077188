// The etcd model for the topology builder: one member per master (stacked) or per etcd machine (external).
import { EtcdSafety } from '../../etcd/checker.ts';
import { EtcdMember } from '../../etcd/member.ts';
import { etcdMemberProcess, machineIndex } from '../../scenario/index.ts';
import { trackLeading } from '../leading.ts';
import { machineResourcesOf } from './machine.ts';
import type { Model } from './types.ts';

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
    const shared = machineResourcesOf(b, machine.name);
    return () => new EtcdMember(shared ? { ...cfg, machine: shared } : cfg);
  },
  setup(b) {
    const { cluster } = b.scenario;
    const members = Array.from({ length: cluster.etcdMembers }, (_, i) => etcdMemberProcess(cluster, i + 1));
    const safety = new EtcdSafety(b.sim, members);
    b.onFinish(() => safety.checkLogs());
    const leading = trackLeading(b.sim, 'etcd');
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
