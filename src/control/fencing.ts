// The fencing checker: leader actions that landed (in etcd revision order) after another member had acquired the lease.
import type { Sim } from '../kernel/sim.ts';
import type { LeaderGroup } from './api.ts';

/** A leader action committed while the Lease named someone else (observation kind `stale-action`, subject the apiserver). */
export interface StaleActionDetail {
  group: LeaderGroup;
  /** client-go identity of the stale actor. */
  identity: string;
  /** Identity the Lease named at the action's revision. */
  leaseHolder: string;
  revision: number;
}

/** Commits looked back over to find the Lease holder at an action's revision. */
const LOOK_BACK = 64;

interface Commit {
  revision: number;
  kind: 'lease' | 'action';
  identity: string;
}

export class FencingChecker {
  private readonly commits = new Map<LeaderGroup, Commit[]>();

  constructor(sim: Sim) {
    sim.onCheck('lease-commit', (_p, fact) => {
      const f = fact as { group: LeaderGroup; holder: string; revision: number };
      this.list(f.group).push({ revision: f.revision, kind: 'lease', identity: f.holder });
    });
    sim.onCheck('action-commit', (p, fact) => {
      const f = fact as { group: LeaderGroup; identity: string; revision: number };
      this.list(f.group).push({ revision: f.revision, kind: 'action', identity: f.identity });
      // For the UI's timeline mark: judged against the Lease commits seen so far (the end-of-run count re-sorts by revision).
      const holder = this.holderBefore(f.group, f.revision);
      if (holder !== '' && holder !== f.identity) {
        const detail: StaleActionDetail = { group: f.group, identity: f.identity, leaseHolder: holder, revision: f.revision };
        sim.observe('stale-action', p, detail as unknown as Record<string, unknown>);
      }
    });
  }

  private list(group: LeaderGroup): Commit[] {
    let l = this.commits.get(group);
    if (!l) this.commits.set(group, (l = []));
    return l;
  }

  /**
   * The Lease holder at `revision`, from the Lease commits seen so far. Commits arrive nearly in
   * revision order, so the newest few decide; looking back a bounded distance keeps long runs linear.
   */
  private holderBefore(group: LeaderGroup, revision: number): string {
    const list = this.commits.get(group) ?? [];
    let best = -1;
    let holder = '';
    for (let i = list.length - 1; i >= 0 && i >= list.length - LOOK_BACK; i--) {
      const c = list[i]!;
      if (c.kind === 'lease' && c.revision < revision && c.revision > best) {
        best = c.revision;
        holder = c.identity;
      }
    }
    return holder;
  }

  /** Count, per group, actions committed while the Lease named someone else (Kubernetes leases do not fence). */
  staleActions(group: LeaderGroup): number {
    const list = [...(this.commits.get(group) ?? [])].sort((a, b) => a.revision - b.revision);
    let holder = '';
    let stale = 0;
    for (const c of list) {
      if (c.kind === 'lease') holder = c.identity;
      else if (holder !== '' && c.identity !== holder) stale++;
    }
    return stale;
  }
}
