// Seeded randomized runs of 3- and 5-node clusters: chaos with safety checks, then liveness.
// Chaos = drops, reordering, duplicates, partitions, crashes mid-fsync, restarts, compaction,
// transfers; safety is checked after every single step; the failing seed is in the message.
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/raft/index.ts';
import { Cluster, mulberry32 } from './harness.ts';
import { SafetyChecker } from './safety.ts';

const E = 10;
const CHAOS_STEPS = 3000;
/** After healing, everyone must follow one leader and apply a new write within this budget. */
const LIVENESS_TICKS = 30 * E;

interface RunResult {
  recoveryTicks: number;
  committed: number;
  maxTerm: number;
  /** Snapshots delivered to followers. */
  snapshots: number;
  /** Crashes that lost a Ready whose write was in flight. */
  crashesMidWrite: number;
}

/** One seeded run's world: the cluster, its PRNG and the counters. */
class Run {
  readonly rng: () => number;
  readonly label: string;
  readonly c: Cluster;
  readonly safety: SafetyChecker;
  dropRate = 0;
  snapshots = 0;
  crashesMidWrite = 0;
  proposals = 0;

  constructor(
    readonly n: number,
    readonly seed: number,
  ) {
    this.rng = mulberry32(seed * 101 + n);
    // All four combinations of the two etcd options across seeds.
    const preVote = seed % 2 === 0;
    const checkQuorum = Math.floor(seed / 2) % 2 === 0;
    this.label = `n=${n} seed=${seed} preVote=${preVote} checkQuorum=${checkQuorum}`;
    this.c = new Cluster({ n, seed, preVote, checkQuorum, electionTicks: E, heartbeatTicks: 1, maxSizePerMsg: 1 + (seed % 4) });
    this.safety = new SafetyChecker(this.c, this.label);
    this.c.dropFilter = (m) => {
      const lost = this.rng() < this.dropRate;
      if (!lost && m.type === 'MsgSnap') this.snapshots++;
      return lost;
    };
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)]!;
  }

  /** Do one thing, then check every invariant; failures name the seed and the action. */
  step(what: string, f: () => void): void {
    try {
      f();
      this.safety.check();
    } catch (e) {
      throw new Error(`${this.label} at "${what}": ${(e as Error).message}`, { cause: e });
    }
  }
}

/** One random action; weights favour delivery and Ready cycles so that the cluster makes progress. */
function chaosStep(w: Run, s: number): void {
  const { c } = w;
  const r = w.rng();
  const up = c.upIds();
  const any = w.pick(c.ids);
  if (up.length === 0 && r < 0.72) return;
  if (r < 0.1) w.step('tick all', () => up.forEach((id) => c.node(id).tick()));
  else if (r < 0.12) w.step('tick one', () => c.node(w.pick(up)).tick());
  else if (r < 0.47) w.step('deliver', () => c.deliver(w.rng() < 0.7 ? 0 : Math.floor(w.rng() * c.queue.length)));
  else if (r < 0.72) w.step('ready', () => readyHalf(c, w.pick(up)));
  else if (r < 0.77) w.step('settle', () => c.stabilize());
  else if (r < 0.85 && up.length > 0) w.step('propose', () => propose(w, up));
  else if (r < 0.87 && up.length > 0) w.step('read', () => c.node(w.pick(up)).readIndex(s));
  else if (r < 0.89 && c.queue.length > 0) w.step('duplicate', () => c.queue.push(w.pick(c.queue)));
  else if (r < 0.893 && c.isUp(any)) w.step(`crash ${any}`, () => crash(w, any));
  else if (r < 0.91 && !c.isUp(any)) w.step(`restart ${any}`, () => c.restart(any));
  else if (r < 0.915) w.step('cut', () => cut(w, any));
  else if (r < 0.917) w.step(`isolate ${any}`, () => c.isolate(any));
  else if (r < 0.927) w.step('heal', () => c.heal());
  else if (r < 0.932) w.step('loss', () => (w.dropRate = w.pick([0, 0, 0.05, 0.2, 0.5])));
  else if (r < 0.95 && c.isUp(any) && !c.hasInFlight(any)) w.step(`compact ${any}`, () => compact(c, any));
  else if (r < 0.953 && c.isUp(any)) w.step('transfer', () => c.node(any).transferLeadership(w.pick(c.ids)));
}

