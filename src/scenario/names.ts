// Names of machines, processes, zones and role selectors (SPEC §2 "Names", "Targets"): the single source of truth.
import type { ClusterSpec } from './schema-cluster.ts';
import { closest } from './suggest.ts';

export const COMPONENTS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'haproxy',
  'keepalived',
  'kubelet',
] as const;
export type Component = (typeof COMPONENTS)[number];

export type MachineRole = 'master' | 'etcd' | 'lb' | 'etcd-lb' | 'worker' | 'client';

export interface MachineInfo {
  name: string;
  role: MachineRole;
  /** 1-based zone; null for `client`, which stands outside the cluster. */
  zone: number | null;
  components: Component[];
}

/** The fields of a parsed cluster that decide its names. */
export type NamesCluster = Pick<
  ClusterSpec,
  'topology' | 'masters' | 'etcdMembers' | 'workers' | 'zones' | 'loadBalancer' | 'apiserverEtcd'
>;

export const ROLE_SELECTORS: readonly string[] = [
  'etcd:leader',
  'etcd:follower', // the lowest-numbered follower, when the fault fires
  'kube-scheduler:leader',
  'kube-controller-manager:leader',
  'vip:holder',
  ...COMPONENTS.map((c) => `${c}:killed`), // what an earlier fault took down
];

const NUMBERED_ROLES = ['master', 'etcd', 'lb', 'etcd-lb', 'worker'] as const;
type NumberedRole = (typeof NUMBERED_ROLES)[number];

/** How many machines of a role the cluster has. */
export function roleCount(role: NumberedRole, c: NamesCluster): number {
  switch (role) {
    case 'master':
      return c.masters;
    case 'etcd':
      return c.topology === 'external' ? c.etcdMembers : 0;
    case 'lb':
      return c.loadBalancer.placement === 'masters' ? 0 : c.loadBalancer.count;
    case 'etcd-lb':
      return c.apiserverEtcd === 'lb' ? c.masters : 0; // one etcd haproxy per master, as in the seed article
    case 'worker':
      return c.workers;
  }
}

/** Components running on a machine of `role`, in a fixed order. */
export function componentsOf(role: MachineRole, c: NamesCluster): Component[] {
  switch (role) {
    case 'master': {
      const base: Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'];
      return c.topology === 'stacked' ? [...base, 'etcd'] : base;
    }
    case 'etcd':
      return ['etcd'];
    case 'lb':
      return lbComponents(c);
    case 'etcd-lb':
      return ['haproxy'];
    case 'worker':
      return ['kubelet'];
    case 'client':
      return [];
  }
}

/** Machines of every class are spread round-robin over the zones: machine i of a class is in zone ((i-1) % zones) + 1. */
/** The number of a numbered machine: `master-3` → 3, `etcd-lb-2` → 2. */
export function machineIndex(machine: string): number {
  const m = /-(\d+)$/.exec(machine);
  if (!m) throw new Error(`${machine} is not a numbered machine`);
  return Number(m[1]);
}

export function zoneOf(i: number, zones: number): number {
  return ((i - 1) % zones) + 1;
}

function lbComponents(c: NamesCluster): Component[] {
  return c.loadBalancer.vip === 'keepalived' ? ['haproxy', 'keepalived'] : ['haproxy'];
}

/** The machines that run the apiserver load balancers: lb-1… (dedicated) or master-1… (placement: masters). */
export function lbMachines(c: Pick<NamesCluster, 'loadBalancer'>): string[] {
  const prefix = c.loadBalancer.placement === 'masters' ? 'master' : 'lb';
  return Array.from({ length: c.loadBalancer.count }, (_, j) => `${prefix}-${j + 1}`);
}

/** Components of machine i of a role: with placement: masters, master-i (i ≤ count) also runs the LB. */
function componentsAt(role: NumberedRole, i: number, c: NamesCluster): Component[] {
  const base = componentsOf(role, c);
  const lbHere = role === 'master' && c.loadBalancer.placement === 'masters' && i <= c.loadBalancer.count;
  return lbHere ? [...base, ...lbComponents(c)] : [...base];
}

