// Report side of the workers: running pods over time (availability.workloads, pods.*), folded from the trace.
import type { Observation } from '../kernel/trace.ts';

/**
 * Counts pods the kubelets run. A kubelet that goes down (killed or powered off) takes its pods
 * with it. Availability counts from the first moment every desired pod ran (start-up is not downtime).
 */
export class WorkloadTracker {
  private readonly byNode = new Map<string, Set<string>>();
  private running = 0;
  private lastAt = 0;
  private startAt: number | null = null;
  private servedUs = 0;
  max = 0;
  min: number | null = null;

  constructor(readonly desired: number) {}

  observe(o: Observation): void {
    if (o.kind === 'pod' && typeof o.detail.running === 'boolean') {
      const node = String(o.detail.node);
      const set = this.byNode.get(node) ?? new Set<string>();
      this.byNode.set(node, set);
      const { running, pod } = o.detail;
      this.advance(o.at);
      const before = set.size;
      if (running) set.add(String(pod));
      else set.delete(String(pod));
      this.changed(o.at, set.size - before);
    } else if (o.kind === 'process' && o.detail['state'] === 'down' && o.subject.endsWith('/kubelet')) {
      const set = this.byNode.get(o.subject.slice(0, o.subject.indexOf('/')));
      if (set && set.size > 0) {
        this.advance(o.at);
        const lost = set.size;
        set.clear();
        this.changed(o.at, -lost);
      }
    }
  }

  /** The running count moved by `delta` (kept as a sum, not recounted over every node: 5,000 nodes, 10,000 pods). */
  private changed(at: number, delta: number): void {
    const n = (this.running += delta);
    if (this.startAt === null && n >= this.desired) this.startAt = at;
    this.max = Math.max(this.max, n);
    if (this.startAt !== null) this.min = Math.min(this.min ?? n, n);
  }

  private advance(at: number): void {
    if (this.startAt !== null) this.servedUs += Math.min(this.running, this.desired) * (at - this.lastAt);
    this.lastAt = at;
  }

  /** Fraction of desired pod-seconds with a running pod, since all first ran; null if they never did. */
  fraction(endAt: number): number | null {
    this.advance(endAt);
    if (this.desired === 0) return null;
    if (this.startAt === null) return this.max > 0 ? 0 : null;
    return endAt > this.startAt ? this.servedUs / (this.desired * (endAt - this.startAt)) : 1;
  }

  /** pods.* of the report. */
  pods(): { desired: number; maxRunning: number; minRunning: number } {
    return { desired: this.desired, maxRunning: this.max, minRunning: this.min ?? this.running };
  }
}
