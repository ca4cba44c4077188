// The `params:` section of a scenario: timing flags of every component, defaulting to the upstream defaults.
import { z } from 'zod';
import { formatDuration as fmt, S, zDuration, zTimer } from './duration.ts';
import type { VersionProfile } from './versions.ts';

const fraction = (what: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? undefined : `expected ${what} between 0 and 1, got ${String(iss.input)}`) })
    .min(0, { error: (iss) => `expected ${what} between 0 and 1, got ${String(iss.input)}` })
    .max(1, { error: (iss) => `expected ${what} between 0 and 1, got ${String(iss.input)}` });

/** A fraction in [0, 1] (loss rates). */
export const zFraction = fraction('a fraction');

const count = () => z.int().min(1);

/** A rate in events per second, >= 0 (0 stops them). */
const rate = (flag: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? undefined : `expected a rate per second (${flag}), got ${String(iss.input)}`) })
    .min(0, { error: (iss) => `expected a rate per second >= 0 (${flag}), got ${String(iss.input)}` });

// etcd server/embed/config.go (TickMs 100, ElectionMs 1000); ReqTimeout = 5s + 2E. Unset fields marked
// "version" come from cluster.versions (versions.ts).
const EtcdSchema = z
  .object({
    heartbeatInterval: zTimer.prefault('100ms'),
    electionTimeout: zTimer.prefault('1000ms'),
    preVote: z.boolean().optional().describe('default by cluster.versions.etcd: false for 3.4, true from 3.5'),
    requestTimeout: zTimer.prefault('7s'),
    fsync: zDuration.prefault('1ms').describe('time of one fsync of the raft log'),
  })
  .strict();

// component-base RecommendedDefaultLeaderElectionConfiguration: 15s / 10s / 2s.
const LeaderElectionSchema = z
  .object({
    enabled: z.boolean().default(true),
    leaseDuration: zTimer.prefault('15s'),
    renewDeadline: zTimer.prefault('10s'),
    retryPeriod: zTimer.prefault('2s'),
  })
  .strict();

const componentElection = (releaseOnCancel: boolean | 'version') =>
  z
    .object({
      releaseOnCancel: releaseOnCancel === 'version'
        ? z.boolean().optional().describe('default by cluster.versions.kubernetes (true in every supported version)')
        : z.boolean().default(releaseOnCancel),
      leaseDuration: zTimer.optional(),
      renewDeadline: zTimer.optional(),
      retryPeriod: zTimer.optional(),
    })
    .strict()
    .describe('per-component leader election; timings not given here come from params.leaderElection');