/** Every machine of the cluster: masters, etcd, lbs, etcd-lbs, workers, then client. */
export function machinesOf(c: NamesCluster): MachineInfo[] {
  const out: MachineInfo[] = [];
  for (const role of NUMBERED_ROLES) {
    for (let i = 1; i <= roleCount(role, c); i++) {
      out.push({ name: `${role}-${i}`, role, zone: zoneOf(i, c.zones), components: componentsAt(role, i, c) });
    }
  }
  out.push({ name: 'client', role: 'client', zone: null, components: [] });
  return out;
}

/** The machine named `name`, or null when the cluster has no such machine. */
export function machineByName(name: string, c: NamesCluster): MachineInfo | null {
  if (name === 'client') return { name, role: 'client', zone: null, components: [] };
  const match = /^(master|etcd-lb|etcd|lb|worker)-([1-9]\d*)$/.exec(name);
  if (!match) return null;
  const role = match[1] as NumberedRole;
  const i = Number(match[2]);
  if (i > roleCount(role, c)) return null;
  return { name, role, zone: zoneOf(i, c.zones), components: componentsAt(role, i, c) };
}

/** The machine that runs etcd member i (1-based): master-i when stacked, etcd-i when external. */
export function etcdMemberMachine(c: Pick<NamesCluster, 'topology'>, i: number): string {
  return c.topology === 'stacked' ? `master-${i}` : `etcd-${i}`;
}

/** The process of etcd member i: "master-i/etcd" (stacked) or "etcd-i/etcd" (external). */
export function etcdMemberProcess(c: Pick<NamesCluster, 'topology'>, i: number): string {
  return `${etcdMemberMachine(c, i)}/etcd`;
}

/** Names of the machines in zone `zone` (1-based). */
export function machinesInZone(c: NamesCluster, zone: number): string[] {
  return machinesOf(c)
    .filter((m) => m.zone === zone)
    .map((m) => m.name);
}

/** What a target string names. `etcd-i` is always the etcd member (the process), in both topologies. */
export type TargetRef =
  | { kind: 'machine'; machine: string }
  | { kind: 'process'; machine: string; component: Component }
  | { kind: 'etcd-member'; index: number; machine: string }
  | { kind: 'zone'; zone: number }
  | { kind: 'role'; selector: string };

/** Resolve a target against the cluster; null when it names nothing there. Roles are resolved when a fault fires. */
export function parseTarget(target: string, c: NamesCluster): TargetRef | null {
  if (ROLE_SELECTORS.includes(target)) return { kind: 'role', selector: target };
  const zone = /^zone-([1-9]\d*)$/.exec(target);
  if (zone) return Number(zone[1]) <= c.zones ? { kind: 'zone', zone: Number(zone[1]) } : null;
  const member = /^etcd-([1-9]\d*)$/.exec(target);
  if (member && Number(member[1]) <= c.etcdMembers) {
    const index = Number(member[1]);
    return { kind: 'etcd-member', index, machine: etcdMemberMachine(c, index) };
  }
  const slash = target.indexOf('/');
  if (slash >= 0) {
    const machine = machineByName(target.slice(0, slash), c);
    const component = target.slice(slash + 1) as Component;
    return machine && machine.components.includes(component) ? { kind: 'process', machine: machine.name, component } : null;
  }
  const machine = machineByName(target, c);
  return machine ? { kind: 'machine', machine: machine.name } : null;
}

/** The machines a target stands for when that is known before the run (not for role selectors). */
export function machinesOfTarget(ref: TargetRef, c: NamesCluster): string[] | null {
  switch (ref.kind) {
    case 'machine':
    case 'process':
    case 'etcd-member':
      return [ref.machine];
    case 'zone':
      return machinesInZone(c, ref.zone);
    case 'role':
      return null;
  }
}

export type TargetKind = 'process-or-machine' | 'process-machine-or-zone' | 'machine' | 'machine-or-zone';

