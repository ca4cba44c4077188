// Cross-field rules that need the whole scenario: fault times and targets, partition groups, expectation metrics.
import type { z } from 'zod';
import { formatDuration } from './duration.ts';
import { closestMetric, isKnownMetric } from './metrics.ts';
import { checkTarget, machineByName, machinesOfTarget, parseTarget, roleCount, type NamesCluster, type TargetKind } from './names.ts';
import type { Expectation } from './schema-expect.ts';
import type { Fault } from './schema-faults.ts';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/** The parts of a parsed scenario these rules read. */
export interface RulesInput {
  duration: number;
  cluster: NamesCluster;
  faults: Fault[];
  expect: Expectation[];
}

interface TargetUse {
  path: Path;
  target: string;
  kind: TargetKind;
}

/** Every target a fault names, with its path inside the fault (YAML form) and the kind of target it must be. */
function targetUses(f: Fault): TargetUse[] {
  switch (f.verb) {
    case 'kill':
    case 'stop':
    case 'start':
      return [{ path: [f.verb], target: f.target, kind: 'process-machine-or-zone' }];
    case 'pause':
    case 'resume':
      return [{ path: [f.verb], target: f.target, kind: 'process-or-machine' }];
    case 'isolate':
      return [{ path: ['isolate'], target: f.target, kind: 'machine-or-zone' }];
    case 'partition':
      return f.groups.flatMap((g, gi) => g.map((t, ti) => ({ path: ['partition', gi, ti], target: t, kind: 'machine-or-zone' as const })));
    case 'cut':
      return [
        { path: ['cut', 'from'], target: f.from, kind: 'machine-or-zone' },
        ...f.to.map((t, ti) => ({ path: ['cut', 'to', ti], target: t, kind: 'machine-or-zone' as const })),
      ];
    case 'latency':
    case 'loss':
      if (f.between === 'all') return [];
      return f.between.map((t, ti) => ({ path: [f.verb, 'between', ti], target: t, kind: 'machine-or-zone' as const }));
    case 'clock':
      return [{ path: ['clock', 'target'], target: f.target, kind: 'machine' }];
    case 'disk':
      return [{ path: ['disk', 'target'], target: f.target, kind: 'process-or-machine' }];
    case 'heal':
    case 'random':
      return [];
  }
}

function checkDiskTarget(target: string, c: NamesCluster): string | null {
  const ref = parseTarget(target, c);
  if (ref === null) return null; // already reported as unknown
  const etcd =
    ref.kind === 'etcd-member' ||
    (ref.kind === 'process' && ref.component === 'etcd') ||
    (ref.kind === 'machine' && machineByName(ref.machine, c)?.components.includes('etcd') === true) ||
    (ref.kind === 'role' && ref.selector.startsWith('etcd:'));
  return etcd ? null : `"${target}" runs no etcd member; expected an etcd member like etcd-1`;
}

/** A machine may appear in only one group of a partition (zones count as their machines). */
function checkPartitionGroups(f: Fault & { verb: 'partition' }, c: NamesCluster, report: Report): void {
  const groupOf = new Map<string, number>();
  f.groups.forEach((group, gi) => {
    group.forEach((target, ti) => {
      const ref = parseTarget(target, c);
      const machines = ref && machinesOfTarget(ref, c);
      if (!machines) return; // unknown (reported elsewhere) or a role selector, resolved when the fault fires
      const clash = machines.find((m) => groupOf.has(m) && groupOf.get(m) !== gi);
      if (clash !== undefined) {
        const who = clash === target ? clash : `"${target}" includes ${clash}, which`;
        const where = `partition[${groupOf.get(clash)}]`;
        report(['partition', gi, ti], `${who} is already in ${where}; a machine can be in only one group`);
      }
      for (const m of machines) if (!groupOf.has(m)) groupOf.set(m, gi);
    });
  });
}

function checkRandom(f: Fault & { verb: 'random' }, c: NamesCluster, report: Report): void {
  const count = (t: 'masters' | 'etcd' | 'workers' | 'lbs' | 'machines') =>
    ({ masters: c.masters, etcd: c.etcdMembers, workers: c.workers, lbs: roleCount('lb', c), machines: 1 })[t];
  if (f.mix === undefined) {
    if (count(f.targets) === 0) report(['random', 'targets'], `the cluster has no ${f.targets}`);
    return;
  }
  // a profile applies to whatever the cluster has; an explicit mix entry must name targets that exist
  if (f.profile !== null) return;
  f.mix.forEach((e, i) => {
    if (e.targets !== null && count(e.targets) === 0) report(['random', 'mix', i, 'targets'], `the cluster has no ${e.targets}`);
  });
}

function checkFault(f: Fault, s: RulesInput, report: Report): void {
  if (f.at > s.duration) {
    report(['at'], `${formatDuration(f.at)} is after the end of the run (duration: ${formatDuration(s.duration)})`);
  }
  for (const use of targetUses(f)) {
    const problem = checkTarget(use.target, s.cluster, use.kind) ?? (f.verb === 'disk' ? checkDiskTarget(use.target, s.cluster) : null);
    if (problem) report(use.path, problem);
  }
  if (f.verb === 'partition') checkPartitionGroups(f, s.cluster, report);
  if (f.verb === 'random') checkRandom(f, s.cluster, report);
}

function checkExpectation(e: Expectation, report: Report): void {
  if (e.kind !== 'bound' || isKnownMetric(e.metric)) return;
  const hint = closestMetric(e.metric);
  const mean = hint ? ` (did you mean ${hint}?)` : ' (see SPEC §4 for the report metrics)';
  report(['metric'], `unknown metric "${e.metric}"${mean}`);
}

/** Apply the rules, adding one issue per problem to `ctx` with its full path (faults[i]…, expect[i]…). */
export function checkScenarioRules(s: RulesInput, ctx: z.RefinementCtx): void {
  const reporter = (prefix: Path): Report => (path, message) =>
    ctx.addIssue({ code: 'custom', path: [...prefix, ...path], message });
  for (const f of s.faults) checkFault(f, s, reporter(['faults', f.index]));
  for (const e of s.expect) checkExpectation(e, reporter(['expect', e.index]));
}