const RawParamsSchema = z
  .object({
    etcd: EtcdSchema.prefault({}),
    leaderElection: LeaderElectionSchema.prefault({}),
    // kube-scheduler sets ReleaseOnCancel; kube-controller-manager exits without releasing its lease.
    kubeScheduler: componentElection('version').prefault({}),
    kubeControllerManager: componentElection(false).prefault({}),
    apiserver: z
      .object({ etcdCheckTimeout: zTimer.prefault('2s'), livenessRestart: z.boolean().default(true) })
      .strict()
      .prefault({}),
    haproxy: z
      .object({
        inter: zTimer.prefault('2s'),
        fall: count().default(3),
        rise: count().default(2),
        timeoutServer: zTimer.prefault('20s'),
        // kubeadm's ha-considerations.md haproxy.cfg: timeout connect 5s; `timeout check` unset means inter bounds a check.
        timeoutConnect: zTimer.prefault('5s'),
        timeoutCheck: zTimer.optional().describe('haproxy `timeout check` (unset: inter bounds the whole check)'),
        fastinter: zTimer.optional().describe('check interval while a server is between UP and DOWN (unset: inter)'),
        downinter: zTimer.optional().describe('check interval while a server is DOWN (unset: inter)'),
      })
      .strict()
      .prefault({}),
    keepalived: z.object({ advertInt: zTimer.prefault('1s') }).strict().prefault({}),
    kubelet: z.object({ nodeLeaseDuration: zTimer.prefault('40s') }).strict().prefault({}),
    nodeLifecycle: z
      .object({
        monitorPeriod: zTimer.prefault('5s'),
        gracePeriod: zTimer.optional().describe('default by cluster.versions.kubernetes: 40s before 1.32, 50s from 1.32'),
        tolerationSeconds: zDuration.prefault('300s').describe('a duration string despite the name, e.g. "300s"'),
        // kube-controller-manager flags (nodelifecycle config defaults): taints per second per zone, and the disruption rules.
        nodeEvictionRate: rate('--node-eviction-rate').default(0.1).describe('nodes tainted per second in a healthy or fully disrupted zone'),
        secondaryNodeEvictionRate: rate('--secondary-node-eviction-rate').default(0.01)
          .describe('nodes tainted per second in a partially disrupted zone larger than largeClusterSizeThreshold (else 0)'),
        largeClusterSizeThreshold: z.int({ error: (iss) => `expected a whole number of nodes (--large-cluster-size-threshold), got ${String(iss.input)}` })
          .min(0, { error: (iss) => `expected a whole number of nodes >= 0 (--large-cluster-size-threshold), got ${String(iss.input)}` }).default(50),
        unhealthyZoneThreshold: fraction('the NotReady share of a zone (--unhealthy-zone-threshold)').default(0.55),
      })
      .strict()
      .prefault({}),
    network: z
      .object({ latency: zDuration.prefault('500us'), jitter: zDuration.prefault('200us'), loss: zFraction.default(0) })
      .strict()
      .prefault({}),
    probe: z
      .object({ interval: zTimer.prefault('1s'), timeout: zTimer.prefault('5s') })
      .strict()
      .prefault({})
      .describe('the synthetic kubectl client behind the LB/VIP'),
  })
  .strict();

type RawParams = z.output<typeof RawParamsSchema>;
type ComponentKey = 'kubeScheduler' | 'kubeControllerManager';
const COMPONENTS: readonly [ComponentKey, string][] = [
  ['kubeScheduler', 'kube-scheduler'],
  ['kubeControllerManager', 'kube-controller-manager'],
];

/** Leader election of one component with the effective timings (its override, else params.leaderElection). */
export interface ComponentElection {
  releaseOnCancel: boolean;
  leaseDuration: number;
  renewDeadline: number;
  retryPeriod: number;
}

/** The `params:` section as parsed, before cluster.versions fills in the version-dependent defaults. */
export type ParamsDraft = Omit<RawParams, ComponentKey> & Record<ComponentKey, Omit<ComponentElection, 'releaseOnCancel'> & { releaseOnCancel: boolean | undefined }>;

/** The parsed `params:` section, every field filled in (durations in µs). */
export type Params = Omit<ParamsDraft, ComponentKey | 'etcd' | 'nodeLifecycle'> & Record<ComponentKey, ComponentElection> & {
  etcd: RawParams['etcd'] & { preVote: boolean };
  nodeLifecycle: RawParams['nodeLifecycle'] & { gracePeriod: number };
};

/** Fill in what the user left to the version profile. */
export function withVersionDefaults(p: ParamsDraft, profile: VersionProfile): Params {
  return {
    ...p,
    etcd: { ...p.etcd, preVote: p.etcd.preVote ?? profile.etcdPreVote },
    nodeLifecycle: { ...p.nodeLifecycle, gracePeriod: p.nodeLifecycle.gracePeriod ?? profile.nodeMonitorGracePeriodUs },
    kubeScheduler: { ...p.kubeScheduler, releaseOnCancel: p.kubeScheduler.releaseOnCancel ?? profile.schedulerReleaseOnCancel },
    kubeControllerManager: { ...p.kubeControllerManager, releaseOnCancel: p.kubeControllerManager.releaseOnCancel ?? false },
  };
}