/** Null when `target` is valid for a fault that takes a `kind` target, else a user-facing message. */
export function checkTarget(target: string, c: NamesCluster, kind: TargetKind): string | null {
  const ref = parseTarget(target, c);
  if (ref === null) return unknownTarget(target, c, kind);
  const zonesOk = kind === 'machine-or-zone' || kind === 'process-machine-or-zone';
  const processesOk = kind === 'process-or-machine' || kind === 'process-machine-or-zone';
  if (ref.kind === 'zone' && !zonesOk) return `"${target}" names a zone; expected ${expectedWhat(kind)}`;
  if (ref.kind === 'process' && !processesOk) {
    return `"${target}" is a process; expected ${expectedWhat(kind)} (for instance ${ref.machine})`;
  }
  if (ref.kind === 'role') return checkRole(ref.selector, c);
  return null;
}

function expectedWhat(kind: TargetKind): string {
  return {
    'process-or-machine': 'a process or a machine',
    'process-machine-or-zone': 'a process, a machine or a zone',
    machine: 'a machine',
    'machine-or-zone': 'a machine or a zone',
  }[kind];
}

function checkRole(selector: string, c: NamesCluster): string | null {
  if (selector === 'vip:holder' && c.loadBalancer.vip !== 'keepalived') {
    return 'vip:holder needs a VIP (cluster.loadBalancer.vip: keepalived)';
  }
  if (selector === 'etcd:follower' && c.etcdMembers < 2) return 'etcd:follower needs at least two etcd members';
  const killed = /^(.*):killed$/.exec(selector);
  if (killed && !machinesOf(c).some((m) => (m.components as string[]).includes(killed[1]!))) {
    return `${selector}: no machine of this cluster runs ${killed[1]}`;
  }
  return null;
}

/** "master-1..3", "lb-1" — a compact range of numbered names. */
function range(prefix: string, n: number): string {
  return n === 1 ? `${prefix}-1` : `${prefix}-1..${n}`;
}

/** The catalogue of valid names, for error messages. */
export function describeNames(c: NamesCluster, kind: TargetKind): string {
  const machines = NUMBERED_ROLES.filter((r) => roleCount(r, c) > 0).map((r) => range(r, roleCount(r, c)));
  const parts = [`machines: ${[...machines, 'client'].join(', ')}`];
  if (c.topology === 'stacked') parts.push(`etcd members: ${range('etcd', c.etcdMembers)}`);
  if (kind === 'process-or-machine' || kind === 'process-machine-or-zone') parts.push('processes like master-1/kube-apiserver');
  if (kind === 'machine-or-zone' || kind === 'process-machine-or-zone') parts.push(`zones: ${range('zone', c.zones)}`);
  parts.push(`roles: ${ROLE_SELECTORS.slice(0, 5).join(', ')}, <component>:killed`);
  return parts.join('; ');
}

function unknownTarget(target: string, c: NamesCluster, kind: TargetKind): string {
  const slash = target.indexOf('/');
  const machine = slash >= 0 ? machineByName(target.slice(0, slash), c) : null;
  if (machine) {
    if (machine.components.length === 0) return `unknown target "${target}" (${machine.name} runs no processes)`;
    const hint = closest(target.slice(slash + 1), machine.components);
    const mean = hint ? `; did you mean ${machine.name}/${hint}?` : '';
    return `unknown target "${target}" (${machine.name} runs ${machine.components.join(', ')}${mean})`;
  }
  const candidates = [...ROLE_SELECTORS, ...machinesOf(c).map((m) => m.name)];
  for (let i = 1; i <= c.etcdMembers; i++) candidates.push(`etcd-${i}`);
  for (let z = 1; z <= c.zones; z++) candidates.push(`zone-${z}`);
  // A well-formed name that is out of range ("master-7") gets the catalogue, not a guess.
  const numbered = /^(master|etcd-lb|etcd|lb|worker|zone)-\d+$/.test(target);
  const hint = slash >= 0 || numbered ? undefined : closest(target, candidates);
  const mean = hint && hint !== target ? `; did you mean ${hint}?` : '';
  return `unknown target "${target}" (${describeNames(c, kind)}${mean})`;
}
