// The simulated network: per-link latency and jitter, loss, partitions into groups, one-way cuts.
import type { Link } from '../kernel/link.ts';
import type { Stream } from '../kernel/random.ts';

export interface NetParams {
  latencyUs: number;
  jitterUs: number;
  loss: number;
}

/** Extra latency or loss on some links (a `latency` or `loss` fault). */
export interface LinkDegradation {
  id: number;
  /** Both machines of one link (either direction), or every link. */
  between: [string, string] | 'all';
  addUs: number;
  jitterUs: number;
  loss: number;
}

/** Loopback delivery between processes of one machine. */
export const LOOPBACK_US = 20;

/** The kernel's link (kernel/link.ts): the run makes one and hands it to the kernel. */
export class Network implements Link {
  /** Machine → partition group; machines absent from the map form one more group. */
  private groups: Map<string, number> | null = null;
  private readonly cuts = new Map<string, number>();
  private readonly isolated = new Map<string, number>();
  private degradations: LinkDegradation[] = [];

  constructor(readonly params: NetParams) {}

  setPartition(groups: string[][]): void {
    this.groups = new Map();
    groups.forEach((g, i) => g.forEach((m) => this.groups!.set(m, i)));
  }

  clearPartition(): void {
    this.groups = null;
  }

  /** Drop traffic from `from` to `to` (counted, so overlapping cuts heal independently). */
  cut(from: string, to: string): void {
    const key = `${from}>${to}`;
    this.cuts.set(key, (this.cuts.get(key) ?? 0) + 1);
  }

  uncut(from: string, to: string): void {
    decrement(this.cuts, `${from}>${to}`);
  }

  isolate(machine: string): void {
    this.isolated.set(machine, (this.isolated.get(machine) ?? 0) + 1);
  }

  unisolate(machine: string): void {
    decrement(this.isolated, machine);
  }

  private nextDegradation = 1;

  /** Degrade some links; returns the id that `undegrade` takes. */
  degrade(d: Omit<LinkDegradation, 'id'>): number {
    const id = this.nextDegradation++;
    this.degradations.push({ ...d, id });
    return id;
  }

  undegrade(id: number): void {
    this.degradations = this.degradations.filter((d) => d.id !== id);
  }

  healAll(): void {
    this.groups = null;
    this.cuts.clear();
    this.isolated.clear();
  }

  /** Whether a packet from machine `a` can reach machine `b` now. */
  reachable(a: string, b: string): boolean {
    if (a === b) return true;
    if (this.isolated.size > 0 && (this.isolated.has(a) || this.isolated.has(b))) return false;
    if (this.groups && (this.groups.get(a) ?? -1) !== (this.groups.get(b) ?? -1)) return false;
    if (this.cuts.size > 0 && this.cuts.has(`${a}>${b}`)) return false;
    return true;
  }

  /** One-way delay of a packet from `a` to `b`, or -1 when it is lost or cannot get there. */
  delay(a: string, b: string, random: Stream): number {
    if (a === b) return LOOPBACK_US;
    if (!this.reachable(a, b)) return -1;
    const p = this.params;
    let delay = random.spread(p.latencyUs, p.jitterUs);
    let loss = p.loss;
    for (const d of this.degradations) {
      if (d.between !== 'all' && !sameLink(d.between, a, b)) continue;
      delay += random.spread(d.addUs, d.jitterUs);
      loss = 1 - (1 - loss) * (1 - d.loss);
    }
    if (loss > 0 && random.chance(loss)) return -1;
    return Math.max(1, delay);
  }

  /** Human summary of what is broken, for the UI and timelines. */
  describe(): { partition: string[][] | null; cuts: string[]; isolated: string[] } {
    let partition: string[][] | null = null;
    if (this.groups) {
      partition = [];
      for (const [m, g] of this.groups) (partition[g] ??= []).push(m);
    }
    return { partition, cuts: [...this.cuts.keys()], isolated: [...this.isolated.keys()] };
  }
}

function sameLink(pair: [string, string], a: string, b: string): boolean {
  return (pair[0] === a && pair[1] === b) || (pair[0] === b && pair[1] === a);
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