function effective(p: RawParams, key: ComponentKey): Omit<ComponentElection, 'releaseOnCancel'> & { releaseOnCancel: boolean | undefined } {
  const o = p[key];
  const base = p.leaderElection;
  return {
    releaseOnCancel: o.releaseOnCancel,
    leaseDuration: o.leaseDuration ?? base.leaseDuration,
    renewDeadline: o.renewDeadline ?? base.renewDeadline,
    retryPeriod: o.retryPeriod ?? base.retryPeriod,
  };
}

// client-go leaderelection.go NewLeaderElector: LeaseDuration > RenewDeadline > JitterFactor(1.2) × RetryPeriod.
function checkLeaseTimings(p: RawParams, key: ComponentKey, name: string, ctx: z.RefinementCtx): void {
  const o = p[key];
  const e = effective(p, key);
  const from = (field: 'leaseDuration' | 'renewDeadline' | 'retryPeriod') =>
    o[field] !== undefined ? [key, field] : ['leaderElection', field];
  const overridden = o.leaseDuration !== undefined || o.renewDeadline !== undefined || o.retryPeriod !== undefined;
  const note = overridden ? ` (effective values for ${name})` : '';
  if (e.leaseDuration <= e.renewDeadline) {
    const blameRenew = o.renewDeadline !== undefined && o.leaseDuration === undefined;
    ctx.addIssue({
      code: 'custom',
      path: blameRenew ? from('renewDeadline') : from('leaseDuration'),
      message: blameRenew
        ? `must be less than leaseDuration (${fmt(e.leaseDuration)}), got ${fmt(e.renewDeadline)}${note}`
        : `must be greater than renewDeadline (${fmt(e.renewDeadline)}), got ${fmt(e.leaseDuration)}${note}`,
    });
  }
  const jittered = Math.round(1.2 * e.retryPeriod);
  if (e.renewDeadline <= jittered) {
    const blameRetry = o.retryPeriod !== undefined && o.renewDeadline === undefined;
    ctx.addIssue({
      code: 'custom',
      path: blameRetry ? from('retryPeriod') : from('renewDeadline'),
      message: blameRetry
        ? `must be less than renewDeadline / 1.2 (${fmt(Math.ceil(e.renewDeadline / 1.2))}), got ${fmt(e.retryPeriod)}${note}`
        : `must be greater than 1.2 × retryPeriod (${fmt(jittered)}), got ${fmt(e.renewDeadline)}${note}`,
    });
  }
}

// etcd server/embed/config.go Validate: "--election-timeout should be at least as 5 times as --heartbeat-interval",
// and maxElectionMs = 50000.
function checkEtcdTimings(p: RawParams, ctx: z.RefinementCtx): void {
  const { heartbeatInterval, electionTimeout } = p.etcd;
  if (electionTimeout < 5 * heartbeatInterval) {
    ctx.addIssue({
      code: 'custom',
      path: ['etcd', 'electionTimeout'],
      message: `must be at least 5 × heartbeatInterval (${fmt(5 * heartbeatInterval)}), got ${fmt(electionTimeout)}`,
    });
  }
  if (electionTimeout > 50 * S) {
    ctx.addIssue({ code: 'custom', path: ['etcd', 'electionTimeout'], message: `must be at most 50s (etcd's limit), got ${fmt(electionTimeout)}` });
  }
}

function checkParams(p: RawParams, ctx: z.RefinementCtx): void {
  checkEtcdTimings(p, ctx);
  if (!p.leaderElection.enabled) return;
  for (const [key, name] of COMPONENTS) checkLeaseTimings(p, key, name, ctx);
}

export const ParamsSchema = RawParamsSchema.superRefine(checkParams).transform(
  (p): ParamsDraft => ({ ...p, kubeScheduler: effective(p, 'kubeScheduler'), kubeControllerManager: effective(p, 'kubeControllerManager') }),
);
