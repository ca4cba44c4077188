// Where clients reach the control plane and etcd (SPEC §2): the endpoints the cluster build wires and the UI draws.
import { etcdMemberProcess, lbMachines, type NamesCluster } from './names.ts';

/** The virtual address keepalived moves between the load balancers. */
export const VIP = 'vip';

/** Where kubectl, kubelets (and components with componentsApi: lb) send API requests. */
export function controlPlaneEndpoint(cluster: Pick<NamesCluster, 'loadBalancer'>): string {
  if (cluster.loadBalancer.vip === 'keepalived') return VIP;
  if (cluster.loadBalancer.count >= 1) return `${lbMachines(cluster)[0]}/haproxy`;
  return 'master-1/kube-apiserver';
}

/** The etcd endpoint of master i's apiserver with apiserverEtcd: lb (its own etcd haproxy). */
export function etcdEndpointFor(masterIndex: number): string {
  return `etcd-lb-${masterIndex}/haproxy`;
}

/** The etcd endpoints an apiserver on master-i uses (SPEC §2 apiserverEtcd; kubeadm: stacked → local, external → all). */
export function etcdTargets(cluster: Pick<NamesCluster, 'topology' | 'etcdMembers' | 'apiserverEtcd'>, i: number): string[] {
  switch (cluster.apiserverEtcd) {
    case 'local':
      return [etcdMemberProcess(cluster, ((i - 1) % cluster.etcdMembers) + 1)];
    case 'lb':
      return [etcdEndpointFor(i)];
    default:
      return Array.from({ length: cluster.etcdMembers }, (_, j) => etcdMemberProcess(cluster, j + 1));
  }
}

/** The one machine every client depends on, if the cluster has one (one LB without a VIP, or no LB). */
export function singlePointOfFailure(cluster: Pick<NamesCluster, 'loadBalancer'>): { machine: string; note: string } | null {
  const lb = cluster.loadBalancer;
  if (lb.count === 0) {
    return { machine: 'master-1', note: 'SINGLE POINT OF FAILURE: no load balancer, every client talks to master-1\'s apiserver' };
  }
  if (lb.vip === 'none') {
    const first = lbMachines(cluster)[0]!;
    return { machine: first, note: `SINGLE POINT OF FAILURE: every client goes through ${first} (one load balancer endpoint, no VIP)` };
  }
  return null;
}
