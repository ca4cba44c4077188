// The run's collector: listens to observations as they happen and builds the report of SPEC §4.
import type { Observation } from '../kernel/trace.ts';
import { toSeconds } from '../kernel/time.ts';
import { Attribution, type AttributionRow } from './attribution.ts';
import { GROUPS, LeaderTracker, type Failover, type Group, type LeaderStats } from './leaders.ts';
import type { LoadFold, LoadReport } from './load.ts';
import { ProbeSeries } from './probes.ts';
import { notable, type TimelineEvent } from './timeline.ts';
import { LbDetections, Readiness, windowStart, type LbDetection, type MeasureWindow } from './measure.ts';

export interface Report {
  scenario: string;
  seed: number;
  topology: string;
  /** cluster.versions: the Kubernetes and etcd versions whose defaults the run used. */
  versions: { kubernetes: string; etcd: string };
  durationSeconds: number;
  /**
   * What availability, downtime, leader figures and failovers measure (run seconds): from when the cluster was
   * first ready unless the scenario's `measure.from` says otherwise; `from` says which rule set the start.
   */
  window: { fromSeconds: number; toSeconds: number; from: 'ready' | 'fault' | 'start' | 'time' };
  /** Run time until the cluster was first ready (every group led, every LB backend UP, a write succeeded); null: never. */
  bootstrapSeconds: number | null;
  /** Per fault that hit a backend machine: seconds until that backend was DOWN on every apiserver LB (null: never). */
  lbDetection: LbDetection[];
  eventsProcessed: number;
  wallMs: number;
  /** null when the run was told not to hash its trace (study runs). */
  traceHash: string | null;
  truncated: boolean;
  /** Why the run stopped before its end (only when truncated): the event budget or the memory budget. */
  truncatedReason?: string;
  /** Faults that began during the run (a random failure counts once, its repair not at all). */
  faults: number;
  /** Steady state skipped by fast-forward (both 0 when it is off or found nothing to skip). */
  fastForward: { jumps: number; skippedSeconds: number };
  availability: Record<'etcdQuorum' | 'apiRead' | 'apiWrite' | 'scheduler' | 'controllerManager' | 'workloads', number | null>;
  leaders: Record<Group, LeaderStats>;
  failovers: (Omit<Failover, 'lostAt' | 'recoveredAt'> & { lostAt: number; recoveredAt: number | null })[];
  downtime: { apiWrite: Downtime; apiRead: Downtime };
  nodes: { notReadyTransitions: number; evictions: number };
  pods: { desired: number; maxRunning: number | null; minRunning: number | null };
  recovery: { seconds: number | null };
  invariants: { violations: string[] };
  events: TimelineEvent[];
  /** Downtime split by fault and mechanism (report/attribution.ts). */
  attribution: AttributionRow[];
  /** Only when the scenario has a `load:` section (report/load.ts). */
  load?: LoadReport;
}

export interface Downtime {
  totalSeconds: number;
  longestSeconds: number;
}

/** Observations that end a fault (the anchor of `recovery.seconds`). */
function isHealing(o: Observation): boolean {
  if (o.kind !== 'fault') return false;
  const verb = o.detail['verb'];
  return o.detail['phase'] === 'end' || verb === 'start' || verb === 'heal' || verb === 'resume';
}

/**
 * availability.scheduler / controllerManager: the fraction of time (since the group first led) that
 * some member believes it leads AND its last API request reached a working apiserver.
 */
class ServingTime {
  private readonly reachable = new Map<string, boolean>();
  private lastAt = 0;
  private startAt: number | null = null;
  private servingUs = 0;

  constructor(private readonly tracker: LeaderTracker) {}

  private serving(): boolean {
    for (const m of this.tracker.leading) if (this.reachable.get(m) !== false) return true;
    return false;
  }

  /** Call before and after every change of leadership or reachability. */
  advance(at: number): void {
    if (this.startAt !== null && this.serving()) this.servingUs += at - this.lastAt;
    if (this.startAt === null && this.tracker.leading.size > 0) this.startAt = at;
    this.lastAt = at;
  }

  setReachable(member: string, ok: boolean): void {
    this.reachable.set(member, ok);
  }

  /** The measurement window starts at `at`. */
  restart(at: number): void {
    this.advance(at);
    this.servingUs = 0;
    if (this.startAt !== null) this.startAt = at;
  }

  fraction(endAt: number): number | null {
    this.advance(endAt);
    if (this.startAt === null) return this.tracker.everLed ? 0 : null;
    return endAt > this.startAt ? this.servingUs / (endAt - this.startAt) : 1;
  }
}

