// The fencing checker: leader actions that landed (in etcd revision order) after another member had acquired the lease.
import type { Sim } from '../kernel/sim.ts';
import type { LeaderGroup } from './api.ts';

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
    sim.onCheck('action-commit', (_p, fact) => {
      const f = fact as { group: LeaderGroup; identity: string; revision: number };
      this.list(f.group).push({ revision: f.revision, kind: 'action', identity: f.identity });
    });
  }

  private list(group: LeaderGroup): Commit[] {
    let l = this.commits.get(group);
    if (!l) this.commits.set(group, (l = []));
    return l;
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
