// The measurement window: metrics are measured from when the cluster is first ready (or from the start), and
// readiness itself — every leader group led, every load-balancer backend UP, a write through the LB succeeded.
import type { Observation } from '../kernel/trace.ts';
import type { Group, LeaderTracker } from './leaders.ts';

/**
 * Where the window starts: `ready` (default) — when the cluster is first ready, or when the first fault begins
 * if that comes earlier (a fault during bootstrap is measured, not hidden); `start` — run time 0; a number — that
 * run time in µs (windowed expectations replay the trace with one).
 */
export type WindowFrom = 'ready' | 'start' | number;

export interface MeasureWindow {
  from: WindowFrom;
  /** Observations after this run time (µs) are not measured; the report ends there. */
  untilUs?: number;
}

/** Readiness as the report sees it, folded from observations. */
export class Readiness {
  /** `lb-N/haproxy|backend` → UP; every backend starts UP (haproxy's `initial`), checks may mark it DOWN. */
  private readonly backends = new Map<string, boolean>();
  private down = 0;
  readyAt: number | null = null;
  firstFaultAt: number | null = null;

  constructor(private readonly groups: readonly Group[]) {}

  observe(o: Observation): void {
    if (o.kind === 'lb-backend') {
      const key = `${o.subject}|${String(o.detail['backend'])}`;
      const was = this.backends.get(key) ?? true;
      const up = o.detail['state'] === 'UP';
      this.backends.set(key, up);
      if (was !== up) this.down += up ? -1 : 1;
    } else if (o.kind === 'fault' && o.detail['phase'] === 'begin' && o.detail['verb'] !== 'random' && this.firstFaultAt === null) {
      this.firstFaultAt = o.at;
    }
  }

  /** Whether the cluster is ready now: `wroteOk` says a write probe has succeeded. */
  check(at: number, trackers: ReadonlyMap<Group, LeaderTracker>, wroteOk: boolean): boolean {
    if (this.readyAt !== null) return true;
    if (!wroteOk || this.down > 0) return false;
    for (const g of this.groups) if (!trackers.get(g)?.led) return false;
    this.readyAt = at;
    return true;
  }
}

/** When the window starts, given what is known at `at`; null while undecided. */
export function windowStart(w: MeasureWindow, r: Readiness): number | null {
  if (w.from === 'start') return 0;
  if (typeof w.from === 'number') return w.from;
  if (r.readyAt !== null && (r.firstFaultAt === null || r.readyAt <= r.firstFaultAt)) return r.readyAt;
  return r.firstFaultAt;
}
