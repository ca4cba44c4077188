// Raft safety checked from outside the members: election safety, state-machine safety, leader completeness, log matching.
import type { Sim } from '../kernel/sim.ts';
import type { Observation } from '../kernel/trace.ts';
import type { Entry, RaftDurable } from '../raft/index.ts';
import type { EntryData } from './member.ts';

interface Applied {
  term: number;
  id: string | null;
}

/** Past this many remembered applied entries, forget those every member has applied. */
const PRUNE_AT = 200_000;

export class EtcdSafety {
  private readonly leaderOfTerm = new Map<number, string>();
  private readonly applied = new Map<number, Applied>();
  private readonly lastApplied = new Map<number, number>();
  private maxApplied = 0;
  private violations = 0;

  constructor(private readonly sim: Sim, private readonly members: string[]) {
    sim.onCheck('etcd-apply', (process, fact) => this.onApply(process, fact as { member: number; index: number; term: number; id: string | null }));
    sim.trace.listen((o) => this.onObservation(o));
  }

  private violate(rule: string, subject: string, message: string): void {
    // Report the first few of each run; a broken model would otherwise flood the trace.
    if (++this.violations > 20) return;
    this.sim.observe('invariant', subject, { rule, message });
  }

  private onObservation(o: Observation): void {
    if (o.kind !== 'leader' || o.detail['group'] !== 'etcd' || o.detail['leading'] !== true) return;
    const term = o.detail.term ?? 0;
    const other = this.leaderOfTerm.get(term);
    if (other !== undefined && other !== o.subject) {
      this.violate('election-safety', o.subject, `two raft leaders in term ${term}: ${other} and ${o.subject}`);
    }
    this.leaderOfTerm.set(term, o.subject);
    this.checkCompleteness(o.subject);
  }

  /** Every member applies the same entry at the same index (state-machine safety). */
  private onApply(process: string, fact: { member: number; index: number; term: number; id: string | null }): void {
    const seen = this.applied.get(fact.index);
    if (seen === undefined) {
      this.applied.set(fact.index, { term: fact.term, id: fact.id });
    } else if (seen.term !== fact.term || seen.id !== fact.id) {
      this.violate('state-machine-safety', process,
        `applied entry ${fact.index} as (term ${fact.term}, ${fact.id}) but another member applied (term ${seen.term}, ${seen.id})`);
    }
    this.lastApplied.set(fact.member, fact.index);
    this.maxApplied = Math.max(this.maxApplied, fact.index);
    if (this.applied.size > PRUNE_AT) this.prune();
  }

  private prune(): void {
    let floor = Math.min(...this.lastApplied.values());
    if (this.applied.size - (this.maxApplied - floor) < PRUNE_AT / 2) floor = this.maxApplied - PRUNE_AT / 2;
    for (const index of this.applied.keys()) if (index < floor) this.applied.delete(index);
  }

  private durable(process: string): RaftDurable | undefined {
    return this.sim.process(process)?.durable['raft'] as RaftDurable | undefined;
  }

  /** A new leader's log holds every entry any member has applied (leader completeness). */
  private checkCompleteness(leader: string): void {
    const d = this.durable(leader);
    if (!d) return;
    const last = d.entries.length > 0 ? d.entries[d.entries.length - 1]!.index : d.snapshot.index;
    if (last < this.maxApplied) {
      this.violate('leader-completeness', leader, `new leader's log ends at ${last} but entry ${this.maxApplied} was committed`);
      return;
    }
    for (const e of d.entries) {
      const seen = this.applied.get(e.index);
      if (seen && (seen.term !== e.term || seen.id !== entryId(e))) {
        this.violate('leader-completeness', leader, `new leader holds (term ${e.term}) at committed index ${e.index}, which was applied as term ${seen.term}`);
        return;
      }
    }
  }

  /** Log matching over every pair of members' durable logs (run at the end). */
  checkLogs(): void {
    const logs = this.members.map((m) => [m, this.durable(m)] as const).filter((x) => x[1] !== undefined);
    for (let i = 0; i < logs.length; i++) {
      for (let j = i + 1; j < logs.length; j++) this.matchPair(logs[i]![0], logs[i]![1]!, logs[j]![0], logs[j]![1]!);
    }
  }

  private matchPair(a: string, da: RaftDurable, b: string, db: RaftDurable): void {
    const byIndex = new Map<number, Entry>(db.entries.map((e) => [e.index, e]));
    let agreed = false;
    for (let k = da.entries.length - 1; k >= 0; k--) {
      const ea = da.entries[k]!;
      const eb = byIndex.get(ea.index);
      if (!eb) continue;
      if (ea.term === eb.term) agreed = true;
      if (agreed && (ea.term !== eb.term || entryId(ea) !== entryId(eb))) {
        this.violate('log-matching', a, `logs of ${a} and ${b} agree on a later entry but differ at index ${ea.index}`);
        return;
      }
    }
  }
}

function entryId(e: Entry): string | null {
  return (e.data as EntryData | null)?.id ?? null;
}
