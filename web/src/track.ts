// One lane of the timeline as data: state segments in time order, and which one covers an instant.

/** A stretch of one lane in one state; `to` is the end of the data while it is still open. */
export interface Seg {
  from: number;
  to: number;
  key: string;
  text: string;
}

export class Track {
  readonly segs: Seg[] = [];

  /** Enter state `key` at `at`; a later change at the same instant replaces the earlier one. */
  set(at: number, key: string, text: string): void {
    let last = this.segs[this.segs.length - 1];
    if (last && last.from === at) {
      this.segs.pop();
      last = this.segs[this.segs.length - 1];
    }
    if (last && last.key === key && last.text === text) {
      last.to = Math.max(last.to, at);
      return;
    }
    if (last) last.to = at;
    this.segs.push({ from: at, to: at, key, text });
  }

  extend(to: number): void {
    const last = this.segs[this.segs.length - 1];
    if (last && last.to < to) last.to = to;
  }

  /** The segment covering time t, or null. */
  at(t: number): Seg | null {
    const s = this.segs;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]!.from <= t) lo = mid;
      else hi = mid - 1;
    }
    const seg = s[lo];
    return seg && seg.from <= t && t <= seg.to ? seg : null;
  }
}
