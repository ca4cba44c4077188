// Failure mixes for `random` faults: kinds of failure with their own rate per target, and named profiles of default rates.
import { z } from 'zod';
import { parseDuration, zPositiveDuration, zTimer } from './duration.ts';
import { describeValue } from './errors.ts';
import { COMPONENTS, type Component } from './names.ts';

export const RANDOM_KINDS = ['crash', 'power-loss', 'reboot', 'disk-stall', 'isolation', 'zone-outage'] as const;
export type RandomKind = (typeof RANDOM_KINDS)[number];
export const MIX_TARGETS = ['masters', 'etcd', 'workers', 'lbs', 'machines'] as const;

/** Seconds in the year that `rate` is counted over (365 days). */
export const YEAR_US = 365 * 86_400 * 1e6;

/** One kind of failure, normalized: µs durations; `rate` failures per target per year. */
export interface MixEntry {
  kind: RandomKind;
  /** Class of target (not for crash, which names a component, nor zone-outage, whose targets are zones). */
  targets: (typeof MIX_TARGETS)[number] | null;
  component: Component | null;
  rate: number;
  /** Mean outage (repair, reboot, stall, isolation) length; null for crash (the kubelet restarts the process). */
  mttr: number | null;
  /** disk-stall: fsync latency while it lasts. */
  fsync: number | null;
}

const zKind = z.string().refine((k) => (RANDOM_KINDS as readonly string[]).includes(k), {
  error: (iss) => `unknown random kind ${describeValue(iss.input)}; expected one of ${RANDOM_KINDS.join(', ')}`,
}).meta({ enum: [...RANDOM_KINDS] }); // a refine (not z.enum) so that the message can list the kinds

/** One failure a second per target, the bound random's mtbf has (at least 1s). */
const MAX_RATE = 31_536_000;

export const MixEntrySchema = z
  .object({
    kind: zKind,
    targets: z.enum(MIX_TARGETS).optional(),
    component: z.enum(COMPONENTS).optional(),
    rate: z.number({ error: (iss) => `expected a number of failures per target per year, got ${describeValue(iss.input)}` })
      .min(0, { error: (iss) => `expected a rate ≥ 0 (failures per target per year), got ${String(iss.input)}` })
      // as random's mtbf ≥ 1s: a target failing more often than once a second fails faster than it can recover
      .max(MAX_RATE, { error: (iss) => `expected at most ${MAX_RATE} failures per target per year (one a second), got ${String(iss.input)}` }),
    mttr: zTimer.optional(),
    fsync: zPositiveDuration.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const need = (field: string, why: string) => ctx.addIssue({ code: 'custom', path: [field], message: `required for kind ${e.kind}: ${why}` });
    if (e.kind === 'crash' && e.component === undefined) need('component', `the component that crashes (${COMPONENTS.join(', ')})`);
    if (e.kind !== 'crash' && e.mttr === undefined) need('mttr', 'the mean outage length, a duration like "10m"');
    if (e.kind === 'disk-stall' && e.fsync === undefined) need('fsync', 'the fsync latency during the stall, like "2s"');
    if (e.kind !== 'crash' && e.component !== undefined) ctx.addIssue({ code: 'custom', path: ['component'], message: `only crash takes a component, not ${e.kind}` });
  })
  .transform((e): MixEntry => ({
    kind: e.kind as RandomKind,
    targets: e.kind === 'crash' || e.kind === 'zone-outage' ? null : (e.targets ?? (e.kind === 'disk-stall' ? 'etcd' : 'machines')),
    component: e.component ?? null,
    rate: e.rate,
    mttr: e.mttr ?? null,
    fsync: e.fsync ?? null,
  }));

const d = (text: string): number => parseDuration(text);
const entry = (e: Partial<MixEntry> & Pick<MixEntry, 'kind' | 'rate'>): MixEntry =>
  ({ targets: null, component: null, mttr: null, fsync: null, ...e });

/**
 * Named profiles. `datacenter`: rates per target per year; the README says which come from published figures
 * (Dean 2008: per 1,800-machine cluster and year ~1,000 machine failures, ~20 rack failures of 1–6 h) and which are
 * assumptions. `harsh`: the worked study's every machine failing each hour, as a mix.
 */
export const PROFILES: Record<string, MixEntry[]> = {
  datacenter: [
    entry({ kind: 'power-loss', targets: 'machines', rate: 0.5, mttr: d('4h') }),
    entry({ kind: 'reboot', targets: 'machines', rate: 12, mttr: d('3m') }),
    entry({ kind: 'crash', component: 'etcd', rate: 1 }),
    entry({ kind: 'crash', component: 'kube-apiserver', rate: 4 }),
    entry({ kind: 'crash', component: 'kube-controller-manager', rate: 2 }),
    entry({ kind: 'crash', component: 'kube-scheduler', rate: 2 }),
    entry({ kind: 'crash', component: 'haproxy', rate: 1 }),
    entry({ kind: 'crash', component: 'keepalived', rate: 1 }),
    entry({ kind: 'crash', component: 'kubelet', rate: 1 }),
    entry({ kind: 'disk-stall', targets: 'etcd', rate: 4, mttr: d('1m'), fsync: d('2s') }),
    entry({ kind: 'isolation', targets: 'machines', rate: 1, mttr: d('5m') }),
    entry({ kind: 'zone-outage', rate: 0.5, mttr: d('3h') }),
  ],
  harsh: [entry({ kind: 'power-loss', targets: 'machines', rate: YEAR_US / d('1h'), mttr: d('10m') })],
};
export const PROFILE_NAMES = Object.keys(PROFILES);
