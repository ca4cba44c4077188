// The run's state as temporal expectations see it: folded from observations in time order.
import type { Observation } from '../kernel/trace.ts';
import { GROUPS, LeaderTracker, type Group } from '../report/leaders.ts';
import { LB_VARIABLE } from '../scenario/condition.ts';

/** Observation kinds that change a state variable (others are skipped quickly). */
export const STATE_KINDS: ReadonlySet<string> = new Set(['leader', 'process', 'etcd', 'probe', 'lb-backend', 'node']);


export class CheckState {
  /** Same rules as the report: a member leads while it believes it leads and runs (not paused, not down). */
  private readonly trackers = new Map<Group, LeaderTracker>(GROUPS.map((g) => [g, new LeaderTracker(g)]));
  private readonly memberGroup = new Map<string, Group>();
  private readonly termLeaders = new Map<number, Set<string>>();
  private maxLeadersInTerm = 0;
  /** 1/0 by the latest probe of each op; null before the first one. */
  private readonly probeOk: { read: number | null; write: number | null } = { read: null, write: null };
  private readonly backends = new Map<string, boolean>();
  private firstLb: string | null = null;
  /** Every LB's view: `lb-2` → `master-3` → UP. */
  private readonly lbs = new Map<string, Map<string, boolean>>();
  private readonly notReady = new Set<string>();

  observe(o: Observation): void {
    if (!STATE_KINDS.has(o.kind)) return;
    switch (o.kind) {
      case 'leader': {
        const group = o.detail.group;
        const tracker = this.trackers.get(group);
        if (!tracker) return;
        this.memberGroup.set(o.subject, group);
        tracker.belief(o.at, o.subject, o.detail['leading'] === true, String(o.detail['cause'] ?? ''));
        if (group === 'etcd' && o.detail['leading'] === true && typeof o.detail['term'] === 'number') this.termLeader(o.detail['term'], o.subject);
        return;
      }
      case 'etcd':
        if (o.detail['role'] === 'leader' && typeof o.detail['term'] === 'number') this.termLeader(o.detail['term'], o.subject);
        return;
      case 'process': {
        const group = this.memberGroup.get(o.subject);
        if (group) this.trackers.get(group)!.lifecycle(o.at, o.subject, String(o.detail['state']), String(o.detail['cause'] ?? ''));
        return;
      }
      case 'probe':
        this.probeOk[o.detail['op'] === 'write' ? 'write' : 'read'] = o.detail['ok'] === true ? 1 : 0;
        return;
      case 'lb-backend': {
        // lb.backendsUp reads the first apiserver LB (lb-1, or master-1 with placement: masters), the one every
        // client goes through without a VIP.
        if (!o.subject.startsWith('etcd-lb')) this.firstLb ??= o.subject;
        if (o.subject === this.firstLb) this.backends.set(String(o.detail['backend']), o.detail['state'] === 'UP');
        const lb = o.subject.split('/')[0]!;
        let view = this.lbs.get(lb);
        if (!view) this.lbs.set(lb, (view = new Map()));
        view.set(String(o.detail['backend']).split('/')[0]!, o.detail['state'] === 'UP');
        return;
      }
      case 'node':
        if (typeof o.detail['ready'] === 'boolean') {
          if (o.detail['ready']) this.notReady.delete(String(o.detail['node']));
          else this.notReady.add(String(o.detail['node']));
        }
        return;
    }
  }

  /** `lb.<lb|any|all>.<machine>.up`: null while no LB has reported that backend. */
  private lbValue(lb: string, machine: string): number | null {
    if (lb !== 'any' && lb !== 'all') {
      const up = this.lbs.get(lb)?.get(machine);
      return up === undefined ? null : up ? 1 : 0;
    }
    const states = [...this.lbs.entries()].filter(([name]) => !name.startsWith('etcd-lb')).map(([, v]) => v.get(machine)).filter((x) => x !== undefined);
    if (states.length === 0) return null;
    return (lb === 'any' ? states.some((x) => x) : states.every((x) => x)) ? 1 : 0;
  }

  private termLeader(term: number, member: string): void {
    let set = this.termLeaders.get(term);
    if (!set) this.termLeaders.set(term, (set = new Set()));
    set.add(member);
    this.maxLeadersInTerm = Math.max(this.maxLeadersInTerm, set.size);
  }

  /** The value of a state variable (see STATE_VARIABLES): null while unknown, undefined if the name is not one. */
  value(variable: string): number | null | undefined {
    switch (variable) {
      case 'leaders.all.led':
        for (const t of this.trackers.values()) if (t.everLed && !t.led) return 0;
        return 1;
      case 'etcd.leadersInTerm':
        return this.maxLeadersInTerm;
      case 'api.write.ok':
        return this.probeOk.write;
      case 'api.read.ok':
        return this.probeOk.read;
      case 'lb.backendsUp': {
        let up = 0;
        for (const ok of this.backends.values()) if (ok) up++;
        return up;
      }
      case 'nodes.notReady':
        return this.notReady.size;
    }
    const lb = LB_VARIABLE.exec(variable);
    if (lb) return this.lbValue(lb[1]!, lb[2]!);
    const m = /^leaders\.(.+)\.(count|led)$/.exec(variable);
    const tracker = m ? this.trackers.get(m[1] as Group) : undefined;
    if (!m || !tracker) return undefined;
    return m[2] === 'count' ? tracker.leading.size : tracker.led ? 1 : 0;
  }
}
