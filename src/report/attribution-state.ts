// What is broken right now, read from observations only, and which fault and mechanism that makes the cause of an outage.
import { LEASE_GROUPS, type FaultDetail, type Observation } from '../kernel/observations.ts';
import type { Group, LeaderTracker } from './leaders.ts';

/** Why something was unavailable: the fault(s) behind it and the mechanism that turned them into downtime. */
export interface Label {
  cause: string;
  mechanism: string;
}

/** Mechanism names (also the keys `compare` aggregates by). */
export const MECHANISMS = {
  quorumLost: 'etcd quorum lost',
  etcdElection: 'etcd leader election',
  vipMove: 'VIP move / no live LB holds the VIP',
  lbDown: 'every load balancer down',
  noApiserver: 'no apiserver running',
  lbDeadBackend: 'LB routes to a dead apiserver until marked DOWN',
  crashLoop: 'crash-loop back-off',
  etcdClientWait: "apiserver's etcd client waits on a dead member",
  isolation: 'network isolation',
  partition: 'network partition or cut',
  diskStall: 'etcd disk stall (slow fsync)',
  leaseTakeover: 'lease takeover wait',
  noMember: 'no member of the group running',
  apiDown: 'lease holder cannot reach the API',
  evictionWait: 'node down: eviction wait',
  controlPlaneDown: 'no scheduler/controller-manager leader',
  podStart: 'pods being recreated and started',
  other: 'other (settling after a fault)',
  startUp: 'start-up (before any fault)',
} as const;

const machineOf = (id: string): string => id.slice(0, id.indexOf('/') >= 0 ? id.indexOf('/') : id.length);

/** "fault: kill master-1" → "kill master-1"; "random kill (MTBF)" on master-3 → "random kill master-3". */
export function causeText(cause: string, machine: string): string {
  if (cause.startsWith('fault: ')) return cause.slice('fault: '.length);
  if (cause.startsWith('random ')) return `${cause.replace(/ \(MTBF\)$/, '')} ${machine}`;
  return `${machine}: ${cause}`;
}

interface Dead {
  cause: string;
  backoff: boolean;
}

/** The broken things of the cluster as the trace shows them, and the classification of outages. */
export class BrokenState {
  /** Processes not serving (down, stopping, paused, in back-off) and why. */
  private readonly dead = new Map<string, Dead>();
  private readonly isolated = new Map<string, string>();
  /** Machines whose disk a fault slowed, and the fault. */
  private readonly stalled = new Map<string, string>();
  private partitioned = '';
  private readonly etcdMembers = new Set<string>();
  private readonly apiservers = new Set<string>();
  private readonly lbs = new Set<string>();
  private readonly members = new Map<Group, Set<string>>();
  private readonly lastLeader = new Map<Group, string>();
  /** haproxy → backends it routes to (UP). */
  private readonly backendsUp = new Map<string, Set<string>>();
  private vipHolder: string | null = null;
  private vipUsed = false;
  private lastFault = '';
  /** Bumped by every observation that changes this state; podLabel's scan of the dead kubelets is kept until it moves. */
  private version = 0;
  private downCause: { version: number; cause: string | null } = { version: -1, cause: null };

  constructor(private readonly trackers: ReadonlyMap<Group, LeaderTracker>) {}