export class Metrics {
  readonly trackers = new Map<Group, LeaderTracker>(GROUPS.map((g) => [g, new LeaderTracker(g)]));
  private readonly serving = new Map<Group, ServingTime>(
    (['kube-scheduler', 'kube-controller-manager'] as const).map((g) => [g, new ServingTime(this.trackers.get(g)!)]),
  );
  readonly reads = new ProbeSeries();
  readonly writes = new ProbeSeries();
  private readonly memberGroup = new Map<string, Group>();
  private readonly violations: string[] = [];
  private readonly events: TimelineEvent[] = [];
  private lastHealAt: number | null = null;
  /** When every group that ever led leads again, after the last healing fault. */
  private recoveredAt: number | null = null;
  readonly counters = { notReadyTransitions: 0, evictions: 0 };
  /** Faults that began (each random failure counts once; its repair does not). */
  private faultCount = 0;
  pods = { desired: 0, maxRunning: null as number | null, minRunning: null as number | null };
  /** availability.workloads, set by the worker model when the run ends (null without workers). */
  workloads: number | null = null;
  /** Folds the load observations; set by the load model when the scenario has load. */
  loadFold: LoadFold | null = null;
  /** Run time of the last observation that changed something (fast-forward waits for quiet). */
  lastChangeAt = 0;
  private readonly routineState = new Map<string, string>();
  /** Per leader-election group: the last committed Lease write — run time, holder, steady state skipped before it. */
  private readonly leaseWrites = new Map<string, { at: number; holder: string; skippedUs: number }>();
  private skipped = { jumps: 0, us: 0 };
  private readonly readiness: Readiness;
  private readonly detections = new LbDetections();
  /** When the measurement window started (null: not yet). */
  private windowFromUs: number | null = null;
  private wroteOk = false;
  private readonly attribution = new Attribution(this.trackers);

  /**
   * `groups`: the leader groups the cluster runs (readiness waits for each to be led). `measure`: where
   * measuring starts and (for replays of a trace) ends.
   */
  constructor(groups: readonly Group[] = GROUPS, private readonly measure: MeasureWindow = { from: 'ready' }) {
    this.readiness = new Readiness(groups);
    if (measure.from === 'start') this.windowFromUs = 0;
  }

  /**
   * Routine observations repeat what is already known: a probe with the same outcome as the one
   * before it, a Lease renewed by the same holder. Anything else is a change.
   */
  private routine(o: Observation): boolean {
    let key: string;
    let value: string;
    if (o.kind === 'probe') {
      key = `probe:${String(o.detail['op'])}`;
      value = String(o.detail['ok']);
    } else if (o.kind === 'lease') {
      key = `lease:${String(o.detail['group'])}`;
      value = `${String(o.detail['holder'])}/${String(o.detail['transitions'])}`;
    } else {
      return false;
    }
    const same = this.routineState.get(key) === value;
    this.routineState.set(key, value);
    return same;
  }

  /**
   * Fast-forward removed [fromUs, fromUs + deltaUs) of run time: the probes that would have run in
   * it are counted with the outcome every probe has had through the quiet stretch before it. Time
   * shares (led, serving) need nothing: observations after the jump carry the later run time.
   */
  skip(fromUs: number, deltaUs: number, probeIntervalUs: number): void {
    const n = Math.round(deltaUs / probeIntervalUs);
    for (const [op, series] of [['read', this.reads], ['write', this.writes]] as const) {
      const ok = this.routineState.get(`probe:${op}`);
      if (ok !== undefined) series.addBlock(fromUs, n, ok === 'true', probeIntervalUs);
    }
    this.attribution.skip(fromUs, n, probeIntervalUs);
    this.skipped.jumps++;
    this.skipped.us += deltaUs;
  }

  /**
   * Held Leases and how long each has gone without a committed renewal, in model time: a jump
   * comes only while renewals go on, so skipped steady state is no silence.
   */
  *heldLeaseSilences(nowUs: number): Generator<{ group: string; holder: string; silentUs: number }> {
    for (const [group, w] of this.leaseWrites) {
      if (w.holder !== '') yield { group, holder: w.holder, silentUs: nowUs - w.at - (this.skipped.us - w.skippedUs) };
    }
  }

  observe(o: Observation): void {
    if (this.measure.untilUs !== undefined && o.at > this.measure.untilUs) return;
    const fixed = this.measure.from;
    if (typeof fixed === 'number' && this.windowFromUs === null && o.at >= fixed) this.startWindow(fixed);
    this.observeOne(o);
    this.readiness.observe(o);
    if (o.kind === 'lb-backend' || o.kind === 'fault') this.detections.observe(o);
    if (o.kind === 'probe' && o.detail['op'] === 'write' && o.detail['ok'] === true) this.wroteOk = true;
    this.readiness.check(o.at, this.trackers, this.wroteOk);
    if (this.windowFromUs === null && this.measure.from === 'ready') {
      const from = windowStart(this.measure, this.readiness);
      if (from !== null && from <= o.at) this.startWindow(from);
    }
  }

  /** Measuring starts at `fromUs` (≤ now): everything counted so far is forgotten. */
  private startWindow(fromUs: number): void {
    this.windowFromUs = fromUs;
    if (fromUs === 0) return;
    this.attribution.restart(fromUs);
    for (const t of this.trackers.values()) t.restart(fromUs);
    for (const s of this.serving.values()) s.restart(fromUs);
    this.reads.restart(fromUs);
    this.writes.restart(fromUs);
  }

