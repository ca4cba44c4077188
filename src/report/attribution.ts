// Downtime attribution: every failed-probe stretch, leaderless interval and lost pod-second, split by fault and mechanism.
import type { Observation } from '../kernel/trace.ts';
import { toSeconds } from '../kernel/time.ts';
import { BrokenState, MECHANISMS, type Label } from './attribution-state.ts';
import { GROUPS, type Group, type LeaderTracker } from './leaders.ts';

/** What was unavailable: API writes/reads (probe downtime), a group's leaderless time, or desired pods not running. */
export type Measure = 'apiWrite' | 'apiRead' | `leaderless ${Group}` | 'lostPodSeconds';

export interface AttributionRow extends Label {
  measure: Measure;
  /** Outage episodes (downtime stretches, leaderless intervals, stretches with pods missing) this label took part in. */
  episodes: number;
  /** Seconds (pod-seconds for lostPodSeconds). */
  seconds: number;
}

interface Snapshot {
  at: number;
  api: Label;
  groups: (Label | null)[];
  pods: Label;
  running: number;
}

const key = (l: Label): string => `${l.cause}\u0000${l.mechanism}`;

/** Accumulates rows keyed by (measure, label); an episode counts once per label it contains. */
class Rows {
  private readonly rows = new Map<string, AttributionRow>();
  private episodeKeys = new Set<string>();

  add(measure: Measure, label: Label, us: number): void {
    if (us <= 0) return;
    const k = `${measure}\u0000${key(label)}`;
    let row = this.rows.get(k);
    if (!row) this.rows.set(k, (row = { measure, cause: label.cause, mechanism: label.mechanism, episodes: 0, seconds: 0 }));
    row.seconds += us;
    if (!this.episodeKeys.has(k)) {
      this.episodeKeys.add(k);
      row.episodes++;
    }
  }

  endEpisode(): void {
    this.episodeKeys = new Set();
  }

  list(): AttributionRow[] {
    return [...this.rows.values()].map((r) => ({ ...r, seconds: toSeconds(r.seconds) }));
  }
}

/**
 * Listens to the same observations as Metrics (after it, so leader trackers are current) and keeps a step function
 * of labels over time; probes are kept like ProbeSeries keeps them so that stretches match `downtime.*` exactly.
 */
export class Attribution {
  private readonly state: BrokenState;
  private readonly snapshots: Snapshot[] = [];
  private lastKey = '';
  private readonly probes = {
    write: { sentAt: [] as number[], doneAt: [] as number[], ok: [] as boolean[] },
    read: { sentAt: [] as number[], doneAt: [] as number[], ok: [] as boolean[] },
  };
  private readonly lastOk: Record<'read' | 'write', boolean | undefined> = { read: undefined, write: undefined };
  private readonly pods = new Map<string, Set<string>>();
  /** Pods running over all nodes (the sum of `pods`' sizes, kept as it changes rather than recounted per observation). */
  private running = 0;
  /** Start of the measurement window (report/measure.ts): nothing before it is attributed, as nothing is measured. */
  private fromUs = 0;

  constructor(private readonly trackers: ReadonlyMap<Group, LeaderTracker>) {
    this.state = new BrokenState(trackers);
  }

  observe(o: Observation): void {
    if (o.kind === 'probe') {
      const op = o.detail['op'] === 'write' ? 'write' : 'read';
      const ok = o.detail['ok'] === true;
      this.probes[op].sentAt.push(o.at - Math.round(Number(o.detail['latencyMs']) * 1000));
      this.probes[op].doneAt.push(o.at);
      this.probes[op].ok.push(ok);
      this.lastOk[op] = ok;
      return;
    }
    if (o.kind === 'lease') return; // renewals change nothing this reads
    this.state.observe(o);
    this.trackPods(o);
    this.snapshot(o.at);
  }

  /** Measuring starts at `fromUs`, as in Metrics.startWindow: probes sent and time spent before it are left out. */
  restart(fromUs: number): void {
    this.fromUs = fromUs;
  }

  /** Fast-forward skipped steady state: its probes had the outcome of the last one (as Metrics.skip counts them). */
  skip(fromUs: number, n: number, intervalUs: number): void {
    for (const op of ['read', 'write'] as const) {
      const ok = this.lastOk[op];
      if (ok === undefined || n <= 0) continue;
      this.probes[op].sentAt.push(fromUs, fromUs + (n - 1) * intervalUs);
      this.probes[op].doneAt.push(fromUs, fromUs + (n - 1) * intervalUs);
      this.probes[op].ok.push(ok, ok);
    }
  }

