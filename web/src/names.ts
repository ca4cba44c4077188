// Short names the pictures use: etcd member names of processes, and compact component names.

/** "etcd-2" for master-2/etcd (stacked) or etcd-2/etcd (external); null for any other process. */
export function etcdName(id: string, topology: string): string | null {
  const m = (topology === 'stacked' ? /^master-(\d+)\/etcd$/ : /^etcd-(\d+)\/etcd$/).exec(id);
  return m ? `etcd-${m[1]}` : null;
}

export const SHORT: Readonly<Record<string, string>> = {
  'kube-apiserver': 'apiserver',
  'kube-controller-manager': 'controller-mgr',
  'kube-scheduler': 'scheduler',
};
