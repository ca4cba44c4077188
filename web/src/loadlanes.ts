// Per-apiserver load lanes folded from the trace: each `apiserver-load` sample placed over the period it measured.
//
// The sampler (control/capacity.ts, `sample`) runs inside the apiserver process: it starts with the
// process and emits every sample period the busy core-time of that period, the requests executing
// in APF seats and waiting in APF queues at that instant, and what it served and rejected with 429
// during the period. So a sample covers the time since the previous sample of the same process, or
// since the process (re)started; a stopped apiserver has no samples, and its lane says so.
import { fmtTime, type Observation } from '../../src/index.ts';
import { Track } from './track.ts';

export interface LoadSample {
  /** Start of the period the sample measured (the previous sample, or the process start), µs. */
  from: number;
  /** When it was taken (end of its period), µs. */
  at: number;
  /** Busy core-time over available core-time in the period, 0–1. */
  utilisation: number;
  /** Requests executing in APF seats when the sample was taken. */
  inFlight: number;
  /** Requests waiting in APF queues when the sample was taken. */
  waiting: number;
  /** Answered during the period. */
  served: number;
  /** Rejected with 429 during the period. */
  rejected: number;
}

/** One apiserver's lane: its samples in time order, and a Track of the same stretches for hovers. */
export interface LoadLane {
  samples: LoadSample[];
  /** Keys: 'sample' (a period measured), 'pending' (running, next sample not yet taken), 'down' (not running). */
  track: Track;
}

const APISERVER = '/kube-apiserver';

export class LoadLanes {
  /** By apiserver process id, in the order their first observation came. */
  readonly lanes = new Map<string, LoadLane>();
  /** Where the next sample's period starts, per apiserver process; null while it is not running. */
  private readonly periodStart = new Map<string, number | null>();

  /**
   * Fold one observation. Returns a sentence when an apiserver starts or stops sending 429s (a change
   * worth listing under "What happened" and stepping to), else null.
   */
  add(o: Observation): string | null {
    if (o.kind === 'process' && o.subject.endsWith(APISERVER)) {
      const state = String(o.detail['state'] ?? '');
      // A new incarnation starts a new sampler (its first period begins at the start); a dead one samples nothing.
      // (While stopping or paused the process still exists: its next sample covers the time since the last.)
      if (state === 'up' && o.detail['resumed'] !== true) this.periodStart.set(o.subject, o.at);
      else if (state === 'down' || state === 'backoff') this.stopped(o.subject, o.at, state);
      return null;
    }
    if (o.kind !== 'apiserver-load') return null;
    const d = o.detail;
    const from = this.periodStart.get(o.subject) ?? o.at;
    const sample: LoadSample = {
      from, at: o.at, utilisation: d.utilisation, inFlight: d.inFlight, waiting: d.waiting, served: d.served, rejected: d.rejected,
    };
    const lane = this.lane(o.subject);
    // 429s of the sample just before, in the same incarnation (a restart starts afresh).
    const prev = lane.samples[lane.samples.length - 1];
    const before = prev && prev.at === from ? prev.rejected : 0;
    lane.samples.push(sample);
    lane.track.set(from, 'sample', describeSample(o.subject, sample));
    lane.track.set(o.at, 'pending', 'running; its next load sample has not been taken yet');
    this.periodStart.set(o.subject, o.at);
    const period = `${fmtTime(from)}–${fmtTime(o.at)}`;
    if (before === 0 && sample.rejected > 0) return `started answering 429 Too Many Requests: ${sample.rejected} in ${period}`;
    if (before > 0 && sample.rejected === 0) return `sent no 429s in ${period} (${before} in the period before)`;
    return null;
  }

  private stopped(id: string, at: number, state: string): void {
    this.periodStart.set(id, null);
    const lane = this.lanes.get(id);
    if (!lane) return;
    const last = lane.track.segs[lane.track.segs.length - 1];
    if (last?.key === 'down') return;
    lane.track.set(at, 'down', `${state === 'backoff' ? 'restarting' : state}: no load samples while the apiserver is not serving`);
  }

  private lane(id: string): LoadLane {
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { samples: [], track: new Track() }));
    return lane;
  }

  extend(to: number): void {
    for (const l of this.lanes.values()) l.track.extend(to);
  }

  /** Whether any apiserver has emitted a load sample. */
  get any(): boolean {
    return this.lanes.size > 0;
  }
}

/** The sample whose period covers t (the one the lane draws there), or null. */
export function sampleAt(lane: LoadLane | undefined, t: number): LoadSample | null {
  const seg = lane?.track.at(t);
  if (!lane || seg?.key !== 'sample') return null;
  let lo = 0;
  let hi = lane.samples.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (lane.samples[mid]!.from <= t) lo = mid;
    else hi = mid - 1;
  }
  const s = lane.samples[lo];
  return s && s.from <= t && t <= s.at ? s : null;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The hover text of one sample: what each number is, in words. */
export function describeSample(id: string, s: LoadSample): string {
  const machine = id.split('/')[0]!;
  const period = `${fmtTime(s.from)} to ${fmtTime(s.at)}`;
  const queue = `at ${fmtTime(s.at)}: ${s.inFlight} requests executing in APF seats, ${s.waiting} waiting in APF queues`;
  const answered = `in the period it answered ${s.served} requests and rejected ${s.rejected} with 429 Too Many Requests`;
  return `${machine} kube-apiserver CPU ${pct(s.utilisation)} of the machine's cores from ${period}; ${queue}; ${answered}.`;
}
