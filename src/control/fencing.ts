// The fencing checker: leader actions that landed (in etcd revision order) after another member had acquired the lease.
import type { StaleActionDetail } from '../kernel/observations.ts';
import type { Sim } from '../kernel/sim.ts';
import type { LeaderGroup } from './api.ts';

/** Commits looked back over to find the Lease holder at an action's revision. */
const LOOK_BACK = 64;

interface Commit {
  revision: number;
  kind: 'lease' | 'action';
  identity: string;
}

/** Fold a group's commits when it holds more than FOLD_AT, keeping the FOLD_KEEP latest. */
const FOLD_AT = 100_000;
const FOLD_KEEP = 50_000;

interface Folded {
  /** Holder after the folded commits, stale actions among them, and the last folded revision. */
  holder: string;
  stale: number;
  revision: number;
}

function judge(state: Folded, c: Commit): void {
  if (c.kind === 'lease') state.holder = c.identity;
  else if (state.holder !== '' && c.identity !== state.holder) state.stale++;
}

export class FencingChecker {
  private readonly commits = new Map<LeaderGroup, Commit[]>();
  private readonly folded = new Map<LeaderGroup, Folded>();

  constructor(sim: Sim) {
    sim.onCheck('lease-commit', (_p, fact) => {
      const f = fact as { group: LeaderGroup; holder: string; revision: number };
      this.add(f.group, { revision: f.revision, kind: 'lease', identity: f.holder });
    });
    sim.onCheck('action-commit', (p, fact) => {
      const f = fact as { group: LeaderGroup; identity: string; revision: number };
      this.add(f.group, { revision: f.revision, kind: 'action', identity: f.identity });
      // For the UI's timeline mark: judged against the Lease commits seen so far (the end-of-run count re-sorts by revision).
      const holder = this.holderBefore(f.group, f.revision);
      if (holder !== '' && holder !== f.identity) {
        const detail: StaleActionDetail = { group: f.group, identity: f.identity, leaseHolder: holder, revision: f.revision };
        sim.observe('stale-action', p, detail);
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

  private add(group: LeaderGroup, c: Commit): void {
    const list = this.list(group);
    const done = this.folded.get(group);
    // A commit reported after FOLD_KEEP later ones were folded: judged by the holder where folding stopped.
    if (done && c.revision <= done.revision) {
      if (c.kind === 'action' && done.holder !== '' && c.identity !== done.holder) done.stale++;
      return;
    }
    list.push(c);
    if (list.length > FOLD_AT) this.fold(group, list);
  }

  /**
   * A long run's commits (a Lease renewal every retryPeriod, controller writes) would grow without bound: all but
   * the FOLD_KEEP latest, in revision order, are judged and replaced by a count and the holder they leave. Commits
   * are reported when the apiserver hears of them, a few milliseconds out of revision order, far inside FOLD_KEEP.
   */
  private fold(group: LeaderGroup, list: Commit[]): void {
    list.sort((a, b) => a.revision - b.revision);
    const done = this.folded.get(group) ?? { holder: '', stale: 0, revision: 0 };
    const cut = list.length - FOLD_KEEP;
    for (let i = 0; i < cut; i++) judge(done, list[i]!);
    done.revision = list[cut - 1]!.revision;
    this.folded.set(group, done);
    this.commits.set(group, list.slice(cut));
  }

  /** Count, per group, actions committed while the Lease named someone else (Kubernetes leases do not fence). */
  staleActions(group: LeaderGroup): number {
    const list = [...(this.commits.get(group) ?? [])].sort((a, b) => a.revision - b.revision);
    const done = { holder: '', stale: 0, revision: 0, ...this.folded.get(group) };
    for (const c of list) judge(done, c);
    return done.stale;
  }
}
