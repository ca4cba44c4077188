// Results of the synthetic client's probes: availability fractions and downtime stretches.
import { toSeconds } from '../kernel/time.ts';

export class ProbeSeries {
  count = 0;
  ok = 0;
  lastOkAt: number | null = null;
  /** Lengths (first failure to last failure) of closed stretches of failed probes. */
  private readonly spans: number[] = [];
  private failFrom: number | null = null;
  private failLast = 0;

  add(at: number, ok: boolean): void {
    this.count++;
    if (ok) {
      this.ok++;
      this.lastOkAt = at;
      if (this.failFrom !== null) this.spans.push(this.failLast - this.failFrom);
      this.failFrom = null;
    } else {
      if (this.failFrom === null) this.failFrom = at;
      this.failLast = at;
    }
  }

  fraction(): number | null {
    return this.count === 0 ? null : this.ok / this.count;
  }

  /**
   * Downtime: each stretch of consecutive failed probes lasts from its first failure to its last,
   * plus one probe interval (the resolution of the measurement).
   */
  downtime(intervalUs: number): { totalSeconds: number; longestSeconds: number } {
    const spans = this.failFrom === null ? this.spans : [...this.spans, this.failLast - this.failFrom];
    let total = 0;
    let longest = 0;
    for (const s of spans) {
      total += s + intervalUs;
      longest = Math.max(longest, s + intervalUs);
    }
    return { totalSeconds: toSeconds(total), longestSeconds: toSeconds(longest) };
  }
}
