// The event queue: a calendar queue over integer µs with an overflow heap, ordered by (time, seq).

export const enum EventKind {
  Timer = 0,
  Deliver = 1,
  Refused = 2,
  Call = 3,
}

/** One scheduled happening. `seq` breaks ties so equal-time events run in scheduling order. */
export interface SimEvent {
  at: number;
  seq: number;
  kind: EventKind;
  /** Index of the target process in the kernel's process table, or -1 for kernel calls. */
  target: number;
  /** Timer name, message source, or call label. */
  name: string;
  data: unknown;
  /** Incarnation of the target when scheduled: timers of an earlier life never fire. */
  life: number;
  cancelled: boolean;
  /** Routine work (a heartbeat, a renewal, a check, an idle timeout): steady state, not a consequence still pending. */
  routine: boolean;
  /** Model time the event was scheduled (fast-forward: how long a one-shot timer has been waiting). */
  armedAt: number;
}

/** Buckets up to this size are insertion-sorted; larger ones use the built-in sort. */
export const INSERTION_SORT_MAX = 64;

export function before(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function order(a: SimEvent, b: SimEvent): number {
  return a.at - b.at || a.seq - b.seq;
}

/** Buckets hold a handful of events: insertion sort beats a comparator sort there. */
function sortEvents(list: SimEvent[]): void {
  const n = list.length;
  if (n > INSERTION_SORT_MAX) {
    list.sort(order);
    return;
  }
  for (let i = 1; i < n; i++) {
    const ev = list[i]!;
    let j = i - 1;
    while (j >= 0 && before(ev, list[j]!)) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = ev;
  }
}

/** Binary min-heap: the overflow for events beyond the calendar's horizon. */
export class Heap {
  readonly items: SimEvent[] = [];

  push(ev: SimEvent): void {
    const heap = this.items;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (before(p, ev)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
  }

  peek(): SimEvent | undefined {
    return this.items[0];
  }

  pop(): SimEvent | undefined {
    const heap = this.items;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (before(last, heap[c]!)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
    return top;
  }
}

const WIDTH_BITS = 9; // 0.512 ms per bucket
const WIDTH = 1 << WIDTH_BITS;
const BUCKETS = 1 << 15; // horizon ≈ 16.8 s: every routine timer of the model fits
const MASK = BUCKETS - 1;

/** The calendar's geometry (tests probe its edges). */
export const QUEUE_GEOMETRY = { widthUs: WIDTH, buckets: BUCKETS } as const;

/**
 * Shared by every bucket that holds nothing. A bucket's array goes back to a spare list when it is
 * drained, so a run keeps only as many arrays as buckets are in use at once, not one for each of the
 * 32,768 it passes through (the garbage collector would copy those megabytes at every scavenge).
 */
const EMPTY: readonly SimEvent[] = Object.freeze([]);

/**
 * A calendar queue (Brown 1988): events within the horizon go into 0.5 ms buckets, unsorted, and a
 * bucket is sorted once when time reaches it; later events wait in a heap. An occupancy bitmap lets
 * the queue skip empty buckets. Pop order is exactly (at, seq), as with a plain heap.
 */

export class EventQueue {
  private readonly ring: SimEvent[][] = new Array<SimEvent[]>(BUCKETS).fill(EMPTY as SimEvent[]);
  private readonly spare: SimEvent[][] = [];
  private readonly occupied = new Uint32Array(BUCKETS >> 5);
  private readonly overflow = new Heap();
  /** The bucket being drained (absolute index) and its sorted events from `pos` on. */
  private curBucket = 0;
  private cur: SimEvent[] = [];
  private pos = 0;
  private inRing = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(ev: SimEvent): void {
    this.count++;
    const b = Math.floor(ev.at / WIDTH);
    if (b <= this.curBucket) {
      this.insertCurrent(ev);
    } else if (b < this.curBucket + BUCKETS) {
      const i = b & MASK;
      this.bucket(i).push(ev);
      this.occupied[i >> 5]! |= 1 << (i & 31);
      this.inRing++;
    } else {
      this.overflow.push(ev);
    }
  }

  peek(): SimEvent | undefined {
    if (this.pos >= this.cur.length && !this.advance()) return undefined;
    return this.cur[this.pos];
  }

  pop(): SimEvent | undefined {
    if (this.pos >= this.cur.length && !this.advance()) return undefined;
    this.count--;
    return this.cur[this.pos++];
  }

  /**
   * Mark `ev` cancelled and, when it waits in the calendar, take it out now. Deadlines are armed
   * for every request and cancelled by its answer a few ms later: left in place they would outlive
   * seconds of events, and the garbage collector would copy them all that time.
   */
  cancel(ev: SimEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    const b = Math.floor(ev.at / WIDTH);
    if (b <= this.curBucket) {
      const at = this.cur.indexOf(ev, this.pos);
      if (at < 0) return; // already popped (a timer being handled)
      this.cur.splice(at, 1);
    } else if (b < this.curBucket + BUCKETS) {
      const i = b & MASK;
      const bucket = this.ring[i]!;
      const at = bucket.indexOf(ev);
      if (at < 0) return;
      const last = bucket.pop()!;
      if (at < bucket.length) bucket[at] = last;
      if (bucket.length === 0) {
        this.occupied[i >> 5]! &= ~(1 << (i & 31));
        this.ring[i] = EMPTY as SimEvent[];
        this.spare.push(bucket);
      }
      this.inRing--;
    } else {
      return; // in the overflow heap: skipped when popped
    }
    this.count--;
  }

  private bucket(i: number): SimEvent[] {
    const b = this.ring[i]!;
    return b !== EMPTY ? b : (this.ring[i] = this.spare.pop() ?? []);
  }

  /** Keep the current bucket sorted: binary-search the insertion point after `pos`. */
  private insertCurrent(ev: SimEvent): void {
    const cur = this.cur;
    let lo = this.pos;
    let hi = cur.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(cur[mid]!, ev)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === cur.length) cur.push(ev);
    else cur.splice(lo, 0, ev);
  }

  /** Move to the next non-empty bucket; false when the queue is empty. */
  private advance(): boolean {
    if (this.count === 0) return false;
    // Emptied by pops, not by setting length (a slow path in V8): buckets hold a handful of events.
    const done = this.cur;
    while (done.length !== 0) done.pop();
    this.pos = 0;
    if (this.inRing === 0) {
      // Nothing within the horizon: jump to the overflow's earliest bucket.
      this.curBucket = Math.floor(this.overflow.peek()!.at / WIDTH) - 1;
    }
    const next = this.nextOccupied(this.curBucket + 1);
    const overflowTop = this.overflow.peek();
    const ob = overflowTop ? Math.floor(overflowTop.at / WIDTH) : Number.POSITIVE_INFINITY;
    const b = Math.min(next, ob);
    this.curBucket = b;
    const i = b & MASK;
    const bucket = this.ring[i]!;
    if (next === b) {
      this.ring[i] = EMPTY as SimEvent[];
      this.spare.push(this.cur);
      this.cur = bucket;
      this.occupied[i >> 5]! &= ~(1 << (i & 31));
      this.inRing -= bucket.length;
    }
    while (this.overflow.peek() !== undefined && Math.floor(this.overflow.peek()!.at / WIDTH) === b) {
      this.cur.push(this.overflow.pop()!);
    }
    this.migrate();
    sortEvents(this.cur);
    return true;
  }

  /** Overflow events whose bucket came within the horizon move into the ring. */
  private migrate(): void {
    const limit = this.curBucket + BUCKETS;
    for (let top = this.overflow.peek(); top && Math.floor(top.at / WIDTH) < limit; top = this.overflow.peek()) {
      this.overflow.pop();
      const i = Math.floor(top.at / WIDTH) & MASK;
      this.bucket(i).push(top);
      this.occupied[i >> 5]! |= 1 << (i & 31);
      this.inRing++;
    }
  }

  /** The first occupied bucket at or after absolute index `from` within the horizon, else +∞. */
  private nextOccupied(from: number): number {
    if (this.inRing === 0) return Number.POSITIVE_INFINITY;
    for (let b = from; b < this.curBucket + 1 + BUCKETS; ) {
      const i = b & MASK;
      const word = this.occupied[i >> 5]! >>> (i & 31);
      if (word !== 0) return b + (31 - Math.clz32(word & -word));
      b += 32 - (i & 31);
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Every pending event, in no particular order (for fast-forward and inspection). */
  items(): SimEvent[] {
    const out = this.cur.slice(this.pos);
    for (const bucket of this.ring) for (const ev of bucket) out.push(ev);
    for (const ev of this.overflow.items) out.push(ev);
    return out;
  }
}
