// Version profiles: which Kubernetes and etcd release the defaults follow, and each version-dependent default (README table).
import { z } from 'zod';
import { S } from './duration.ts';

/** Kubernetes minors whose modelled behaviour this table covers (isLeaseValid reads the record's duration since 1.27). */
export const KUBERNETES_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;
export const ETCD_VERSIONS = ['3.4', '3.5', '3.6'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];
export type EtcdVersion = (typeof ETCD_VERSIONS)[number];

/** The versions whose defaults hasim uses when a scenario names none. */
export const DEFAULT_VERSIONS = { kubernetes: '1.32', etcd: '3.5' } as const satisfies { kubernetes: KubernetesVersion; etcd: EtcdVersion };

/** Every default that differs between supported versions (sources in the README's version table). */
export interface VersionProfile {
  /** kube-controller-manager --node-monitor-grace-period: 40 s, 50 s from 1.32 (k/k PR #126287). */
  nodeMonitorGracePeriodUs: number;
  /** client-go tryAcquireOrRenew optimistic update of the cached record, from 1.30 (k/k PR #122069). */
  leaderElectionFastPath: boolean;
  /** kube-scheduler ReleaseOnCancel: true in every supported version (k/k PR #100305, 2021). */
  schedulerReleaseOnCancel: boolean;
  /** etcd --pre-vote: false in 3.4, true from 3.5 (server/embed/config.go). */
  etcdPreVote: boolean;
}

function minor(v: KubernetesVersion): number {
  return Number(v.split('.')[1]);
}

export function versionProfile(v: { kubernetes: KubernetesVersion; etcd: EtcdVersion }): VersionProfile {
  const k = minor(v.kubernetes);
  return {
    nodeMonitorGracePeriodUs: (k >= 32 ? 50 : 40) * S,
    leaderElectionFastPath: k >= 30,
    schedulerReleaseOnCancel: true,
    etcdPreVote: v.etcd !== '3.4',
  };
}

/**
 * A version as YAML gives it: a string, or a number that YAML made of an unquoted one (1.30 reads as 1.3, so a
 * one-decimal number is also tried with two decimals).
 */
function zVersion<T extends string>(what: string, supported: readonly T[]) {
  const list = supported.map((s) => `"${s}"`).join(', ');
  return z.union([z.string(), z.number()]).transform((input, ctx): T => {
    const tries = typeof input === 'number' ? [String(input), input.toFixed(2)] : [input.trim()];
    const hit = tries.find((t): t is T => (supported as readonly string[]).includes(t));
    if (hit !== undefined) return hit;
    ctx.addIssue({ code: 'custom', message: `unsupported ${what} version ${JSON.stringify(input)}; supported: ${list}` });
    return z.NEVER;
  });
}

export const VersionsSchema = z
  .object({
    kubernetes: zVersion('Kubernetes', KUBERNETES_VERSIONS).default(DEFAULT_VERSIONS.kubernetes)
      .describe(`Kubernetes minor version whose defaults apply (default ${DEFAULT_VERSIONS.kubernetes}): ${KUBERNETES_VERSIONS.join(', ')}`),
    etcd: zVersion('etcd', ETCD_VERSIONS).default(DEFAULT_VERSIONS.etcd)
      .describe(`etcd minor version whose defaults apply (default ${DEFAULT_VERSIONS.etcd}): ${ETCD_VERSIONS.join(', ')}`),
  })
  .strict();
