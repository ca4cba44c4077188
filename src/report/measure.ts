// The measurement window: metrics are measured from when the cluster is first ready (or from the start), and
// readiness itself — every leader group led, every load-balancer backend UP, a write through the LB succeeded.
import type { FaultDetail, Observation } from '../kernel/observations.ts';
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

/** One fault's detection by the load balancers: seconds from its start until a faulted backend was DOWN on every LB. */
export interface LbDetection {
  fault: number;
  /** The backend's machine (`master-2`), or null while none of the faulted machines' backends is out of rotation. */
  backend: string | null;
  seconds: number | null;
}

/** The machines a fault observation names (lifecycle targets, isolated machines, partition groups, cut sources). */
function faultedMachines(d: FaultDetail): string[] {
  const names: string[] = [...(d.targets ?? []), ...(d.machines ?? [])];
  for (const g of d.groups ?? []) names.push(...g);
  for (const l of d.links ?? []) names.push(l[0]);
  return [...new Set(names.map((n) => String(n).split('/')[0]!))];
}

/**
 * The detection-time metric (`faults.<i>.lbDetectionSeconds`): what an operator measures as "the dead master left
 * rotation" — every apiserver load balancer (lb-*) has that master's backend DOWN.
 */
export class LbDetections {
  /** `lb-1` → machine → UP (apiserver LBs only). */
  private readonly views = new Map<string, Map<string, boolean>>();
  private readonly pending: { fault: number; at: number; machines: string[] }[] = [];
  readonly done: (LbDetection & { atUs?: number })[] = [];

  observe(o: Observation): void {
    if (o.kind === 'lb-backend' && !o.subject.startsWith('etcd-lb')) {
      const lb = o.subject.split('/')[0]!;
      let view = this.views.get(lb);
      if (!view) this.views.set(lb, (view = new Map()));
      view.set(String(o.detail['backend']).split('/')[0]!, o.detail['state'] === 'UP');
    } else if (o.kind === 'fault' && o.detail['phase'] === 'begin' && o.detail['verb'] !== 'random' && o.detail['random'] !== true) {
      const machines = faultedMachines(o.detail).filter((m) => [...this.views.values()].some((v) => v.has(m)));
      if (machines.length > 0) this.pending.push({ fault: Number(o.detail['index']), at: o.at, machines });
    }
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i]!;
      const out = p.machines.find((m) => [...this.views.values()].every((v) => v.get(m) === false));
      if (out === undefined) continue;
      this.done.push({ fault: p.fault, backend: out, seconds: (o.at - p.at) / 1e6 });
      this.pending.splice(i--, 1);
    }
  }

  /** Every fault that hit a backend machine, detected or not (seconds null), in fault order. */
  report(): LbDetection[] {
    const all = [...this.done, ...this.pending.map((p) => ({ fault: p.fault, backend: null, seconds: null }))];
    return all.sort((a, b) => a.fault - b.fault).map(({ fault, backend, seconds }) => ({ fault, backend, seconds }));
  }
}
