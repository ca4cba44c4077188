// Scheduled calls and fast-forward jumps: calls run at the same run time whether or not steady state is skipped.
import { EventKind, type EventQueue, type SimEvent } from './queue.ts';

/** What the calls need of the event loop: model time, its queue and a way to schedule. */
export interface CallsLoop {
  readonly now: number;
  readonly queue: EventQueue;
  schedule(at: number, kind: EventKind, target: number, name: string, data: unknown): SimEvent;
}

/**
 * Scheduled calls not yet run: faults and repairs from outside the model, restarts after back-off
 * and shutdown deadlines from inside. A jump never passes one, and pulls every one closer.
 */
export class ScheduledCalls {
  private readonly pending = new Set<SimEvent>();

  constructor(private readonly loop: CallsLoop) {}

  /** Schedule `fn` (handed `arg` when it runs) at model time `at`, or now if `at` has passed; `label` names it in the trace. */
  add<T>(at: number, label: string, fn: (arg: T) => void): void {
    const loop = this.loop;
    this.pending.add(loop.schedule(Math.max(at, loop.now), EventKind.Call, -1, label, fn));
  }

  /** The loop took `ev` off the queue to run it. */
  ran(ev: SimEvent): void {
    this.pending.delete(ev);
  }

  /** Model time of the next call not cancelled, or null when none is. */
  nextAt(): number | null {
    let next: number | null = null;
    for (const ev of this.pending) if (!ev.cancelled && (next === null || ev.at < next)) next = ev.at;
    return next;
  }

  /**
   * Move every pending call `deltaUs` closer (fast-forward removed that much steady state). Throws
   * if that would put one before now: a jump never passes a call.
   */
  pullCloser(deltaUs: number): void {
    if (!Number.isInteger(deltaUs) || deltaUs <= 0) throw new Error(`jump of ${deltaUs} µs`);
    const { now, queue } = this.loop;
    const moved = [...this.pending];
    this.pending.clear();
    for (const ev of moved) {
      if (ev.cancelled) continue;
      if (ev.at - deltaUs < now) throw new Error(`jump of ${deltaUs} µs passes ${ev.name} at ${ev.at}`);
      queue.cancel(ev);
      const again: SimEvent = { ...ev, at: ev.at - deltaUs, cancelled: false };
      this.pending.add(again);
      queue.push(again);
    }
  }
}
