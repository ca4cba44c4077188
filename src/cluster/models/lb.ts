// The load-balancer models for the topology builder: haproxy in front of the apiservers (and etcd), keepalived's VIP.
import { haproxyConfig, type HaproxyConfig } from '../../lb/config.ts';
import { Haproxy } from '../../lb/haproxy.ts';
import { Keepalived, type KeepalivedConfig } from '../../lb/keepalived.ts';
import { KUBEADM_SCRIPT } from '../../lb/vrrp-script.ts';
import { etcdMemberProcess, lbMachines, machineIndex, VIP } from '../../scenario/index.ts';
import { trackVipHolder } from '../leading.ts';
import { balanceOf } from './load.ts';
import type { Model } from './types.ts';


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
      const balance = balanceOf(b.scenario);
      cfg = haproxyConfig({ ...timing, backends, check: cluster.loadBalancer.check, ...(balance ? { balance } : {}) });
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
    const holderNow = trackVipHolder(b.sim);
    b.targets.defineRole('vip:holder', () => {
      const holder = holderNow();
      return holder !== undefined && b.sim.process(holder)?.status === 'running' ? holder : undefined;
    });
  },
};
