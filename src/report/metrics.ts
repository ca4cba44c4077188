// The run's collector: listens to observations as they happen and builds the report of SPEC §4.
import { LEASE_GROUPS, type Observation } from '../kernel/observations.ts';
import { toSeconds } from '../kernel/time.ts';
import { Attribution, type AttributionRow } from './attribution.ts';
import { GROUPS, LeaderTracker, type Failover, type Group, type LeaderStats } from './leaders.ts';
import { LoadFold, type LoadLimits, type LoadReport } from './load.ts';
import { ProbeSeries } from './probes.ts';
import { WorkloadTracker } from './workloads.ts';
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
    LEASE_GROUPS.map((g) => [g, new ServingTime(this.trackers.get(g)!)]),
  );
  readonly reads = new ProbeSeries();
  readonly writes = new ProbeSeries();
  private readonly memberGroup = new Map<string, Group>();
  private readonly violations: string[] = [];
  private readonly events: TimelineEvent[] = [];
  private lastHealAt: number | null = null;
  /** When every group that ever led leads again, after the last healing fault. */
  private recoveredAt: number | null = null;
  /** nodes.*: folded from `node` (Ready → NotReady) and `pod` (evicted) observations. */
  private readonly counters = { notReadyTransitions: 0, evictions: 0 };
  /** Faults that began (each random failure counts once; its repair does not). */
  private faultCount = 0;
  /** Running pods over time (availability.workloads, pods.*); null when the cluster has no workers. */
  private readonly workloads: WorkloadTracker | null;
  /** The last probe outcome per op: what the probes skipped by fast-forward are counted as. */
  private readonly lastProbeOk = new Map<'read' | 'write', boolean>();
  private readonly probeIntervalUs: number | undefined;
  /** Folds the load observations (null when the scenario has no `load:` section). */
  private readonly loadFold: LoadFold | null;
  private skipped = { jumps: 0, us: 0 };
  private readonly readiness: Readiness;
  private readonly detections = new LbDetections();
  /** When the measurement window started (null: not yet). */
  private windowFromUs: number | null = null;
  private wroteOk = false;
  private readonly attribution = new Attribution(this.trackers);

  /**
   * `groups`: the leader groups the cluster runs (readiness waits for each to be led). `measure`: where
   * measuring starts and (for replays of a trace) ends. `desiredPods`: the pods the cluster should run (null
   * without workers). `probeIntervalUs`: the probe period, which counts the probes a fast-forward skipped.
   */
  constructor(
    groups: readonly Group[] = GROUPS,
    private readonly measure: MeasureWindow = { from: 'ready' },
    opts: { desiredPods?: number | null; probeIntervalUs?: number; load?: { limits: LoadLimits | null } } = {},
  ) {
    this.readiness = new Readiness(groups);
    if (measure.from === 'start') this.windowFromUs = 0;
    this.workloads = opts.desiredPods === undefined || opts.desiredPods === null ? null : new WorkloadTracker(opts.desiredPods);
    this.probeIntervalUs = opts.probeIntervalUs;
    this.loadFold = opts.load ? new LoadFold(opts.load.limits) : null;
  }

  /**
   * Fast-forward removed [fromUs, fromUs + deltaUs) of run time: the probes that would have run in
   * it are counted with the outcome every probe has had through the quiet stretch before it. Time
   * shares (led, serving) need nothing: observations after the jump carry the later run time.
   */
  skip(fromUs: number, deltaUs: number, probeIntervalUs: number): void {
    const n = Math.round(deltaUs / probeIntervalUs);
    for (const [op, series] of [['read', this.reads], ['write', this.writes]] as const) {
      const ok = this.lastProbeOk.get(op);
      if (ok !== undefined) series.addBlock(fromUs, n, ok, probeIntervalUs);
    }
    this.attribution.skip(fromUs, n, probeIntervalUs);
    this.skipped.jumps++;
    this.skipped.us += deltaUs;
  }

  observe(o: Observation): void {
    if (this.measure.untilUs !== undefined && o.at > this.measure.untilUs) return;
    // The jump came before its observation: [at - seconds, at) of run time was skipped.
    if (o.kind === 'fast-forward' && this.probeIntervalUs !== undefined) {
      const deltaUs = Math.round(o.detail.seconds * 1e6);
      this.skip(o.at - deltaUs, deltaUs, this.probeIntervalUs);
    }
    const fixed = this.measure.from;
    if (typeof fixed === 'number' && this.windowFromUs === null && o.at >= fixed) this.startWindow(fixed);
    this.observeOne(o);
    this.loadFold?.observe(o);
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
    this.workloads?.observe(o);
    for (const s of this.serving.values()) s.advance(o.at);
    switch (o.kind) {
      case 'component-api':
        this.serving.get(o.detail.group)?.setReachable(o.subject, o.detail.ok);
        break;
      case 'leader': {
        const group = o.detail.group;
        this.memberGroup.set(o.subject, group);
        this.trackers.get(group)!.belief(o.at, o.subject, o.detail.leading, String(o.detail.cause ?? ''));
        // A group's serving time starts when it is first led, not at the next observation after that.
        this.serving.get(group)?.advance(o.at);
        break;
      }
      case 'process': {
        const group = this.memberGroup.get(o.subject);
        if (group) this.trackers.get(group)!.lifecycle(o.at, o.subject, String(o.detail['state']), String(o.detail['cause'] ?? ''));
        break;
      }
      case 'probe':
        this.lastProbeOk.set(o.detail.op, o.detail.ok);
        (o.detail['op'] === 'write' ? this.writes : this.reads).add(o.at, o.detail['ok'] === true, o.at - Math.round(Number(o.detail['latencyMs']) * 1000));
        break;
      case 'node':
        if (o.detail.ready === false) this.counters.notReadyTransitions++;
        break;
      case 'pod':
        if (o.detail.evicted === true) this.counters.evictions++;
        break;
      case 'stale-action':
        this.trackers.get(o.detail.group)!.staleAction();
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
        workloads: this.workloads === null ? null : this.workloads.fraction(endUs),
      },
      leaders,
      failovers: failovers.map((f) => ({ ...f, lostAt: toSeconds(f.lostAt), recoveredAt: f.recoveredAt === null ? null : toSeconds(f.recoveredAt) })),
      downtime: { apiWrite: this.writes.downtime(probeIntervalUs), apiRead: this.reads.downtime(probeIntervalUs) },
      nodes: { ...this.counters },
      pods: this.workloads === null ? { desired: 0, maxRunning: null, minRunning: null } : this.workloads.pods(),
      recovery: { seconds: this.lastHealAt === null || this.recoveredAt === null ? null : toSeconds(this.recoveredAt - this.lastHealAt) },
      invariants: { violations: [...this.violations] },
      events: this.events,
      attribution: this.attribution.finish(endUs, probeIntervalUs, this.workloads?.desired ?? 0),
      ...(this.loadFold ? { load: this.loadFold.finish(fromUs, endUs) } : {}),
    };
  }
}
