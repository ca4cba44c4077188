// Test-only seeded PRNG (mulberry32) for random workloads; the model itself never uses it.

/** mulberry32: a tiny seeded PRNG, good enough for test schedules. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n) from `rng`. */
export function below(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}