/** Either finish the node's in-flight write or start the next one: crashes can fall in between. */
function readyHalf(c: Cluster, id: NodeId): void {
  if (!c.completeReady(id)) c.captureReady(id);
}

function propose(w: Run, up: NodeId[]): void {
  const target = w.rng() < 0.5 ? (w.c.leader() ?? w.pick(up)) : w.pick(up);
  w.c.node(target).propose(`${w.seed}:${w.proposals++}`);
}

function crash(w: Run, id: NodeId): void {
  if (w.c.hasInFlight(id)) w.crashesMidWrite++;
  w.c.crash(id);
}

function cut(w: Run, a: NodeId): void {
  const b = w.pick(w.c.ids);
  if (b !== a) w.c.cutBoth(a, b);
}

/** Compact fully at the applied index, so that lagging followers need a snapshot. */
function compact(c: Cluster, id: NodeId): void {
  const n = c.node(id);
  const values = c.applied(id);
  if (n.appliedIndex !== values.length) throw new Error('machine out of step with appliedIndex');
  n.compact(n.appliedIndex, values.slice());
}

/**
 * Faults stop: every member runs and every link works. A client retries its write every
 * election timeout (a proposal can be dropped during a transfer or lost on its way) until all
 * members applied it. Returns the ticks taken, or -1.
 */
function liveness(w: Run): number {
  const { c } = w;
  w.step('heal for liveness', () => {
    c.heal();
    w.dropRate = 0;
    for (const id of c.ids) if (!c.isUp(id)) c.restart(id);
    c.stabilize();
  });
  const value = `${w.seed}:final`;
  let lastWrite = -Infinity;
  for (let t = 0; t <= LIVENESS_TICKS; t++) {
    const l = c.leader();
    if (l !== undefined && c.settledLeader()) {
      if (t - lastWrite >= E) {
        c.node(l).propose(value);
        lastWrite = t;
      }
      if (c.ids.every((id) => c.applied(id).includes(value))) return t;
    }
    w.step('liveness tick', () => c.tick());
  }
  return -1;
}

function runSeed(n: number, seed: number): RunResult {
  const w = new Run(n, seed);
  for (let s = 0; s < CHAOS_STEPS; s++) chaosStep(w, s);
  const recoveryTicks = liveness(w);
  expect(recoveryTicks, `${w.label}: no leader and commit within ${LIVENESS_TICKS} ticks after healing`).toBeGreaterThanOrEqual(0);
  const maxTerm = Math.max(...w.c.ids.map((id) => w.c.node(id).term));
  return { recoveryTicks, committed: w.safety.committedCount, maxTerm, snapshots: w.snapshots, crashesMidWrite: w.crashesMidWrite };
}

describe('randomized raft safety', () => {
  for (const n of [3, 5]) {
    it(`200 seeds of a ${n}-node cluster stay safe and recover after healing`, () => {
      const results: RunResult[] = [];
      for (let seed = 1; seed <= 200; seed++) results.push(runSeed(n, seed));
      const sum = (f: (r: RunResult) => number) => results.reduce((a, r) => a + f(r), 0);
      const worst = Math.max(...results.map((r) => r.recoveryTicks));
      if (process.env.RAFT_DEBUG) console.log({ n, worst, committed: sum((r) => r.committed), snapshots: sum((r) => r.snapshots), midWrite: sum((r) => r.crashesMidWrite) });
      // The sweep must exercise the interesting paths, not idle.
      expect(sum((r) => r.committed)).toBeGreaterThan(200 * 20);
      expect(results.filter((r) => r.maxTerm >= 4).length).toBeGreaterThan(100);
      expect(sum((r) => r.snapshots)).toBeGreaterThan(100);
      expect(sum((r) => r.crashesMidWrite)).toBeGreaterThan(50);
      expect(worst).toBeLessThanOrEqual(LIVENESS_TICKS);
    });
  }
});
