// Leader groups measured from the trace: holders, changes, leaderless and dual-leader time, failovers.
import { LEADER_GROUPS, type LeaderGroup } from '../kernel/observations.ts';
import { toSeconds } from '../kernel/time.ts';

/** The leader groups (defined once in kernel/observations.ts). */
export const GROUPS = LEADER_GROUPS;
export type Group = LeaderGroup;

/** One member's spell as leader, in run seconds (`to` null: it still led when the run ended). */
export interface Holding {
  holder: string;
  from: number;
  to: number | null;
}

/** A spell as the tracker keeps it, in run µs. */
interface HoldingUs {
  holder: string;
  fromUs: number;
  toUs: number | null;
}

export interface Failover {
  group: Group;
  lostAt: number;
  recoveredAt: number | null;
  gapSeconds: number | null;
  cause: string;
}

export interface LeaderStats {
  changes: number;
  leaderlessSeconds: number;
  maxLeaderlessSeconds: number;
  dualLeaderSeconds: number;
  staleLeaderActions: number;
  holders: Holding[];
}

interface Member {
  believes: boolean;
  paused: boolean;
  cause: string;
}

/**
 * One group's leadership over time. A member *leads* while it believes it leads and is running
 * (a paused or dead process leads nobody); SPEC §4 defines the derived figures.
 */
export class LeaderTracker {
  private readonly members = new Map<string, Member>();
  readonly leading = new Set<string>();
  private lastAt = 0;
  private firstLedAt: number | null = null;
  private lastHolder: string | null = null;
  private lostAt: number | null = null;
  private lostCause = '';
  private leaderlessUs = 0;
  private maxLeaderlessUs = 0;
  private dualUs = 0;
  private ledUs = 0;
  private open = new Map<string, HoldingUs>();
  /** Spells that ended, in the order they ended. */
  private readonly closed: HoldingUs[] = [];
  readonly stats: LeaderStats = {
    changes: 0, leaderlessSeconds: 0, maxLeaderlessSeconds: 0, dualLeaderSeconds: 0, staleLeaderActions: 0, holders: [],
  };
  readonly failovers: Failover[] = [];

  constructor(readonly group: Group) {}

  /** A member says whether it believes it leads (`cause` says why it stopped, when it stops). */
  belief(at: number, member: string, believes: boolean, cause: string): void {
    const m = this.member(member);
    m.believes = believes;
    if (!believes) m.cause = cause;
    this.update(at, member, cause);
  }

  /** A process went down, paused or came back: dead or frozen members lead nobody. */
  lifecycle(at: number, member: string, state: string, cause: string): void {
    if (!this.members.has(member)) return;
    const m = this.member(member);
    if (state === 'down') {
      m.believes = false;
      m.paused = false;
    } else if (state === 'paused') {
      m.paused = true;
    } else if (state === 'up') {
      m.paused = false;
    } else {
      return;
    }
    this.update(at, member, `${member} ${state === 'down' ? 'went down' : state}: ${cause}`);
  }

  /** The fencing checker saw a leader action commit while the Lease named someone else (a `stale-action`). */
  staleAction(): void {
    this.stats.staleLeaderActions++;
  }

  private member(id: string): Member {
    let m = this.members.get(id);
    if (!m) this.members.set(id, (m = { believes: false, paused: false, cause: '' }));
    return m;
  }

  private update(at: number, member: string, cause: string): void {
    this.advance(at);
    const m = this.members.get(member)!;
    const leads = m.believes && !m.paused;
    const wasEmpty = this.leading.size === 0;
    if (leads && !this.leading.has(member)) {
      this.leading.add(member);
      this.open.set(member, { holder: member, fromUs: at, toUs: null });
      if (this.lastHolder !== null && this.lastHolder !== member) this.stats.changes++;
      this.lastHolder = member;
      if (this.firstLedAt === null) this.firstLedAt = at;
      if (wasEmpty && this.lostAt !== null) this.recover(at);
    } else if (!leads && this.leading.has(member)) {
      this.leading.delete(member);
      const h = this.open.get(member)!;
      h.toUs = at;
      this.closed.push(h);
      this.open.delete(member);
      if (this.leading.size === 0) {
        this.lostAt = at;
        this.lostCause = cause;
      }
    }
  }

  private recover(at: number): void {
    const lostAt = this.lostAt!;
    const gap = at - lostAt;
    this.failovers.push({ group: this.group, lostAt, recoveredAt: at, gapSeconds: toSeconds(gap), cause: this.lostCause });
    this.maxLeaderlessUs = Math.max(this.maxLeaderlessUs, gap);
    this.lostAt = null;
  }

  /** Integrate leaderless and dual-leader time up to `at`. */
  private advance(at: number): void {
    const dt = at - this.lastAt;
    if (dt > 0) {
      if (this.leading.size >= 2) this.dualUs += dt;
      if (this.leading.size > 0) this.ledUs += dt;
      if (this.leading.size === 0 && this.firstLedAt !== null) this.leaderlessUs += dt;
    }
    this.lastAt = at;
  }

  /**
   * The measurement window starts at `at`: time shares, changes and failovers are counted from here (a
   * leaderless stretch under way counts from `at`); the holders list stays a full history.
   */
  restart(at: number): void {
    this.advance(at);
    this.leaderlessUs = 0;
    this.maxLeaderlessUs = 0;
    this.dualUs = 0;
    this.ledUs = 0;
    this.stats.changes = 0;
    this.failovers.length = 0;
    if (this.firstLedAt !== null) this.firstLedAt = at;
    if (this.lostAt !== null) this.lostAt = at;
  }

  /** Close the books at the end of the run. */
  finish(endAt: number): { stats: LeaderStats; failovers: Failover[] } {
    this.advance(endAt);
    const spells = [...this.closed, ...this.open.values()].sort((a, b) => a.fromUs - b.fromUs);
    const holders = spells.map((h) => ({ holder: h.holder, from: toSeconds(h.fromUs), to: h.toUs === null ? null : toSeconds(h.toUs) }));
    const failovers = [...this.failovers];
    let maxUs = this.maxLeaderlessUs;
    if (this.lostAt !== null) {
      failovers.push({ group: this.group, lostAt: this.lostAt, recoveredAt: null, gapSeconds: null, cause: this.lostCause });
      maxUs = Math.max(maxUs, endAt - this.lostAt);
    }
    return {
      stats: {
        ...this.stats,
        leaderlessSeconds: toSeconds(this.leaderlessUs),
        maxLeaderlessSeconds: toSeconds(maxUs),
        dualLeaderSeconds: toSeconds(this.dualUs),
        holders,
      },
      failovers,
    };
  }

  get everLed(): boolean {
    return this.firstLedAt !== null;
  }

  /** Fraction of time led since the group first had a leader; null for a group with no members. */
  ledFraction(endAt: number): number | null {
    if (this.members.size === 0) return null;
    if (this.firstLedAt === null || endAt <= this.firstLedAt) return 0;
    this.advance(endAt);
    return this.ledUs / (endAt - this.firstLedAt);
  }

  /** Whether some running member leads now (for availability strips). */
  get led(): boolean {
    return this.leading.size > 0;
  }
}
