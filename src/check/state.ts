// The run's state as temporal expectations see it: folded from observations in time order.
import type { Observation } from '../kernel/trace.ts';
import { GROUPS, LeaderTracker, type Group } from '../report/leaders.ts';

/** Observation kinds that change a state variable (others are skipped quickly). */
export const STATE_KINDS: ReadonlySet<string> = new Set(['leader', 'process', 'etcd', 'probe', 'lb-backend', 'node']);

/** The load balancer `lb.backendsUp` reads (the first one; every client goes through it without a VIP). */
const LB = 'lb-1/haproxy';

export class CheckState {
  /** Same rules as the report: a member leads while it believes it leads and runs (not paused, not down). */
  private readonly trackers = new Map<Group, LeaderTracker>(GROUPS.map((g) => [g, new LeaderTracker(g)]));
  private readonly memberGroup = new Map<string, Group>();
  private readonly termLeaders = new Map<number, Set<string>>();
  private maxLeadersInTerm = 0;
  /** 1/0 by the latest probe of each op; null before the first one. */
  private readonly probeOk: { read: number | null; write: number | null } = { read: null, write: null };
  private readonly backends = new Map<string, boolean>();
  private readonly notReady = new Set<string>();

  observe(o: Observation): void {
    if (!STATE_KINDS.has(o.kind)) return;
    const d = o.detail;
    switch (o.kind) {
      case 'leader': {
        const group = d['group'] as Group;
        const tracker = this.trackers.get(group);
        if (!tracker) return;
        this.memberGroup.set(o.subject, group);
        tracker.belief(o.at, o.subject, d['leading'] === true, String(d['cause'] ?? ''));
        if (group === 'etcd' && d['leading'] === true && typeof d['term'] === 'number') this.termLeader(d['term'], o.subject);
        return;
      }
      case 'etcd':
        if (d['role'] === 'leader' && typeof d['term'] === 'number') this.termLeader(d['term'], o.subject);
        return;
      case 'process': {
        const group = this.memberGroup.get(o.subject);
        if (group) this.trackers.get(group)!.lifecycle(o.at, o.subject, String(d['state']), String(d['cause'] ?? ''));
        return;
      }
      case 'probe':
        this.probeOk[d['op'] === 'write' ? 'write' : 'read'] = d['ok'] === true ? 1 : 0;
        return;
      case 'lb-backend':
        if (o.subject === LB) this.backends.set(String(d['backend']), d['state'] === 'UP');
        return;
      case 'node':
        if (typeof d['ready'] === 'boolean') {
          if (d['ready']) this.notReady.delete(String(d['node']));
          else this.notReady.add(String(d['node']));
        }
        return;
    }
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
    const m = /^leaders\.(.+)\.(count|led)$/.exec(variable);
    const tracker = m ? this.trackers.get(m[1] as Group) : undefined;
    if (!m || !tracker) return undefined;
    return m[2] === 'count' ? tracker.leading.size : tracker.led ? 1 : 0;
  }
}
