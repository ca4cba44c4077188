// Named, seeded random streams: the only module that imports seedrandom.
import seedrandom from 'seedrandom';

/**
 * One deterministic stream of uniform numbers. Every actor gets its own, derived from the run
 * seed and the actor's name, so adding an actor never changes the draws of another.
 */
export class Stream {
  private readonly next: () => number;

  constructor(seedText: string) {
    this.next = seedrandom.alea(seedText);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number {
    return lo + Math.floor(this.next() * (hiExclusive - lo));
  }

  /** Uniform integer in [0, n) — the shape raft's randomized election timeout wants. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * apimachinery wait.Jitter(d, f): d + U[0,1) * f * d, as an integer number of µs.
   * client-go's acquire loop uses it with f = 1.2.
   */
  jitter(baseUs: number, factor: number): number {
    if (factor <= 0) return baseUs;
    return baseUs + Math.floor(this.next() * factor * baseUs);
  }

  /** Symmetric jitter: base ± spread, never below zero. */
  spread(baseUs: number, spreadUs: number): number {
    if (spreadUs <= 0) return baseUs;
    return Math.max(0, baseUs + Math.floor((this.next() * 2 - 1) * spreadUs));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Exponentially distributed integer with the given mean (µs), at least 1. */
  exponential(meanUs: number): number {
    return Math.max(1, Math.round(-Math.log(1 - this.next()) * meanUs));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** The stream named `name` in the run seeded by `seed`. */
export function streamFor(seed: number | string, name: string): Stream {
  return new Stream(`hasim:${seed}:${name}`);
}
