// The load-balancer models for the topology builder, and the endpoints clients use to reach the control plane.
import type { Model } from '../cluster/models.ts';
import { etcdMemberProcess, lbMachines, machineIndex, type ClusterSpec } from '../scenario/index.ts';
import { haproxyConfig, type HaproxyConfig } from './config.ts';
import { Haproxy } from './haproxy.ts';
import { Keepalived, type KeepalivedConfig } from './keepalived.ts';
import { KUBEADM_SCRIPT } from './vrrp-script.ts';

/** The virtual address keepalived moves between the load balancers. */
export const VIP = 'vip';


/**
 * haproxy on `lb-i` fronts every kube-apiserver with the cluster's check; on `etcd-lb-i` (only with
 * apiserverEtcd: lb, as in the seed article) it fronts every etcd member with etcd's /health.
 */
export const haproxyModel: Model = {
  component: 'haproxy',
  actor(machine, b) {
    const { cluster, params } = b.scenario;
    const timing: Partial<HaproxyConfig> = {
      interUs: params.haproxy.inter,
      fall: params.haproxy.fall,
      rise: params.haproxy.rise,
      timeoutServerUs: params.haproxy.timeoutServer,
      timeoutConnectUs: params.haproxy.timeoutConnect,
    };
    const h = params.haproxy;
    if (h.timeoutCheck !== undefined) timing.timeoutCheckUs = h.timeoutCheck;
    if (h.fastinter !== undefined) timing.fastinterUs = h.fastinter;
    if (h.downinter !== undefined) timing.downinterUs = h.downinter;
    let cfg: HaproxyConfig;
    if (lbMachines(cluster).includes(machine.name)) {
      const backends = Array.from({ length: cluster.masters }, (_, j) => `master-${j + 1}/kube-apiserver`);
      cfg = haproxyConfig({ ...timing, backends, check: cluster.loadBalancer.check });
    } else if (machine.role === 'etcd-lb') {
      const backends = Array.from({ length: cluster.etcdMembers }, (_, j) => etcdMemberProcess(cluster, j + 1));
      cfg = haproxyConfig({ ...timing, backends, check: 'etcd-health' });
    } else {
      return null;
    }
    return () => new Haproxy(cfg);
  },
};

/** keepalived on every `lb-i` when the cluster has a VIP: priorities 101, 100, 99… (kubeadm example), preempt on. */
export const keepalivedModel: Model = {
  component: 'keepalived',
  actor(machine, b) {
    const { cluster, params } = b.scenario;
    if (!lbMachines(cluster).includes(machine.name) || cluster.loadBalancer.vip !== 'keepalived') return null;
    const i = machineIndex(machine.name);
    const peers = lbMachines(cluster).filter((m) => m !== machine.name).map((m) => `${m}/keepalived`);
    const cfg: KeepalivedConfig = {
      peers,
      priority: Math.max(1, 102 - i),
      address: i,
      advertIntUs: params.keepalived.advertInt,
      preempt: true,
      vip: VIP,
      vipTarget: `${machine.name}/haproxy`,
      script: { ...KUBEADM_SCRIPT, name: 'chk_haproxy', target: `${machine.name}/haproxy` },
    };
    return () => new Keepalived(cfg);
  },
  setup(b) {
    if (b.scenario.cluster.loadBalancer.vip !== 'keepalived') return;
    // Nobody holds the VIP until the first MASTER claims it: packets to it vanish meanwhile.
    b.sim.setAlias(VIP, null);
    let holder: string | undefined;
    b.sim.trace.listen((o) => {
      if (o.kind !== 'vip') return;
      if (o.detail['holder'] !== null) holder = o.subject;
      else if (holder === o.subject) holder = undefined;
    });
    b.targets.defineRole('vip:holder', () => (holder !== undefined && b.sim.process(holder)?.status === 'running' ? holder : undefined));
  },
};

/** Where kubectl, kubelets (and components with componentsApi: lb) send API requests. */
export function controlPlaneEndpoint(cluster: Pick<ClusterSpec, 'loadBalancer'>): string {
  if (cluster.loadBalancer.vip === 'keepalived') return VIP;
  if (cluster.loadBalancer.count >= 1) return `${lbMachines(cluster)[0]}/haproxy`;
  return 'master-1/kube-apiserver';
}

/** The etcd endpoint of master i's apiserver with apiserverEtcd: lb (its own etcd haproxy). */
export function etcdEndpointFor(_cluster: Pick<ClusterSpec, 'apiserverEtcd'>, masterIndex: number): string {
  return `etcd-lb-${masterIndex}/haproxy`;
}
