// Results of the synthetic client's probes: availability fractions and downtime stretches, in the order probes were sent.
import { toSeconds } from '../kernel/time.ts';

export class ProbeSeries {
  count = 0;
  ok = 0;
  /** Completion time of the last successful probe. */
  lastOkAt: number | null = null;
  /** (sent time, ok) pairs: answers arrive out of order (a timeout reports 5 s after a later success). */
  private sentAt: number[] = [];
  private outcomes: boolean[] = [];

  /** Probes sent before this run time (µs) are outside the measurement window. */
  private fromUs = 0;

  /** The window starts at `fromUs`: forget every probe so far, ignore answers to probes sent before it. */
  restart(fromUs: number): void {
    this.fromUs = fromUs;
    this.count = 0;
    this.ok = 0;
    this.lastOkAt = null;
    this.sentAt.length = 0;
    this.outcomes.length = 0;
  }

  add(at: number, ok: boolean, sentAt = at): void {
    if (sentAt < this.fromUs) return;
    this.count++;
    if (ok) {
      this.ok++;
      this.lastOkAt = at;
    }
    this.sentAt.push(sentAt);
    this.outcomes.push(ok);
    if (this.sentAt.length > this.compactAt) this.compact();
  }

  /** Compact when the send-order list grows past this (doubling, so the cost per probe stays constant). */
  private compactAt = 4096;

  /**
   * Keep a long run's memory flat: in send order, a success between two successes changes no downtime stretch,
   * now or after later (late) answers arrive between them, so it is dropped. Failures are all kept.
   */
  private compact(): void {
    const order = this.sentOrder();
    const sentAt: number[] = [];
    const outcomes: boolean[] = [];
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const inner = this.outcomes[i] && k > 0 && k < order.length - 1 && this.outcomes[order[k - 1]!] && this.outcomes[order[k + 1]!];
      if (inner) continue;
      sentAt.push(this.sentAt[i]!);
      outcomes.push(this.outcomes[i]!);
    }
    this.sentAt = sentAt;
    this.outcomes = outcomes;
    this.compactAt = Math.max(4096, 2 * this.sentAt.length);
  }

  /** Indexes in send order (ties by arrival). */
  private sentOrder(): number[] {
    return this.sentAt.map((_, i) => i).sort((a, b) => this.sentAt[a]! - this.sentAt[b]! || a - b);
  }

  /**
   * `n` probes sent every `intervalUs` from `fromUs`, all with the same outcome (fast-forward's
   * skipped steady state). Only the first and last enter the send-order list: in a run of equal
   * outcomes nothing in between changes the downtime stretches.
   */
  addBlock(fromUs: number, n: number, ok: boolean, intervalUs: number): void {
    if (n <= 0) return;
    const lastAt = fromUs + (n - 1) * intervalUs;
    this.count += n;
    if (ok) {
      this.ok += n;
      this.lastOkAt = lastAt;
    }
    this.sentAt.push(fromUs);
    this.outcomes.push(ok);
    if (n > 1) {
      this.sentAt.push(lastAt);
      this.outcomes.push(ok);
    }
  }

  fraction(): number | null {
    return this.count === 0 ? null : this.ok / this.count;
  }

  /**
   * Downtime: in send order, each stretch of consecutive failed probes lasts from its first failure to
   * its last, plus one probe interval (the resolution of the measurement).
   */
  downtime(intervalUs: number): { totalSeconds: number; longestSeconds: number } {
    const order = this.sentOrder();
    let total = 0;
    let longest = 0;
    let from: number | null = null;
    let last = 0;
    const close = (): void => {
      if (from === null) return;
      total += last - from + intervalUs;
      longest = Math.max(longest, last - from + intervalUs);
      from = null;
    };
    for (const i of order) {
      if (this.outcomes[i]) {
        close();
      } else {
        from ??= this.sentAt[i]!;
        last = this.sentAt[i]!;
      }
    }
    close();
    return { totalSeconds: toSeconds(total), longestSeconds: toSeconds(longest) };
  }
}
