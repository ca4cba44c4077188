// `hasim cuts`: every set of up to k failure domains (machines or zones) failed together once the cluster has settled,
// restored after D; which sets take down API writes, etcd quorum, each leader group and workloads, and the minimal cut sets.
import { streamFor } from '../kernel/random.ts';
import { formatDuration, machinesOf, type Scenario } from '../scenario/index.ts';
import { replaceFaults } from '../scenario/replace-faults.ts';
import { compareScenarios, compareVariants } from './compare.ts';
import type { RunRecord, VariantSpec } from './record.ts';

export const CUT_SERVICES = ['apiWrite', 'etcdQuorum', 'kube-scheduler', 'kube-controller-manager', 'workloads'] as const;
export type CutService = (typeof CUT_SERVICES)[number];

export interface CutsOptions {
  maxFailures: number;
  /** How long each set stays failed, µs. */
  forUs: number;
  /** When the set fails (the cluster has settled by then), µs. */
  atUs: number;
  domain: 'machine' | 'zone';
  /** At most this many sets per topology; more are sampled (seeded) and the result says so. */
  cap: number;
}

/** The outcome of one set, as extra downtime over the run with no failure (same seed: identical until the set fails). */
export interface CutOutcome {
  domains: string[];
  /** Extra seconds of API write downtime, of etcd / kube-scheduler / kube-controller-manager leaderless time; extra lost pod-seconds. */
  extra: Record<CutService, number>;
  down: Record<CutService, boolean>;
}

export interface TopologyCuts {
  domains: string[];
  /** Sets there are of sizes 1..k, and how many were run. */
  total: number;
  run: number;
  sampled: boolean;
  desiredPods: number;
  sets: CutOutcome[];
  /** Per service: the sets that take it down while no proper subset (that was run) does. */
  minimal: Record<CutService, string[][]>;
}

export interface CutsResult {
  format: 'hasim-cuts';
  version: 1;
  scenario: string;
  file: string;
  options: { maxFailures: number; for: string; at: string; domain: string; cap: number };
  seed: number;
  topologies: Record<string, TopologyCuts>;
}

/** The failure domains of a validated scenario: its machines (not the client) or its zones. */
export function domainsOf(scenario: Scenario, domain: 'machine' | 'zone'): string[] {
  if (domain === 'zone') return Array.from({ length: scenario.cluster.zones }, (_, i) => `zone-${i + 1}`);
  return machinesOf(scenario.cluster).filter((m) => m.role !== 'client').map((m) => m.name); // the probe client is the observer
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The `rank`-th k-subset of 0..n−1 in lexicographic order (combinatorial number system). */
function unrank(n: number, k: number, rank: number): number[] {
  const out: number[] = [];
  let x = 0;
  for (let slot = k; slot > 0; slot--) {
    while (binomial(n - x - 1, slot - 1) <= rank) {
      rank -= binomial(n - x - 1, slot - 1);
      x++;
    }
    out.push(x++);
  }
  return out;
}

/** Every set of 1..k of `n` domains, or `cap` of them drawn uniformly without replacement (seeded) when there are more. */
export function cutSets(n: number, k: number, cap: number, seed: number): { sets: number[][]; total: number } {
  const sizes = Array.from({ length: k }, (_, i) => binomial(n, i + 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const pick = (index: number): number[] => {
    let size = 0;
    while (index >= sizes[size]!) index -= sizes[size++]!;
    return unrank(n, size + 1, index);
  };
  if (total <= cap) return { sets: Array.from({ length: total }, (_, i) => pick(i)), total };
  const stream = streamFor(seed, 'cut-sets');
  const chosen = new Set<number>();
  while (chosen.size < cap) chosen.add(stream.below(total));
  return { sets: [...chosen].sort((a, b) => a - b).map(pick), total };
}

/** The scenario of one set: the same cluster, its own faults replaced by the set's domains killed at `at` for D. */
export function setScenario(raw: unknown, name: string, domains: readonly string[], opts: CutsOptions): unknown {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const recoverUs = Math.max(60e6, opts.forUs);
  copy['name'] = name;
  copy['duration'] = formatDuration(opts.atUs + opts.forUs + recoverUs);
  delete copy['expect'];
  delete copy['seeds'];
  return replaceFaults(copy, domains.map((d) => ({ at: formatDuration(opts.atUs), for: formatDuration(opts.forUs), kill: d })));
}

/** The variants to run, per topology: the no-failure baseline first, then one per set. */
export function cutVariants(raw: unknown, file: string, topologies: readonly string[], userSets: readonly string[], opts: CutsOptions) {
  const plans: { topology: string; domains: string[]; total: number; sets: string[][]; base: Scenario }[] = [];
  const variants: VariantSpec[] = [];
  const { variants: bases } = compareVariants(raw, topologies, userSets);
  const scenarios = compareScenarios(bases, file);
  topologies.forEach((t, i) => {
    const domains = domainsOf(scenarios[i]!, opts.domain);
    // more failures than domains: no sets here; the caller reports it as a usage error
    const { sets, total } = opts.maxFailures > domains.length ? { sets: [], total: 0 } : cutSets(domains.length, opts.maxFailures, opts.cap, scenarios[i]!.seed);
    const named = sets.map((s) => s.map((d) => domains[d]!));
    plans.push({ topology: t, domains, total, sets: named, base: scenarios[i]! });
    for (const set of [[], ...named]) {
      variants.push({ key: `${t}|${set.join('+')}`, raw: setScenario(bases[i]!.raw, scenarios[i]!.name, set, opts), sets: bases[i]!.sets });
    }
  });
  return { plans, variants };
}

function measures(r: RunRecord): Record<CutService, number> {
  return {
    apiWrite: r.values['downtime.apiWrite.totalSeconds'] ?? 0,
    etcdQuorum: r.values['leaders.etcd.leaderlessSeconds'] ?? 0,
    'kube-scheduler': r.values['leaders.kube-scheduler.leaderlessSeconds'] ?? 0,
    'kube-controller-manager': r.values['leaders.kube-controller-manager.leaderlessSeconds'] ?? 0,
    workloads: r.lostPodSeconds ?? 0,
  };
}

/**
 * A set takes a service down when the service is out for at least half of D more than without the failure (for
 * workloads: half of the desired pods' pod-seconds over D): it does not fail over while the set is down.
 */
export function outcomes(plan: { domains: string[]; total: number; sets: string[][] }, records: readonly RunRecord[], opts: CutsOptions): TopologyCuts {
  const base = measures(records[0]!);
  const desiredPods = records[0]!.desiredPods ?? 0;
  const halfS = opts.forUs / 2e6;
  const sets = plan.sets.map((domains, i) => {
    const m = measures(records[i + 1]!);
    const extra = {} as Record<CutService, number>;
    const down = {} as Record<CutService, boolean>;
    for (const s of CUT_SERVICES) {
      extra[s] = Math.max(0, m[s] - base[s]);
      down[s] = s === 'workloads' ? desiredPods > 0 && extra[s] >= halfS * desiredPods : extra[s] >= halfS;
    }
    return { domains, extra, down };
  });
  const minimal = {} as Record<CutService, string[][]>;
  for (const s of CUT_SERVICES) {
    const downSets = sets.filter((x) => x.down[s]).map((x) => x.domains);
    minimal[s] = downSets.filter((d) => !downSets.some((o) => o.length < d.length && o.every((x) => d.includes(x))));
  }
  return { domains: plan.domains, total: plan.total, run: plan.sets.length, sampled: plan.sets.length < plan.total, desiredPods, sets, minimal };
}
