// Everything one run has produced so far, and the state at any time t: a checkpoint plus a short fold (instant seeks).
import type { Observation, Report, Scenario } from '../../src/index.ts';
import { Lanes } from './lanes.ts';
import type { Flight } from './protocol.ts';
import { apply, emptyState, type ViewState } from './state.ts';

/** A checkpoint every this many observations: a seek folds at most this many. */
export const CHECKPOINT_EVERY = 1000;

interface Checkpoint {
  index: number;
  state: ViewState;
}

/** Index of the first observation with `at > t` (observations are in time order). */
export function countUpTo(obs: readonly Observation[], t: number): number {
  let lo = 0;
  let hi = obs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (obs[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Store {
  readonly observations: Observation[] = [];
  /** Packets sent in [flightsFrom, flightsUpTo], fetched from the worker around the cursor at slow speeds. */
  flights: Flight[] = [];
  flightsFrom = 0;
  flightsUpTo = -1;
  flightsPending = false;
  readonly lanes = new Lanes();
  private readonly checkpoints: Checkpoint[] = [{ index: 0, state: emptyState() }];
  /** Folded to the end of what has arrived: the next checkpoint is cut from it. */
  private tip = emptyState();
  /** The last state handed out, reused when the next request is a little later. */
  private cursor: ViewState | null = null;
  scenario: Scenario | null = null;
  seed = 0;
  simulated = new Set<string>();
  /** Simulated up to this true time (µs). */
  computedUntil = 0;
  eventsProcessed = 0;
  report: Report | null = null;
  /** Bumped whenever data arrive, so views know when to redraw. */
  version = 0;

  get duration(): number {
    return this.scenario?.duration ?? 0;
  }

  get steps(): readonly number[] {
    return this.lanes.steps;
  }

  get done(): boolean {
    return this.report !== null;
  }

  start(scenario: Scenario, seed: number, simulated: readonly string[]): void {
    this.scenario = scenario;
    this.seed = seed;
    this.simulated = new Set(simulated);
    this.lanes.desiredPods = scenario.cluster.workers > 0 ? scenario.cluster.pods : 0;
    this.version++;
  }

  append(observations: readonly Observation[], now: number, events: number): void {
    for (const o of observations) {
      this.observations.push(o);
      apply(this.tip, o);
      this.lanes.add(o);
      if (this.observations.length % CHECKPOINT_EVERY === 0) {
        this.checkpoints.push({ index: this.observations.length, state: structuredClone(this.tip) });
      }
    }
    this.computedUntil = Math.max(this.computedUntil, now);
    this.eventsProcessed = events;
    this.lanes.extend(this.computedUntil);
    this.version++;
  }

  finish(report: Report): void {
    this.report = report;
    this.version++;
  }

  /** The state after every observation with `at <= t`. The result is shared: do not mutate it. */
  stateAt(t: number): ViewState {
    const n = countUpTo(this.observations, t);
    const c = this.cursor;
    if (c !== null && c.count <= n && n - c.count < CHECKPOINT_EVERY) {
      for (let i = c.count; i < n; i++) apply(c, this.observations[i]!);
      return c;
    }
    this.cursor = this.foldFromCheckpoint(n);
    return this.cursor;
  }

  /** A fresh state for the first `n` observations, from the nearest checkpoint at or before n. */
  foldFromCheckpoint(n: number): ViewState {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.checkpoints[mid]!.index <= n) lo = mid;
      else hi = mid - 1;
    }
    const s = structuredClone(this.checkpoints[lo]!.state);
    for (let i = s.count; i < n; i++) apply(s, this.observations[i]!);
    return s;
  }

  /** The window of packets to ask the worker for at cursor t, or null when the one held covers it. */
  flightsWanted(t: number): [number, number] | null {
    if (this.flightsPending || !this.scenario) return null;
    const covered = t >= this.flightsFrom + 1e6 && t <= this.flightsUpTo - 1e6;
    const more = this.computedUntil > this.flightsUpTo;
    if (covered || (!more && t >= this.flightsFrom)) return null;
    this.flightsPending = true;
    return [Math.max(0, t - 3e6), t + 12e6];
  }

  setFlights(from: number, to: number, flights: Flight[]): void {
    this.flights = flights;
    this.flightsFrom = from;
    this.flightsUpTo = this.done ? to : Math.min(to, this.computedUntil);
    this.flightsPending = false;
    this.version++;
  }

  /** Packets on the wire at time t (sent at or before t, arriving after it), at most `limit`. */
  flightsAt(t: number, lingerUs: number, limit: number): Flight[] {
    const f = this.flights;
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid]![3] <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: Flight[] = [];
    for (let i = lo - 1; i >= 0 && out.length < limit; i--) {
      const x = f[i]!;
      if (t - x[3] > Math.max(lingerUs, 5_000_000)) break;
      if (t < Math.max(x[4], x[3] + lingerUs)) out.push(x);
    }
    return out;
  }
}
