// The `cluster:` section of a scenario: topology, machine counts, load balancers, how components reach etcd.
import { z } from 'zod';
import { VersionsSchema } from './versions.ts';

/** Most pods a run holds: twice the cluster-5k benchmark's 10,000 (100,000 pods took 38 s and 980 MB for 60 simulated seconds). */
export const MAX_PODS = 20_000;

export const TOPOLOGIES = ['stacked', 'external'] as const;
export const APISERVER_ETCD_MODES = ['local', 'all', 'lb', 'first-endpoint-bug'] as const;

const LoadBalancerSchema = z
  .object({
    count: z.int().min(0).max(4).default(1).describe('number of haproxy load balancers in front of the apiservers'),
    vip: z.enum(['none', 'keepalived']).default('none').describe('keepalived VRRP virtual IP between the load balancers'),
    check: z.enum(['readyz', 'healthz', 'tcp']).default('readyz').describe('haproxy health check of each apiserver'),
    placement: z
      .enum(['dedicated', 'masters'])
      .default('dedicated')
      .describe('dedicated: lb-1… machines; masters: haproxy (and keepalived) on master-1… as in kubeadm\'s HA guide'),
  })
  .strict();

const RawClusterSchema = z
  .object({
    topology: z.enum(TOPOLOGIES).default('stacked').describe('stacked: etcd on the masters; external: separate etcd machines'),
    masters: z.int().min(1).max(9).default(3),
    etcdMembers: z.int().min(1).max(9).optional().describe('external topology only (default 3); stacked has one member per master'),
    workers: z.int().min(0).max(10000).default(3),
    zones: z.int().min(1).max(9).default(1).describe('machines of each kind are spread round-robin over the zones'),
    pods: z.int().min(0).max(MAX_PODS, { error: `at most ${MAX_PODS} (the run holds every pod and its events in memory)` }).default(12).describe('replicas of one sample Deployment'),
    loadBalancer: LoadBalancerSchema.prefault({}),
    apiserverEtcd: z
      .enum(['default', ...APISERVER_ETCD_MODES])
      .default('default')
      .describe('etcd endpoints of each apiserver: default (stacked→local, external→all) | local | all | lb | first-endpoint-bug'),
    componentsApi: z
      .enum(['local', 'lb'])
      .default('local')
      .describe('how controller-manager and scheduler reach an apiserver: local (kubeadm) | lb'),
    versions: VersionsSchema.prefault({}).describe('the Kubernetes and etcd versions whose defaults apply (README: version table)'),
  })
  .strict();

type RawCluster = z.output<typeof RawClusterSchema>;

/** The parsed `cluster:` section: every field filled in, `etcdMembers` and `apiserverEtcd` resolved. */
export type ClusterSpec = Omit<RawCluster, 'etcdMembers' | 'apiserverEtcd'> & {
  /** Number of etcd members: `masters` when stacked. */
  etcdMembers: number;
  apiserverEtcd: (typeof APISERVER_ETCD_MODES)[number];
};

function checkCluster(c: RawCluster, ctx: z.RefinementCtx): void {
  if (c.topology === 'stacked' && c.etcdMembers !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['etcdMembers'],
      message: 'only allowed with topology: external (a stacked cluster runs one etcd member on each master); remove it or set topology: external',
    });
  }
  if (c.loadBalancer.vip === 'keepalived' && c.loadBalancer.count < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['loadBalancer', 'vip'],
      message: `keepalived needs at least two load balancers to move the VIP between, got loadBalancer.count: ${c.loadBalancer.count}`,
    });
  }
  if (c.loadBalancer.placement === 'masters' && c.loadBalancer.count > c.masters) {
    ctx.addIssue({
      code: 'custom',
      path: ['loadBalancer', 'count'],
      message: `with placement: masters, at most one load balancer per master (${c.masters}), got ${c.loadBalancer.count}`,
    });
  }
  if (c.componentsApi === 'lb' && c.loadBalancer.count === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['componentsApi'],
      message: 'lb needs at least one load balancer (loadBalancer.count is 0)',
    });
  }
}

function resolveCluster(c: RawCluster): ClusterSpec {
  const external = c.topology === 'external';
  return {
    topology: c.topology,
    masters: c.masters,
    etcdMembers: external ? (c.etcdMembers ?? 3) : c.masters,
    workers: c.workers,
    zones: c.zones,
    pods: c.pods,
    loadBalancer: { ...c.loadBalancer },
    apiserverEtcd: c.apiserverEtcd === 'default' ? (external ? 'all' : 'local') : c.apiserverEtcd,
    componentsApi: c.componentsApi,
    versions: { ...c.versions },
  };
}

export const ClusterSchema = RawClusterSchema.superRefine(checkCluster).transform(resolveCluster);