  private observeOne(o: Observation): void {
    if (o.kind === 'lease') {
      this.leaseWrites.set(String(o.detail['group']), { at: o.at, holder: String(o.detail['holder']), skippedUs: this.skipped.us });
    }
    if (!this.routine(o)) this.lastChangeAt = o.at;
    for (const s of this.serving.values()) s.advance(o.at);
    switch (o.kind) {
      case 'component-api':
        this.serving.get(o.detail['group'] as Group)?.setReachable(o.subject, o.detail['ok'] === true);
        break;
      case 'leader': {
        const group = o.detail['group'] as Group;
        this.memberGroup.set(o.subject, group);
        this.trackers.get(group)!.belief(o.at, o.subject, o.detail['leading'] === true, String(o.detail['cause'] ?? ''));
        break;
      }
      case 'process': {
        const group = this.memberGroup.get(o.subject);
        if (group) this.trackers.get(group)!.lifecycle(o.at, o.subject, String(o.detail['state']), String(o.detail['cause'] ?? ''));
        break;
      }
      case 'probe':
        (o.detail['op'] === 'write' ? this.writes : this.reads).add(o.at, o.detail['ok'] === true, o.at - Math.round(Number(o.detail['latencyMs']) * 1000));
        break;
      case 'invariant':
        this.violations.push(`${toSeconds(o.at)}s ${o.subject}: ${String(o.detail['message'])}`);
        break;
    }
    if (o.kind === 'fault' && o.detail['phase'] === 'begin' && o.detail['verb'] !== 'random') this.faultCount++;
    if (isHealing(o)) {
      this.lastHealAt = o.at;
      this.recoveredAt = null;
    }
    this.checkRecovered(o);
    const ev = notable(o);
    if (ev) this.events.push(ev);
    this.attribution.observe(o);
  }

  /** Recovery: after the last healing fault, every group that has led leads again and a write succeeded. */
  private checkRecovered(o: Observation): void {
    if (this.lastHealAt === null || this.recoveredAt !== null) return;
    for (const t of this.trackers.values()) if (t.everLed && !t.led) return;
    const wroteSince = this.writes.lastOkAt !== null && this.writes.lastOkAt >= this.lastHealAt;
    if (this.writes.count > 0 && !wroteSince) return;
    this.recoveredAt = o.at;
  }

  report(base: Pick<Report, 'scenario' | 'seed' | 'topology' | 'versions' | 'eventsProcessed' | 'wallMs' | 'traceHash' | 'truncated' | 'truncatedReason'>, endUs: number, probeIntervalUs: number): Report {
    const fixed = this.measure.from;
    if (typeof fixed === 'number' && this.windowFromUs === null && fixed <= endUs) this.startWindow(fixed);
    const leaders = {} as Record<Group, LeaderStats>;
    const failovers: Report['failovers'] = [];
    for (const [group, tracker] of this.trackers) {
      const { stats, failovers: f } = tracker.finish(endUs);
      leaders[group] = stats;
      failovers.push(...f);
    }
    failovers.sort((a, b) => a.lostAt - b.lostAt);
    const fromUs = this.windowFromUs ?? 0;
    const from = this.measure.from === 'ready' ? (this.windowFromUs === null ? 'start' : fromUs === this.readiness.readyAt ? 'ready' : 'fault')
      : this.measure.from === 'start' ? 'start' : 'time';
    return {
      ...base,
      durationSeconds: toSeconds(endUs),
      window: { fromSeconds: toSeconds(fromUs), toSeconds: toSeconds(endUs), from },
      bootstrapSeconds: this.readiness.readyAt === null ? null : toSeconds(this.readiness.readyAt),
      lbDetection: this.detections.report(),
      faults: this.faultCount,
      fastForward: { jumps: this.skipped.jumps, skippedSeconds: toSeconds(this.skipped.us) },
      availability: {
        etcdQuorum: this.trackers.get('etcd')!.ledFraction(endUs),
        apiRead: this.reads.fraction(),
        apiWrite: this.writes.fraction(),
        scheduler: this.serving.get('kube-scheduler')!.fraction(endUs),
        controllerManager: this.serving.get('kube-controller-manager')!.fraction(endUs),
        workloads: this.workloads,
      },
      leaders,
      failovers: failovers.map((f) => ({ ...f, lostAt: toSeconds(f.lostAt), recoveredAt: f.recoveredAt === null ? null : toSeconds(f.recoveredAt) })),
      downtime: { apiWrite: this.writes.downtime(probeIntervalUs), apiRead: this.reads.downtime(probeIntervalUs) },
      nodes: { ...this.counters },
      pods: { ...this.pods },
      recovery: { seconds: this.lastHealAt === null || this.recoveredAt === null ? null : toSeconds(this.recoveredAt - this.lastHealAt) },
      invariants: { violations: [...this.violations] },
      events: this.events,
      attribution: this.attribution.finish(endUs, probeIntervalUs, this.pods.desired),
      ...(this.loadFold ? { load: this.loadFold.finish(fromUs, endUs) } : {}),
    };
  }
}
