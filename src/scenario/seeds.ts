// Seed lists: `[1, 2, 3]`, a range `1..50` (both ends included) or a comma list of both (`1..10,20`).

/** The seeds a text names, or an error text (empty range, not a number). */
export function parseSeeds(text: string): number[] | string {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(part);
    if (!m) return `expected seeds like 1..50 or 1,2,3, got "${part}"`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return `${part} is an empty range (the end must not be below the start)`;
    if (to - from >= 100_000) return `${part} names ${to - from + 1} seeds; at most 100000`;
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  return [...new Set(seeds)];
}