  observe(o: Observation): void {
    if (o.kind !== 'pod' && o.kind !== 'node') this.version++;
    switch (o.kind) {
      case 'process':
        this.noteProcess(o.subject);
        if (o.detail['state'] === 'up') this.dead.delete(o.subject);
        // already stopping or down: keep why it went (a stop's exit reason, a back-off, say nothing of the cause)
        else if (this.dead.has(o.subject)) this.dead.get(o.subject)!.backoff ||= o.detail['state'] === 'backoff';
        else this.dead.set(o.subject, { cause: causeText(String(o.detail['cause'] ?? o.detail['state']), machineOf(o.subject)), backoff: o.detail['state'] === 'backoff' });
        break;
      case 'etcd':
        this.etcdMembers.add(o.subject);
        break;
      case 'leader': {
        const group = o.detail.group;
        if (o.detail['leading'] === true) this.lastLeader.set(group, o.subject);
        break;
      }
      case 'lb-backend': {
        const set = this.backendsUp.get(o.subject) ?? new Set<string>();
        this.backendsUp.set(o.subject, set);
        if (o.detail['state'] === 'UP') set.add(String(o.detail['backend']));
        else set.delete(String(o.detail['backend']));
        break;
      }
      case 'address':
        if (o.subject === 'vip') {
          this.vipUsed = true;
          this.vipHolder = o.detail['holder'] === null || o.detail['holder'] === undefined ? null : String(o.detail['holder']);
        }
        break;
      case 'vip':
        this.vipUsed = true;
        // a keepalived leaving MASTER drops the VIP only if it held it (a preempted peer leaves after the new holder took it)
        if (o.detail['holder'] === null && this.vipHolder !== null && machineOf(this.vipHolder) === machineOf(o.subject)) this.vipHolder = null;
        break;
      case 'network': {
        this.isolated.clear();
        for (const m of o.detail.isolated) this.isolated.set(m, `isolate ${m}`);
        const cuts = o.detail.cuts;
        this.partitioned = o.detail['partition'] ? 'partition' : cuts.length > 0 ? `cut ${cuts.join(', ')}` : '';
        break;
      }
      case 'fault':
        if (o.detail['verb'] === 'disk') this.noteDisk(o.subject, o.detail);
        // the last disruptive fault: what later settling is blamed on (starts, resumes and heals disrupt nothing)
        if (o.detail['phase'] === 'begin' && !['random', 'start', 'resume', 'heal'].includes(String(o.detail['verb']))) {
          this.lastFault = o.detail['random'] === true ? `random ${String(o.detail['kind'] ?? o.detail['verb'])} ${o.subject}` : o.subject;
        }
        break;
    }
  }

  /** A disk fault began or ended: random ones name the machine, scripted ones are labelled `disk <target>`. */
  private noteDisk(subject: string, d: FaultDetail): void {
    const machine = subject.startsWith('disk ') ? subject.slice('disk '.length) : subject;
    if (d.phase === 'begin') this.stalled.set(machineOf(machine), d.random === true ? `random disk-stall ${machine}` : subject);
    else this.stalled.delete(machineOf(machine));
  }

  private noteProcess(id: string): void {
    // every running instance is a member of its group, leader or not (only leaders emit `leader`)
    for (const g of LEASE_GROUPS) {
      if (id.endsWith(`/${g}`)) this.members.set(g, (this.members.get(g) ?? new Set<string>()).add(id));
    }
    if (id.endsWith('/kube-apiserver')) this.apiservers.add(id);
    else if (/^lb-\d+\/haproxy$/.test(id)) this.lbs.add(id);
  }

  /** Not serving: dead, paused or on an isolated machine; the reason, or null when it serves. */
  private why(id: string): string | null {
    const d = this.dead.get(id);
    if (d) return d.cause;
    return this.isolated.get(machineOf(id)) ?? null;
  }

  private causes(ids: Iterable<string>): string {
    const out = new Set<string>();
    for (const id of ids) {
      const w = this.why(id);
      if (w !== null) out.add(w);
    }
    return [...out].sort().join(' + ') || this.lastFault || 'no fault';
  }

  private deadOf(ids: Iterable<string>): string[] {
    return [...ids].filter((id) => this.why(id) !== null);
  }

  /** Why etcd has no leader: a majority of its members is not serving, or an election is under way. */
  etcdLabel(): Label {
    const dead = this.deadOf(this.etcdMembers);
    if (dead.length > this.etcdMembers.size / 2) return { cause: this.causes(dead), mechanism: MECHANISMS.quorumLost };
    const last = this.lastLeader.get('etcd');
    return { cause: this.causes(dead.length > 0 ? dead : last ? [last] : []), mechanism: MECHANISMS.etcdElection };
  }

  /** Why an API request sent now fails, in order of precedence (the first broken layer on its path from the bottom). */
  /** etcd cannot commit: no leader, or a leader that still believes it leads without a live majority. */
  private etcdDown(): boolean {
    return !this.trackers.get('etcd')!.led || this.deadOf(this.etcdMembers).length > this.etcdMembers.size / 2;
  }

