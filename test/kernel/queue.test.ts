// The event queue pops in exact (at, seq) order: calendar buckets, overflow heap, pushes while draining.
import { describe, expect, it } from 'vitest';
import { EventKind, EventQueue, Heap, INSERTION_SORT_MAX, QUEUE_GEOMETRY, type SimEvent } from '../../src/kernel/queue.ts';
import { HOUR, SECOND } from '../../src/kernel/time.ts';
import { below, mulberry32 } from './prng.ts';

// Geometry of the calendar (queue.ts): bucket width and count, so the tests probe its real edges.
const WIDTH = QUEUE_GEOMETRY.widthUs;
const BUCKETS = QUEUE_GEOMETRY.buckets;
const HORIZON = WIDTH * BUCKETS; // 16.777216 s

function ev(at: number, seq: number): SimEvent {
  return { at, seq, kind: EventKind.Call, target: -1, name: `e${seq}`, data: null, life: 0, cancelled: false, routine: false, armedAt: 0 };
}

function cmp(a: SimEvent, b: SimEvent): number {
  return a.at - b.at || a.seq - b.seq;
}

const key = (e: SimEvent | undefined): string => (e === undefined ? 'none' : `(${e.at},${e.seq})`);

/** The reference: pending events kept sorted by (at, seq). */
class Reference {
  readonly pending: SimEvent[] = [];
  push(e: SimEvent): void {
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(this.pending[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, e);
  }
  pop(): SimEvent | undefined {
    return this.pending.shift();
  }
}

function drainAll(q: EventQueue): SimEvent[] {
  const out: SimEvent[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
  return out;
}

function sortedKeys(list: SimEvent[]): string[] {
  return [...list].sort(cmp).map(key);
}

/** A delay (or absolute time) drawn from one of the shapes that stress the calendar. */
function nextTime(rng: () => number, now: number, ref: Reference): number {
  switch (below(rng, 9)) {
    case 0:
      return now; // equal to the last popped time: into the bucket being drained
    case 1:
      return now + 1 + below(rng, 3); // just after it
    case 2:
      return now + below(rng, 2 * WIDTH); // this bucket or the next
    case 3:
      return now + below(rng, 50_000);
    case 4:
      return now + below(rng, HORIZON); // anywhere within the horizon
    case 5: {
      // Right at the horizon edge: the last ring bucket, the first overflow bucket, and one beyond.
      const bucket = Math.floor(now / WIDTH) + BUCKETS + below(rng, 3) - 1;
      return bucket * WIDTH + (rng() < 0.5 ? 0 : WIDTH - 1);
    }
    case 6:
      return now + below(rng, 10 * HOUR); // far beyond the horizon
    case 7: {
      // Exactly the time of some pending event (tie broken by seq).
      const p = ref.pending;
      return p.length === 0 ? now : p[below(rng, p.length)]!.at;
    }
    default:
      return now + HORIZON * (1 + below(rng, 4)) + below(rng, 3) - 1; // whole horizons ahead
  }
}

/** Random pushes and pops obeying the kernel's contract (nothing earlier than the last pop). */
function workload(seed: number, steps: number): void {
  const rng = mulberry32(seed);
  const q = new EventQueue();
  const ref = new Reference();
  let seq = 0;
  let now = 0;
  const fail = (step: number, what: string): never => {
    throw new Error(`seed ${seed} step ${step}: ${what}`);
  };
  for (let step = 0; step < steps; step++) {
    const r = rng();
    if (r < 0.45) {
      for (let k = 1 + below(rng, 8); k > 0; k--) {
        const e = ev(nextTime(rng, now, ref), seq++);
        q.push(e);
        ref.push(e);
      }
    } else if (r < 0.88) {
      for (let k = 1 + below(rng, 10); k > 0; k--) {
        const want = ref.pending[0];
        if (q.peek() !== want) fail(step, `peek ${key(q.peek())}, expected ${key(want)}`);
        const got = q.pop();
        ref.pop();
        if (got !== want) fail(step, `popped ${key(got)}, expected ${key(want)}`);
        if (got) now = got.at;
      }
    } else if (r < 0.94) {
      // The run loop's pattern: pop the head, find it is past `until`, push it back.
      const head = q.pop();
      if (head !== ref.pending[0]) fail(step, `popped ${key(head)}, expected ${key(ref.pending[0])}`);
      if (head) q.push(head);
      if (q.peek() !== ref.pending[0]) fail(step, `after push-back peek ${key(q.peek())}`);
    } else if (r < 0.97) {
      // Drain everything: the next pushes start after an empty queue, often hours later.
      for (let e = q.pop(); e !== undefined; e = q.pop()) {
        if (e !== ref.pop()) fail(step, `drain popped ${key(e)}`);
        now = e.at;
      }
      if (ref.pending.length !== 0) fail(step, `drain left ${ref.pending.length} in the reference`);
    } else {
      const items = q.items();
      const a = sortedKeys(items).join(' ');
      const b = ref.pending.map(key).join(' ');
      if (a !== b) fail(step, `items() differs from the pending set (${items.length} vs ${ref.pending.length})`);
    }
    if (q.size !== ref.pending.length) fail(step, `size ${q.size}, expected ${ref.pending.length}`);
  }
  const rest = drainAll(q);
  if (rest.map(key).join(' ') !== ref.pending.map(key).join(' ')) fail(steps, 'final drain out of order');
  if (q.size !== 0 || q.peek() !== undefined) fail(steps, 'queue not empty after the final drain');
}

describe('EventQueue', () => {
  it('pops in the reference (at, seq) order for random workloads over many seeds', () => {
    for (let seed = 1; seed <= 60; seed++) workload(seed, 3000);
  });

  it('breaks ties between equal times by seq, whatever order they were pushed in', () => {
    const rng = mulberry32(7);
    // Bucket sizes on both sides of the insertion-sort cut-off.
    const cut = INSERTION_SORT_MAX;
    const groups: [number, number][] = [[0, 3], [5_000, 10], [5_000 + WIDTH, cut], [HORIZON - 1, cut + 1], [HORIZON, cut + 16], [3 * HOUR, 12]];
    const events: SimEvent[] = [];
    let seq = 0;
    for (const [at, n] of groups) for (let i = 0; i < n; i++) events.push(ev(at, seq++));
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = below(rng, i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const q = new EventQueue();
    for (const e of shuffled) q.push(e);
    expect(q.size).toBe(events.length);
    expect(drainAll(q).map(key)).toEqual(events.map(key));
  });

  it('mixes events hours beyond the horizon with near ones in time order', () => {
    const times = [5 * HOUR, 1, HORIZON, HORIZON - 1, 2 * HOUR + 3, 16 * SECOND, 24 * HOUR, 0, HORIZON + WIDTH, 2 * HOUR + 3];
    const q = new EventQueue();
    const events = times.map((at, i) => ev(at, i));
    for (const e of events) q.push(e);
    expect(drainAll(q).map(key)).toEqual([...events].sort(cmp).map(key));
  });

  it('orders pushes into the bucket being drained: equal to and just after the last popped time', () => {
    const q = new EventQueue();
    let seq = 0;
    const base = 10 * WIDTH + 100;
    for (const d of [0, 50, 300, 900]) q.push(ev(base + d, seq++));
    const first = q.pop()!;
    expect(first.at).toBe(base);
    const same = ev(base, seq++); // same time as the event just handled
    const next = ev(base + 1, seq++);
    const mid = ev(base + 50, seq++); // ties with a pending event, later seq
    q.push(mid);
    q.push(next);
    q.push(same);
    expect(drainAll(q).map((e) => `${e.at}/${e.seq}`)).toEqual([
      `${base}/${same.seq}`, `${base + 1}/${next.seq}`, `${base + 50}/1`, `${base + 50}/${mid.seq}`, `${base + 300}/2`, `${base + 900}/3`,
    ]);
  });

  it('pops a head that was popped and pushed back again first', () => {
    const q = new EventQueue();
    const a = ev(2_000, 0);
    const b = ev(2_000, 1);
    const c = ev(HOUR, 2);
    for (const e of [c, b, a]) q.push(e);
    const head = q.pop()!;
    expect(head).toBe(a);
    q.push(head);
    expect(q.size).toBe(3);
    expect(q.peek()).toBe(a);
    // The far event too: popped across an empty gap, pushed back, popped again.
    expect(q.pop()).toBe(a);
    expect(q.pop()).toBe(b);
    const far = q.pop()!;
    expect(far).toBe(c);
    q.push(far);
    expect(q.size).toBe(1);
    expect(q.pop()).toBe(c);
    expect(q.pop()).toBeUndefined();
  });

  it('crosses long empty gaps and takes near pushes after each jump', () => {
    const q = new EventQueue();
    const ref = new Reference();
    let seq = 0;
    let now = 0;
    const push = (at: number): void => {
      const e = ev(at, seq++);
      q.push(e);
      ref.push(e);
    };
    for (let hop = 0; hop < 20; hop++) {
      push(now + 3 * HOUR + hop);
      push(now + 3 * HOUR + hop + HORIZON); // one horizon after the next stop
      for (let k = 0; k < 3; k++) {
        const e = q.pop()!;
        expect(key(e)).toBe(key(ref.pop()));
        now = e.at;
        push(now); // same time, right after the jump
        push(now + WIDTH - 1);
      }
    }
    expect(drainAll(q).map(key)).toEqual(ref.pending.map(key));
  });

  it('reports size, and pop/peek give undefined when empty', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
    q.push(ev(7, 0));
    q.push(ev(HOUR, 1));
    expect(q.size).toBe(2);
    q.peek();
    expect(q.size).toBe(2);
    q.pop();
    expect(q.size).toBe(1);
    q.pop();
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
    q.push(ev(HOUR + 5, 2)); // usable again after running dry
    expect(q.pop()!.seq).toBe(2);
  });

  it('items() returns exactly the pending events: current bucket, ring and overflow', () => {
    const q = new EventQueue();
    const all = [0, 10, 10, 500, WIDTH * 3, HORIZON - 1, HORIZON + 1, 2 * HOUR].map((at, i) => ev(at, i));
    for (const e of all) q.push(e);
    expect(sortedKeys(q.items())).toEqual(all.map(key));
    const popped = [q.pop()!, q.pop()!];
    const late = ev(10, 100);
    q.push(late);
    const head = q.pop()!;
    q.push(head); // pushed back
    const pending = [...all.slice(2), late];
    expect(popped.map(key)).toEqual(all.slice(0, 2).map(key));
    expect(sortedKeys(q.items())).toEqual(sortedKeys(pending));
    expect(q.items()).toHaveLength(q.size);
  });
});

describe('Heap (the overflow)', () => {
  it('pops in (at, seq) order for random pushes and pops', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = mulberry32(seed);
      const heap = new Heap();
      const ref = new Reference();
      let seq = 0;
      for (let step = 0; step < 2000; step++) {
        if (rng() < 0.55) {
          const e = ev(below(rng, 50), seq++);
          heap.push(e);
          ref.push(e);
        } else {
          const want = ref.pop();
          const peeked = heap.peek();
          const got = heap.pop();
          if (peeked !== want || got !== want) {
            throw new Error(`seed ${seed} step ${step}: heap gave ${key(got)}, expected ${key(want)}`);
          }
        }
        if (heap.items.length !== ref.pending.length) throw new Error(`seed ${seed} step ${step}: heap size`);
      }
    }
  });
});
