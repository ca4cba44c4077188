// Packets put on the wire, sampled and kept compactly in the worker; the page asks for a window around its cursor.
import type { Flight } from './protocol.ts';

/** At most this many packets per 100 ms of simulated time are kept (enough to draw, bounded for long runs). */
const PER_BUCKET = 12;
const BUCKET_US = 100_000;
const MAX = 2_000_000;

export class FlightLog {
  private sent = new Float64Array(4096);
  private arrive = new Float64Array(4096);
  private ends = new Uint32Array(8192);
  private type = new Uint32Array(4096);
  private size = 0;
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private bucket = -1;
  private inBucket = 0;

  private id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.ids.set(name, i);
    }
    return i;
  }

  add(from: string, to: string, type: string, sentAt: number, arriveAt: number): void {
    const b = Math.floor(sentAt / BUCKET_US);
    if (b !== this.bucket) {
      this.bucket = b;
      this.inBucket = 0;
    }
    if (this.inBucket >= PER_BUCKET || this.size >= MAX) return;
    this.inBucket++;
    if (this.size === this.sent.length) this.grow();
    const i = this.size++;
    this.sent[i] = sentAt;
    this.arrive[i] = arriveAt;
    this.ends[2 * i] = this.id(from);
    this.ends[2 * i + 1] = this.id(to);
    this.type[i] = this.id(type);
  }

  private grow(): void {
    const n = this.sent.length * 2;
    const copy = <T extends Float64Array | Uint32Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.sent = copy(this.sent, n);
    this.arrive = copy(this.arrive, n);
    this.type = copy(this.type, n);
    this.ends = copy(this.ends, 2 * n);
  }

  /** Packets sent in [from, to], in send order, at most `limit`. */
  window(from: number, to: number, limit = 6000): Flight[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sent[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const out: Flight[] = [];
    for (let i = lo; i < this.size && this.sent[i]! <= to && out.length < limit; i++) {
      out.push([this.names[this.ends[2 * i]!]!, this.names[this.ends[2 * i + 1]!]!, this.names[this.type[i]!]!, this.sent[i]!, this.arrive[i]!]);
    }
    return out;
  }
}