  private trackPods(o: Observation): void {
    if (o.kind === 'pod' && typeof o.detail['running'] === 'boolean') {
      const node = String(o.detail['node']);
      const set = this.pods.get(node) ?? new Set<string>();
      this.pods.set(node, set);
      const before = set.size;
      if (o.detail['running']) set.add(String(o.detail['pod']));
      else set.delete(String(o.detail['pod']));
      this.running += set.size - before;
    } else if (o.kind === 'process' && o.detail['state'] === 'down' && o.subject.endsWith('/kubelet')) {
      const set = this.pods.get(o.subject.slice(0, o.subject.indexOf('/')));
      if (set !== undefined) {
        this.running -= set.size;
        set.clear();
      }
    }
  }

  private snapshot(at: number): void {
    const running = this.running;
    const snap: Snapshot = {
      at,
      api: this.state.apiLabel(),
      groups: GROUPS.map((g) => (this.trackers.get(g)!.everLed && !this.trackers.get(g)!.led ? this.state.groupLabel(g) : null)),
      pods: this.state.podLabel(),
      running,
    };
    const k = `${key(snap.api)}|${snap.groups.map((g) => (g ? key(g) : '')).join('|')}|${key(snap.pods)}|${running}`;
    if (k === this.lastKey) return;
    this.lastKey = k;
    const last = this.snapshots[this.snapshots.length - 1];
    if (last && last.at === at) this.snapshots[this.snapshots.length - 1] = snap;
    else this.snapshots.push(snap);
  }

  /** The index of the snapshot in force at `at` (the last one at or before it; −1 before the first). */
  private indexAt(at: number): number {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.snapshots[mid]!.at <= at) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Why a probe failed: the first broken state it met between being sent and failing (a probe sent just before
   * a fault fails because of it), else the state when it was sent.
   */
  private probeLabel(sentUs: number, doneUs: number): Label {
    let i = this.indexAt(sentUs);
    const first = this.snapshots[i]?.api ?? { cause: 'no fault', mechanism: 'start-up' };
    for (; i < this.snapshots.length && (i < 0 || this.snapshots[i]!.at <= doneUs); i++) {
      const s = this.snapshots[i];
      if (s && s.api.mechanism !== MECHANISMS.other) return s.api;
    }
    return first;
  }

  /** The rows of the report; `desiredPods` is known only when the run ends. */
  finish(endUs: number, probeIntervalUs: number, desiredPods: number): AttributionRow[] {
    const rows = new Rows();
    for (const op of ['write', 'read'] as const) this.probeRows(rows, op, probeIntervalUs);
    GROUPS.forEach((g, i) => this.stepRows(rows, `leaderless ${g}`, endUs, (s) => (s.groups[i] ? { label: s.groups[i]!, weight: 1 } : null)));
    let started = false;
    this.stepRows(rows, 'lostPodSeconds', endUs, (s) => {
      if (s.running >= desiredPods) started = true; // availability counts from the first moment every desired pod ran
      const missing = started ? Math.max(0, desiredPods - s.running) : 0;
      return missing > 0 ? { label: s.pods, weight: missing } : null;
    });
    return rows.list();
  }

  /** Probe stretches exactly as ProbeSeries.downtime: each failed probe owns the time to the next probe sent. */
  private probeRows(rows: Rows, op: 'read' | 'write', intervalUs: number): void {
    const { sentAt, doneAt, ok } = this.probes[op];
    const order = sentAt.map((_, i) => i).sort((a, b) => sentAt[a]! - sentAt[b]! || a - b);
    const measure = op === 'write' ? 'apiWrite' : 'apiRead';
    let prev: { at: number; label: Label } | null = null;
    for (const i of order) {
      if (sentAt[i]! < this.fromUs) continue; // before the window, as ProbeSeries.add drops it
      if (ok[i]) {
        // the stretch's last failure counts one probe interval, as in ProbeSeries.downtime
        if (prev) {
          rows.add(measure, prev.label, intervalUs);
          rows.endEpisode();
        }
        prev = null;
      } else {
        if (prev) rows.add(measure, prev.label, sentAt[i]! - prev.at);
        prev = { at: sentAt[i]!, label: this.probeLabel(sentAt[i]!, doneAt[i]!) };
      }
    }
    if (prev) rows.add(measure, prev.label, intervalUs);
    rows.endEpisode();
  }

  /** Integrate a step function of (label, weight) over the snapshots up to `endUs`. */
  private stepRows(rows: Rows, measure: Measure, endUs: number, pick: (s: Snapshot) => { label: Label; weight: number } | null): void {
    let open = false;
    for (let i = 0; i < this.snapshots.length; i++) {
      const s = this.snapshots[i]!;
      const until = Math.min(endUs, this.snapshots[i + 1]?.at ?? endUs);
      const from = Math.max(s.at, this.fromUs);
      const p = pick(s);
      if (p && until > from) {
        rows.add(measure, p.label, (until - from) * p.weight);
        open = true;
      } else if (!p && open) {
        rows.endEpisode();
        open = false;
      }
    }
    rows.endEpisode();
  }
}