  apiLabel(): Label {
    if (this.lastFault === '') return { cause: 'no fault', mechanism: MECHANISMS.startUp };
    if (this.etcdDown()) return this.etcdLabel();
    const lbs = [...this.lbs];
    if (lbs.length > 0 && this.deadOf(lbs).length === lbs.length) return { cause: this.causes(lbs), mechanism: MECHANISMS.lbDown };
    if (this.vipUsed && (this.vipHolder === null || this.why(this.vipHolder) !== null)) {
      const dead = this.deadOf(lbs);
      return { cause: this.causes(this.vipHolder && dead.length === 0 ? [this.vipHolder] : dead), mechanism: MECHANISMS.vipMove };
    }
    const deadApis = this.deadOf(this.apiservers);
    if (deadApis.length === this.apiservers.size && deadApis.length > 0) return { cause: this.causes(deadApis), mechanism: MECHANISMS.noApiserver };
    const front = this.vipUsed && this.vipHolder !== null ? [this.vipHolder] : lbs;
    const routed = deadApis.filter((a) => front.some((lb) => this.backendsUp.get(lb)?.has(a)));
    if (routed.length > 0) {
      const loop = routed.every((a) => this.dead.get(a)?.backoff === true);
      return { cause: this.causes(routed), mechanism: loop ? MECHANISMS.crashLoop : MECHANISMS.lbDeadBackend };
    }
    const deadEtcd = this.deadOf(this.etcdMembers);
    if (deadEtcd.length > 0) return { cause: this.causes(deadEtcd), mechanism: MECHANISMS.etcdClientWait };
    if (this.isolated.size > 0) return { cause: [...this.isolated.values()].sort().join(' + '), mechanism: MECHANISMS.isolation };
    if (this.partitioned !== '') return { cause: this.partitioned, mechanism: MECHANISMS.partition };
    const stalledEtcd = [...this.etcdMembers].filter((id) => this.stalled.has(machineOf(id)));
    if (stalledEtcd.length > 0) return { cause: [...new Set(stalledEtcd.map((id) => this.stalled.get(machineOf(id))!))].sort().join(' + '), mechanism: MECHANISMS.diskStall };
    return { cause: this.lastFault, mechanism: MECHANISMS.other };
  }

  /** Why a leader-elected component group has no leader. */
  groupLabel(group: Group): Label {
    if (this.lastFault === '') return { cause: 'no fault', mechanism: MECHANISMS.startUp };
    if (group === 'etcd') return this.etcdLabel();
    // etcd first: members that lost their lease to a quorum loss exit and restart, which is not their own fault
    if (this.etcdDown()) return this.etcdLabel();
    const members = this.members.get(group) ?? new Set<string>();
    const dead = this.deadOf(members);
    if (members.size > 0 && dead.length === members.size) {
      const loop = dead.every((m) => this.dead.get(m)?.backoff === true);
      return { cause: this.causes(dead), mechanism: loop ? MECHANISMS.crashLoop : MECHANISMS.noMember };
    }
    const api = this.apiLabel();
    if (api.mechanism === MECHANISMS.vipMove || api.mechanism === MECHANISMS.lbDown || api.mechanism === MECHANISMS.noApiserver) {
      return { cause: api.cause, mechanism: MECHANISMS.apiDown };
    }
    const last = this.lastLeader.get(group);
    const lastWhy = last === undefined ? null : this.why(last);
    return { cause: lastWhy ?? (dead.length > 0 ? this.causes(dead) : this.lastFault || 'no fault'), mechanism: MECHANISMS.leaseTakeover };
  }

  /**
   * Why kubelets are down or cut off (null: none is). Every pod observation asks, and a zone outage leaves
   * 1,666 kubelets dead for an hour: the answer is kept until an observation other than a pod's or a node's.
   */
  private kubeletsDownCause(): string | null {
    if (this.downCause.version === this.version) return this.downCause.cause;
    const deadKubelets = [...this.dead.keys()].filter((id) => /^worker-\d+\/kubelet$/.test(id));
    const isolatedWorkers = [...this.isolated.keys()].filter((m) => m.startsWith('worker-')).map((m) => `${m}/kubelet`);
    const down = [...deadKubelets, ...isolatedWorkers];
    this.downCause = { version: this.version, cause: down.length > 0 ? this.causes(down) : null };
    return this.downCause.cause;
  }

  /** Why desired pods are not running: a node is down (its pods wait for eviction), no controller leads, or they start. */
  podLabel(): Label {
    if (this.lastFault === '') return { cause: 'no fault', mechanism: MECHANISMS.startUp };
    const down = this.kubeletsDownCause();
    if (down !== null) return { cause: down, mechanism: MECHANISMS.evictionWait };
    for (const g of ['kube-controller-manager', 'kube-scheduler'] as const) {
      const t = this.trackers.get(g)!;
      if (t.everLed && !t.led) return { cause: this.groupLabel(g).cause, mechanism: MECHANISMS.controlPlaneDown };
    }
    return { cause: this.lastFault || 'no fault', mechanism: MECHANISMS.podStart };
  }
}
